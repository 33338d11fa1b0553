// authz (denials seen by the destination's sidecar for one caller's principal) and
// mtls (share of sidecar-to-sidecar hops carried over mTLS).
#include <gtest/gtest.h>

#include "event_builders.h"
#include "expectation_fixture.h"

namespace meshproof::chaos {
namespace {

using namespace testing;

constexpr const char* kFrontend = "cluster.local/ns/shop/sa/frontend";

scenario::AuthzExpectation authz(bool allowed) {
  scenario::AuthzExpectation spec;
  spec.from_service = "frontend";
  spec.to_service = "payments";
  spec.allowed = allowed;
  return spec;
}

TEST(AuthzChecker, DeniedEveryTime) {
  TimedEvents events{
      at(destinationHop("payments", kFrontend, 403, 10 * kSecond, kRbacDenied)),
      at(destinationHop("payments", kFrontend, 403, 11 * kSecond, kRbacDenied)),
      at(destinationHop("payments", "cluster.local/ns/shop/sa/checkout", 200, 12 * kSecond)),  // other caller
      at(destinationHop("checkout", kFrontend, 200, 12 * kSecond)),                            // other service
      at(sourceHop("payments", 200, 13 * kSecond, kMillisecond)),  // the caller's own report: not counted
  };
  EXPECT_EQ(verdictOf(authz(false), events),
            R"j({"name":"e","type":"authz","passed":true,"observed":{"principal":"cluster.local/ns/shop/sa/frontend",)j"
            R"j("attempts":2,"denied":2,"admitted":0}})j");
}

TEST(AuthzChecker, AnAttemptThatGotThroughFailsADenial) {
  TimedEvents events{
      at(destinationHop("payments", kFrontend, 403, 10 * kSecond, kRbacDenied)),
      at(destinationHop("payments", kFrontend, 403, 11 * kSecond)),  // 403 from the app, not RBAC
      at(destinationHop("payments", kFrontend, 200, 12 * kSecond)),
  };
  EXPECT_EQ(verdictOf(authz(false), events),
            R"j({"name":"e","type":"authz","passed":false,"observed":{"principal":"cluster.local/ns/shop/sa/frontend",)j"
            R"j("attempts":3,"denied":1,"admitted":2},"reason":"2 of 3 attempts from cluster.local/ns/shop/sa/frontend )j"
            R"j(to payments were admitted (first at 11.000 s)","at_s":11.0})j");
}

TEST(AuthzChecker, NoAttemptPassesADenialWithANote) {
  EXPECT_EQ(verdictOf(authz(false), {}),
            R"j({"name":"e","type":"authz","passed":true,"observed":{"principal":"cluster.local/ns/shop/sa/frontend",)j"
            R"j("attempts":0,"denied":0,"admitted":0},"note":"no attempts from cluster.local/ns/shop/sa/frontend to )j"
            R"j(payments: nothing was let in"})j");
}

TEST(AuthzChecker, AllowedNeedsAnAttemptAndNoDenial) {
  EXPECT_EQ(verdictOf(authz(true), {at(destinationHop("payments", kFrontend, 503, 10 * kSecond))}),
            R"j({"name":"e","type":"authz","passed":true,"observed":{"principal":"cluster.local/ns/shop/sa/frontend",)j"
            R"j("attempts":1,"denied":0,"admitted":1}})j");
  EXPECT_EQ(verdictOf(authz(true), {}),
            R"j({"name":"e","type":"authz","passed":false,"observed":{"principal":"cluster.local/ns/shop/sa/frontend",)j"
            R"j("attempts":0,"denied":0,"admitted":0},"reason":"no attempts from cluster.local/ns/shop/sa/frontend to )j"
            R"j(payments","at_s":120.0})j");
  EXPECT_EQ(verdictOf(authz(true), {at(destinationHop("payments", kFrontend, 200, 9 * kSecond)),
                                    at(destinationHop("payments", kFrontend, 403, 10 * kSecond, kRbacDenied))}),
            R"j({"name":"e","type":"authz","passed":false,"observed":{"principal":"cluster.local/ns/shop/sa/frontend",)j"
            R"j("attempts":2,"denied":1,"admitted":1},"reason":"1 of 2 attempts from cluster.local/ns/shop/sa/frontend )j"
            R"j(to payments were denied (first at 10.000 s)","at_s":10.0})j");
}

TEST(AuthzChecker, APrincipalCanBeNamedDirectly) {
  scenario::AuthzExpectation spec = authz(false);
  spec.from_service.clear();
  spec.from_principal = "cluster.local/ns/batch/sa/job";
  EXPECT_EQ(verdictOf(spec, {at(destinationHop("payments", "cluster.local/ns/batch/sa/job", 403, kSecond, kRbacDenied)),
                             at(destinationHop("payments", kFrontend, 200, kSecond))}),
            R"j({"name":"e","type":"authz","passed":true,"observed":{"principal":"cluster.local/ns/batch/sa/job",)j"
            R"j("attempts":1,"denied":1,"admitted":0}})j");
}

TEST(AuthzChecker, AnUnknownCallerFailsInsteadOfMatchingPlaintextRequests) {
  scenario::AuthzExpectation spec = authz(false);
  spec.from_service = "nobody";
  EXPECT_EQ(verdictOf(spec, {at(destinationHop("payments", "", 200, kSecond))}),
            R"j({"name":"e","type":"authz","passed":false,"observed":{"principal":"","attempts":0,"denied":0,)j"
            R"j("admitted":0},"reason":"no principal for caller \"nobody\"","at_s":120.0})j");
}

TEST(MtlsChecker, CoverageOfHopsThatReachedAnUpstream) {
  RequestEvent plaintext = sourceHop("checkout", 200, 3 * kSecond, kMillisecond);
  plaintext.mtls = false;
  RequestEvent local_reply = sourceHop("payments", 503, 4 * kSecond, 0, kUpstreamOverflow);  // attempts 0
  local_reply.mtls = false;
  TimedEvents events{
      at(sourceHop("payments", 200, kSecond, kMillisecond)),
      at(sourceHop("payments", 200, 2 * kSecond, kMillisecond)),
      at(plaintext),
      at(sourceHop("payments", 200, 5 * kSecond, kMillisecond)),
      at(local_reply),
      at(destinationHop("payments", "", 200, 6 * kSecond)),  // an outside client: no sidecar sent it
  };
  scenario::MtlsExpectation full;
  EXPECT_EQ(verdictOf(full, events),
            R"j({"name":"e","type":"mtls","passed":false,"observed":{"coverage":75.0,"requests":4,"mtlsRequests":3},)j"
            R"j("reason":"coverage 75.000% < min 100.000% (first plaintext hop frontend-v1-0 -> checkout at )j"
            R"j(3.000 s)","at_s":3.0})j");
  EXPECT_EQ(verdictOf(scenario::MtlsExpectation{75}, events),
            R"j({"name":"e","type":"mtls","passed":true,"observed":{"coverage":75.0,"requests":4,"mtlsRequests":3}})j");
}

TEST(MtlsChecker, FailsWithoutInMeshRequests) {
  EXPECT_EQ(verdictOf(scenario::MtlsExpectation{}, {at(destinationHop("payments", "", 200, kSecond))}),
            R"j({"name":"e","type":"mtls","passed":false,"observed":{"coverage":null,"requests":0,"mtlsRequests":0},)j"
            R"j("reason":"no in-mesh requests","at_s":120.0})j");
}

}  // namespace
}  // namespace meshproof::chaos
