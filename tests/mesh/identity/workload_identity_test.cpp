// The agent's certificate state machine on a manual clock: it asks for a new
// certificate when rotateBefore is left, backs off 1 s, 2 s, 4 s while the CA refuses,
// reports the certificate expiring unrenewed once, and plans on its own (skewed)
// wall clock.
#include "mesh/identity/workload_identity.h"

#include <gtest/gtest.h>

#include "mesh/identity/certificate_authority.h"

namespace meshproof::identity {
namespace {

constexpr TimeNs kEpoch = 1'767'225'600 * kSecond;
const std::string kId = "spiffe://cluster.local/ns/shop/sa/payments";

struct Fixture {
  ManualClock clock{0, kEpoch};
  RecordingSink sink;
  CertificateAuthority ca{"cluster.local", kEpoch, Rng(9)};
  WorkloadIdentity identity{"payments-v1-0", kId, clock, sink, RotationPolicy{15 * kSecond}};

  void bootstrap(DurationNs ttl) {
    const WorkloadKey key = WorkloadKey::generate();
    identity.install(key, ca.issue(*CertificateRequest::create(key, kId), kId, clock.wallNow(), ttl).certificate);
  }
  // Runs the agent to its next deadline; true when it produced a request.
  CertificateRequestPtr step() {
    clock.set(identity.nextDeadline());
    identity.advance();
    CertificateRequestPtr request;
    identity.pollRequest(request);
    return request;
  }
  // The CA signs at the true time (its clock is not skewed).
  void answer(const CertificateRequestPtr& request) {
    identity.issued(ca.issue(*request, kId, kEpoch + clock.now(), 30 * kSecond).certificate);
  }
};

TEST(WorkloadIdentity, RotatesWhenRotateBeforeIsLeft) {
  Fixture f;
  f.bootstrap(30 * kSecond);
  EXPECT_TRUE(f.identity.certificateValidNow());
  EXPECT_EQ(f.identity.nextDeadline(), 15 * kSecond);
  const auto request = f.step();
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(f.clock.now(), 15 * kSecond);
  EXPECT_EQ(request->requestedSpiffeId(), kId);
  const std::string old_serial = f.identity.certificate()->serialHex();
  f.answer(request);
  EXPECT_NE(f.identity.certificate()->serialHex(), old_serial);
  EXPECT_EQ(f.identity.certificate()->notAfter(), kEpoch + 45 * kSecond);
  EXPECT_EQ(f.identity.nextDeadline(), 30 * kSecond);
  EXPECT_TRUE(f.sink.all<CertEvent>().empty());
}

TEST(WorkloadIdentity, BacksOffWhileRefusedAndReportsExpiryOnce) {
  Fixture f;
  f.bootstrap(30 * kSecond);
  std::vector<TimeNs> asked;
  while (f.identity.nextDeadline() <= 40 * kSecond) {
    if (auto request = f.step()) {
      asked.push_back(f.clock.now());
      f.identity.denied("the mesh CA is revoked");
    }
  }
  // 15 s, then 1, 2, 4, 8, 16 s later (capped at 16 s).
  EXPECT_EQ(asked, (std::vector<TimeNs>{15 * kSecond, 16 * kSecond, 18 * kSecond, 22 * kSecond, 30 * kSecond}));
  const auto events = f.sink.all<CertEvent>();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].state, "expired");
  EXPECT_EQ(events[0].expires, 30 * kSecond);
  EXPECT_EQ(f.sink.entries[0].t, 31 * kSecond);
  EXPECT_FALSE(f.identity.certificateValidNow());
}

TEST(WorkloadIdentity, AnUnansweredRequestIsSentAgain) {
  Fixture f;
  f.bootstrap(30 * kSecond);
  ASSERT_NE(f.step(), nullptr);  // at 15 s; the answer is lost
  const auto again = f.step();
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(f.clock.now(), 20 * kSecond);  // the 5 s request timeout
  f.answer(again);
  EXPECT_TRUE(f.identity.certificateValidNow());
}

TEST(WorkloadIdentity, ASkewedClockRotatesAtOnceAndDoesNotSpin) {
  Fixture f;
  f.bootstrap(30 * kSecond);
  f.clock.set(kSecond);
  f.clock.skewWall(25 * kHour);  // clock-skew +25h: every certificate looks expired
  EXPECT_FALSE(f.identity.certificateValidNow());
  const auto request = f.step();
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(f.clock.now(), kSecond);
  f.answer(request);  // the CA's clock is right; this node still sees the new one expired
  EXPECT_FALSE(f.identity.certificateValidNow());
  f.identity.advance();
  // Both the first certificate and the new one are past notAfter by this clock.
  const auto events = f.sink.all<CertEvent>();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].state, "expired");
  EXPECT_EQ(events[1].state, "expired");
  EXPECT_NE(events[0].serial, events[1].serial);
  EXPECT_EQ(f.identity.nextDeadline(), 2 * kSecond);  // backoff, not a tight loop
}

}  // namespace
}  // namespace meshproof::identity
