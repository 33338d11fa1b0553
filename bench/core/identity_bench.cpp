// The mesh CA and peer verification with OpenSSL: a workload certificate issued end
// to end (ECDSA P-256 key, CSR, CA signature), and a peer certificate verified at a
// handshake, the first time (X509_verify_cert: the chain's signatures) and again
// inside the chain's validity (remembered).
#include <benchmark/benchmark.h>

#include "mesh/identity/certificate_authority.h"
#include "mesh/identity/peer_verifier.h"

namespace meshproof::identity {
namespace {

constexpr TimeNs kEpoch = 1'767'225'600 * kSecond;
const std::string kId = "spiffe://cluster.local/ns/shop/sa/payments";

void BM_IssueWorkloadCertificate(benchmark::State& state) {
  CertificateAuthority ca("cluster.local", kEpoch, Rng(1));
  for (auto _ : state) {
    const WorkloadKey key = WorkloadKey::generate();
    const auto request = CertificateRequest::create(key, kId);
    IssueResult result = ca.issue(*request, kId, kEpoch, 24 * kHour);
    benchmark::DoNotOptimize(result.certificate);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IssueWorkloadCertificate);

void BM_VerifyPeerCertificateFirstTime(benchmark::State& state) {
  CertificateAuthority ca("cluster.local", kEpoch, Rng(2));
  const WorkloadKey key = WorkloadKey::generate();
  const CertificatePtr cert = ca.issue(*CertificateRequest::create(key, kId), kId, kEpoch, 24 * kHour).certificate;
  for (auto _ : state) {
    const PeerVerifier verifier({ca.root()});  // a fresh verifier: nothing remembered
    benchmark::DoNotOptimize(verifier.verify(cert, kEpoch + kSecond, {kId}).ok);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyPeerCertificateFirstTime);

void BM_VerifyPeerCertificateRemembered(benchmark::State& state) {
  CertificateAuthority ca("cluster.local", kEpoch, Rng(3));
  const WorkloadKey key = WorkloadKey::generate();
  const CertificatePtr cert = ca.issue(*CertificateRequest::create(key, kId), kId, kEpoch, 24 * kHour).certificate;
  const PeerVerifier verifier({ca.root()});
  TimeNs now = kEpoch + kSecond;
  for (auto _ : state) {
    benchmark::DoNotOptimize(verifier.verify(cert, now, {kId}).ok);
    now += kMillisecond;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["chain_verifications"] = static_cast<double>(verifier.chainVerifications());
}
BENCHMARK(BM_VerifyPeerCertificateRemembered);

}  // namespace
}  // namespace meshproof::identity
