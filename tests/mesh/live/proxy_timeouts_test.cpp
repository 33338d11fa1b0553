// A live sidecar's downstream connections time out as mesh.proxy says, as Envoy's
// HttpConnectionManager does: a request whose headers trickle in (slowloris) gets 408
// and its connection closes once requestHeadersTimeout has passed since its first
// byte; a connection with no request under way is closed after idleTimeout, and one
// kept busy is not; everyone else is served meanwhile. And with accessLog off (as this
// mesh has it) no access log is written, while the trace still has every request.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "app_test_support.h"
#include "http_test_client.h"
#include "up_mesh.h"

namespace meshproof::live {
namespace {

using testing::Client;
using testing::Reply;
using testing::TempDir;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

// The test stands in for frontend's app, on frontend's outbound port.
constexpr const char* kScenario = R"(name: timeouts
seed: 1
duration: 30s
mesh:
  trustDomain: cluster.local
  mtls: STRICT
  proxy: {idleTimeout: 1500ms, requestHeadersTimeout: 600ms, accessLog: false}
services:
  - name: frontend
    versions: [{name: v1, replicas: 1, behavior: {serviceTime: {fixed: 1ms}}}]
  - name: backend
    versions: [{name: v1, replicas: 1, behavior: {serviceTime: {fixed: 1ms}}}]
workload:
  - {name: shoppers, target: frontend, path: /, rate: 1}
)";

class ProxyTimeouts : public ::testing::Test {
 protected:
  static std::string scenarioFile(const TempDir& dir) {
    return dir.write("timeouts.yaml", kScenario);
  }
  void SetUp() override { ASSERT_TRUE(mesh_.layout()) << "meshproof up did not get the mesh ready"; }
  std::uint16_t outbound() const { return mesh_.port("frontend-v1-0", &NodePorts::outbound); }
  static Reply callBackend(Client& client) { return client.request("GET", "/", {}, {{"host", "backend"}}); }

  TempDir dir_;
  UpMesh mesh_{scenarioFile(dir_)};
};

TEST_F(ProxyTimeouts, HeadersThatTrickleInGet408AtTheTimeoutAndEveryoneElseIsServed) {
  Client bystander(outbound());
  ASSERT_EQ(callBackend(bystander).status, 200);
  Client slowloris(outbound());
  const auto first_byte = steady_clock::now();
  slowloris.sendRaw("GET / HTTP/1.1\r\n");
  for (int i = 0; i < 3; ++i) {  // a header every 100 ms, never the blank line
    std::this_thread::sleep_for(milliseconds(100));
    slowloris.sendRaw("x-drip-" + std::to_string(i) + ": 1\r\n");
    EXPECT_EQ(callBackend(bystander).status, 200) << "the sidecar must keep serving everyone else";
  }
  const Reply reply = slowloris.receive();
  const auto waited = steady_clock::now() - first_byte;
  EXPECT_EQ(reply.status, 408) << reply.body;
  EXPECT_GE(waited, milliseconds(600));
  EXPECT_LT(waited, milliseconds(1100));  // within a tenth of the timeout, and slack for a loaded machine
  EXPECT_TRUE(slowloris.closedByPeer());
  EXPECT_EQ(callBackend(bystander).status, 200);
}

TEST_F(ProxyTimeouts, AWholeRequestInTimeIsAnsweredHoweverSlowlyItCame) {
  Client patient(outbound());
  patient.sendRaw("GET / HTTP/1.1\r\n");
  std::this_thread::sleep_for(milliseconds(300));
  patient.sendRaw("host: backend\r\n\r\n");
  EXPECT_EQ(patient.receive().status, 200);
  EXPECT_TRUE(mesh_.eventuallyInEvents("backend-v1-0", "\"reporter\":\"destination\""));
  EXPECT_FALSE(std::filesystem::exists(mesh_.layout()->path("backend-v1-0.access.log")));
  EXPECT_FALSE(std::filesystem::exists(mesh_.layout()->path("frontend-v1-0.access.log")));
}

TEST_F(ProxyTimeouts, AnIdleConnectionIsClosedAfterTheIdleTimeoutAndABusyOneIsNot) {
  Client idle(outbound(), milliseconds(4000));
  ASSERT_EQ(callBackend(idle).status, 200);
  const auto answered = steady_clock::now();

  Client busy(outbound());
  for (int i = 0; i < 4; ++i) {  // a request every 700 ms: 2.8 s open, never idle for 1.5 s
    EXPECT_EQ(callBackend(busy).status, 200) << "request " << i << " on the busy connection";
    std::this_thread::sleep_for(milliseconds(700));
  }
  EXPECT_EQ(callBackend(busy).status, 200) << "the busy connection was closed";

  EXPECT_TRUE(idle.closedByPeer());  // it was closed while the busy one went on
  const auto closed_after = steady_clock::now() - answered;
  EXPECT_GE(closed_after, milliseconds(1500));
}

TEST_F(ProxyTimeouts, AConnectionThatNeverSendsAByteIsClosedAfterTheIdleTimeout) {
  Client silent(outbound(), milliseconds(4000));
  const auto opened = steady_clock::now();
  EXPECT_TRUE(silent.closedByPeer());
  const auto waited = steady_clock::now() - opened;
  EXPECT_GE(waited, milliseconds(1500));
  EXPECT_LT(waited, milliseconds(2500));
}

}  // namespace
}  // namespace meshproof::live
