// The live control plane's durable state in the run directory
// (control_state_file.h): what one process writes, the next reads back the same;
// the CA comes back with its key (it signs what the old root verifies) and the key
// file is private; readiness files are what the nodes last reported; a damaged
// file is an error naming it, not a silent fresh start.
#include "mesh/live/control/control_state_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "mesh/identity/peer_verifier.h"
#include "app_test_support.h"

namespace meshproof::live {
namespace {

constexpr TimeNs kEpoch = 1'767'225'600 * kSecond;

RunLayout layoutIn(const testing::TempDir& dir) {
  RunLayout layout;
  layout.dir = dir.path();
  return layout;
}

TEST(ControlStateFile, WhatOneProcessWritesTheNextReadsBack) {
  testing::TempDir dir;
  const RunLayout layout = layoutIn(dir);
  EXPECT_FALSE(readControlPlaneState(layout));  // the first start
  SavedControlPlane saved;
  saved.starts = 2;
  saved.ca_revoked = true;
  saved.state.version = 17;
  saved.state.changes_applied = 3;
  saved.state.canaries = {{30, 3, 1, false}, {100, 5, 0, true}};
  saved.state.certified = {"api-v1-0", "ingress-gateway-0"};
  saved.state.ready = {{"api-v1-0", true}, {"api-v1-1", false}};
  writeControlPlaneState(layout, saved);
  const std::optional<SavedControlPlane> back = readControlPlaneState(layout);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, saved);
}

TEST(ControlStateFile, TheCaComesBackWithItsKeyAndTheKeyFileIsPrivate) {
  testing::TempDir dir;
  const RunLayout layout = layoutIn(dir);
  EXPECT_FALSE(readCa(layout, "cluster.local", Rng(1)));
  const identity::CertificateAuthority first("cluster.local", kEpoch, Rng(1));
  writeCa(layout, first);
  struct stat st {};
  ASSERT_EQ(::stat(layout.path("ca-key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::optional<identity::CertificateAuthority> again = readCa(layout, "cluster.local", Rng(2));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->root()->pem(), first.root()->pem());
  const identity::WorkloadKey key = identity::WorkloadKey::generate();
  const std::string id = "spiffe://cluster.local/ns/shop/sa/api";
  const identity::IssueResult issued =
      again->issue(*identity::CertificateRequest::create(key, id), id, kEpoch, kHour);
  ASSERT_TRUE(issued.certificate) << issued.denied;
  const identity::VerifyResult verified =
      identity::PeerVerifier({first.root()}).verify(issued.certificate, kEpoch + kMinute);
  EXPECT_TRUE(verified.ok) << verified.reason;
}

TEST(ControlStateFile, AKeyThatIsNotTheRootsIsRefused) {
  testing::TempDir dir;
  const RunLayout layout = layoutIn(dir);
  writeCa(layout, identity::CertificateAuthority("cluster.local", kEpoch, Rng(1)));
  const identity::CertificateAuthority other("cluster.local", kEpoch, Rng(2));
  dir.write("ca-key.pem", other.key().privatePem());
  try {
    readCa(layout, "cluster.local", Rng(3));
    FAIL() << "a mismatched key was taken";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("ca-key.pem"), std::string::npos) << e.what();
  }
}

TEST(ControlStateFile, ReadinessIsWhatEachNodeLastReported) {
  testing::TempDir dir;
  const RunLayout layout = layoutIn(dir);
  EXPECT_TRUE(readReadiness(layout).empty());  // no registry directory yet
  writeReadiness(layout, "api-v1-0", true, "sidecar ready");
  writeReadiness(layout, "api-v1-1", true, "sidecar ready");
  writeReadiness(layout, "api-v1-1", false, "the process exited");
  const auto readiness = readReadiness(layout);
  ASSERT_EQ(readiness.size(), 2u);
  EXPECT_EQ(readiness.at("api-v1-0"), (std::pair<bool, std::string>{true, "sidecar ready"}));
  EXPECT_EQ(readiness.at("api-v1-1"), (std::pair<bool, std::string>{false, "the process exited"}));
}

TEST(ControlStateFile, ADamagedFileIsAnErrorNamingIt) {
  testing::TempDir dir;
  const RunLayout layout = layoutIn(dir);
  dir.write("control-plane.state.json", "{\"starts\": 1, \"version\": \"seven\"}");
  try {
    readControlPlaneState(layout);
    FAIL() << "a damaged state file was taken";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("control-plane.state.json"), std::string::npos) << e.what();
  }
  writeReadiness(layout, "api-v1-0", true, "sidecar ready");
  dir.write("registry/api-v1-1.json", "{\"reason\": \"no ready field\"}");
  EXPECT_THROW(readReadiness(layout), std::runtime_error);
}

}  // namespace
}  // namespace meshproof::live
