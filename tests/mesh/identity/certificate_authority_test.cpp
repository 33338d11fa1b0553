// The mesh CA and peer verification with OpenSSL: SPIFFE URI SANs, validity windows
// from the handed-in wall clock, serials from the seeded Rng, and the failures a
// sidecar sees in production (expired, not yet valid, a foreign CA, a wrong identity,
// a request for someone else's identity, a revoked CA).
#include "mesh/identity/certificate_authority.h"

#include <gtest/gtest.h>

#include "mesh/identity/peer_verifier.h"
#include "mesh/identity/public_key_info.h"

namespace meshproof::identity {
namespace {

constexpr TimeNs kT0 = 1'767'225'600 * kSecond;  // 2026-01-01T00:00:00Z
const std::string kPayments = "spiffe://cluster.local/ns/shop/sa/payments";
const std::string kCheckout = "spiffe://cluster.local/ns/shop/sa/checkout";

CertificatePtr issueFor(CertificateAuthority& ca, const std::string& id, TimeNs at, DurationNs ttl) {
  const WorkloadKey key = WorkloadKey::generate();
  IssueResult r = ca.issue(*CertificateRequest::create(key, id), id, at, ttl);
  EXPECT_TRUE(r.denied.empty()) << r.denied;
  return r.certificate;
}

TEST(CertificateAuthority, IssuesSpiffeCertificatesForTheTtl) {
  CertificateAuthority ca("cluster.local", kT0, Rng(42).fork("ca"));
  EXPECT_TRUE(ca.root()->isCa());
  const CertificatePtr cert = issueFor(ca, kPayments, kT0 + 5 * kSecond, 24 * kHour);
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->spiffeId(), kPayments);
  EXPECT_FALSE(cert->isCa());
  EXPECT_EQ(cert->notBefore(), kT0 + 5 * kSecond);
  EXPECT_EQ(cert->notAfter(), kT0 + 5 * kSecond + 24 * kHour);
  // PEM round trip keeps every field the mesh reads.
  const CertificatePtr again = Certificate::fromPem(cert->pem());
  EXPECT_EQ(again->spiffeId(), kPayments);
  EXPECT_EQ(again->serialHex(), cert->serialHex());
  EXPECT_EQ(again->notAfter(), cert->notAfter());
}

// The DER of a SubjectPublicKeyInfo.
std::string spkiDer(X509_PUBKEY* info) {
  unsigned char* der = nullptr;
  const int n = i2d_X509_PUBKEY(info, &der);
  std::string out(reinterpret_cast<const char*>(der), n > 0 ? static_cast<std::size_t>(n) : 0);
  OPENSSL_free(der);
  return out;
}

// The certificate carries the requester's key exactly as OpenSSL's own encoder writes
// it (the CA copies it by the direct EC encoder), whether the request was built here
// or read from PEM as the live control plane reads it, and the key's owner holds it.
TEST(CertificateAuthority, TheCertificateCarriesTheRequestersKeyByteForByte) {
  CertificateAuthority ca("cluster.local", kT0, Rng(7).fork("ca"));
  const WorkloadKey key = WorkloadKey::generate();
  X509ReqPtr reference(X509_REQ_new());
  ASSERT_EQ(X509_REQ_set_pubkey(reference.get(), key.pkey()), 1);  // OpenSSL's encoder and decoder
  const std::string expected = spkiDer(X509_REQ_get_X509_PUBKEY(reference.get()));
  ASSERT_GT(expected.size(), 60u);

  const auto built = CertificateRequest::create(key, kPayments);
  const auto read = CertificateRequest::fromPem(built->pem());
  EXPECT_EQ(spkiDer(X509_REQ_get_X509_PUBKEY(built->req())), expected);
  for (const auto* request : {built.get(), read.get()}) {
    IssueResult r = ca.issue(*request, kPayments, kT0, kHour);
    ASSERT_NE(r.certificate, nullptr) << r.denied;
    EXPECT_EQ(spkiDer(X509_get_X509_PUBKEY(r.certificate->x509())), expected);
    EXPECT_TRUE(key.matches(r.certificate->x509()));
    EXPECT_TRUE(key.matches(Certificate::fromPem(r.certificate->pem())->x509()));
  }
  EXPECT_FALSE(WorkloadKey::generate().matches(ca.issue(*built, kPayments, kT0, kHour).certificate->x509()));
}

TEST(CertificateAuthority, SerialsComeFromTheSeededRng) {
  CertificateAuthority a("cluster.local", kT0, Rng(7).fork("ca"));
  CertificateAuthority b("cluster.local", kT0, Rng(7).fork("ca"));
  CertificateAuthority c("cluster.local", kT0, Rng(8).fork("ca"));
  const auto first = issueFor(a, kPayments, kT0, kHour)->serialHex();
  EXPECT_EQ(first, issueFor(b, kPayments, kT0, kHour)->serialHex());
  EXPECT_NE(first, issueFor(c, kPayments, kT0, kHour)->serialHex());
  EXPECT_NE(first, issueFor(a, kPayments, kT0, kHour)->serialHex());  // the next one differs
  EXPECT_EQ(a.root()->serialHex(), b.root()->serialHex());
}

TEST(CertificateAuthority, RefusesSomeoneElsesIdentityAndWhileRevoked) {
  CertificateAuthority ca("cluster.local", kT0, Rng(1));
  const WorkloadKey key = WorkloadKey::generate();
  const auto request = CertificateRequest::create(key, kPayments);
  EXPECT_EQ(request->requestedSpiffeId(), kPayments);
  EXPECT_TRUE(request->signatureValid());
  IssueResult stolen = ca.issue(*request, kCheckout, kT0, kHour);
  EXPECT_EQ(stolen.certificate, nullptr);
  EXPECT_EQ(stolen.denied, "the request asks for " + kPayments + ", the caller is " + kCheckout);
  ca.revoke();
  EXPECT_EQ(ca.issue(*request, kPayments, kT0, kHour).denied, "the mesh CA is revoked");
  ca.restore();
  EXPECT_NE(ca.issue(*request, kPayments, kT0, kHour).certificate, nullptr);
  EXPECT_EQ(ca.issued(), 1u);
}

TEST(PeerVerifier, ChecksTheChainAtTheVerifiersOwnClock) {
  CertificateAuthority ca("cluster.local", kT0, Rng(3));
  const PeerVerifier verifier({ca.root()});
  const CertificatePtr cert = issueFor(ca, kPayments, kT0, 30 * kSecond);
  const VerifyResult fresh = verifier.verify(cert, kT0 + 10 * kSecond);
  EXPECT_TRUE(fresh.ok) << fresh.reason;
  EXPECT_EQ(fresh.spiffe_id, kPayments);
  const VerifyResult expired = verifier.verify(cert, kT0 + 31 * kSecond);
  EXPECT_FALSE(expired.ok);
  EXPECT_EQ(expired.reason, "certificate has expired");
  const VerifyResult early = verifier.verify(cert, kT0 - 2 * kSecond);  // a clock running behind
  EXPECT_FALSE(early.ok);
  EXPECT_EQ(early.reason, "certificate is not yet valid");
  EXPECT_EQ(verifier.verify(nullptr, kT0).reason, "the peer presented no certificate");
}

TEST(PeerVerifier, RemembersAVerifiedChainOnlyInsideItsValidity) {
  CertificateAuthority ca("cluster.local", kT0, Rng(4));
  const PeerVerifier verifier({ca.root()});
  const CertificatePtr cert = issueFor(ca, kPayments, kT0, 30 * kSecond);
  EXPECT_TRUE(verifier.verify(cert, kT0 + kSecond).ok);
  EXPECT_TRUE(verifier.verify(cert, kT0 + 30 * kSecond).ok);  // notAfter itself is still valid
  EXPECT_EQ(verifier.chainVerifications(), 1u);
  EXPECT_EQ(verifier.verify(cert, kT0 + 31 * kSecond).reason, "certificate has expired");
  EXPECT_EQ(verifier.verify(cert, kT0 - kSecond).reason, "certificate is not yet valid");
  EXPECT_EQ(verifier.chainVerifications(), 3u);  // outside the window OpenSSL decides again
}

TEST(PeerVerifier, RefusesAForeignCaAndAWrongIdentity) {
  CertificateAuthority mesh("cluster.local", kT0, Rng(3));
  CertificateAuthority foreign("cluster.local", kT0, Rng(3));  // same name, another key
  const PeerVerifier verifier({mesh.root()});
  const CertificatePtr intruder = issueFor(foreign, kPayments, kT0, kHour);
  const VerifyResult r = verifier.verify(intruder, kT0 + kSecond);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "unable to get local issuer certificate");

  const CertificatePtr checkout = issueFor(mesh, kCheckout, kT0, kHour);
  const VerifyResult wrong = verifier.verify(checkout, kT0 + kSecond, {kPayments});
  EXPECT_FALSE(wrong.ok);
  EXPECT_EQ(wrong.reason, "SAN " + kCheckout + " is not the destination's identity " + kPayments);
  EXPECT_TRUE(verifier.verify(checkout, kT0 + kSecond, {kPayments, kCheckout}).ok);
}

}  // namespace
}  // namespace meshproof::identity
