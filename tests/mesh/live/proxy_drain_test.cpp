// A live sidecar stopped with SIGTERM drains, as Istio's does in a terminating pod:
// it reports itself not ready, its inbound listener closes, peers' idle connections
// close, what it has accepted is answered, and its app's own calls keep working
// meanwhile; what outlasts the drain time (mesh.proxy.terminationDrainDuration, 3 s
// here) gets the sidecar's own 503 LR, traced. Then the
// process exits. SIGINT, or a second signal, stops it at once.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
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

// Requests go to frontend's outbound port (the test stands in for frontend's app)
// with a Host of "slow" (1.5 s) or "stuck" (60 s), through those services' sidecars.
constexpr const char* kScenario = R"(name: drain
seed: 1
duration: 30s
mesh: {trustDomain: cluster.local, mtls: STRICT, proxy: {terminationDrainDuration: 3s}}
services:
  - name: frontend
    versions: [{name: v1, replicas: 1, behavior: {serviceTime: {fixed: 1ms}}}]
  - name: slow
    versions: [{name: v1, replicas: 1, behavior: {serviceTime: {fixed: 1500ms}}}]
  - name: stuck
    versions: [{name: v1, replicas: 1, behavior: {serviceTime: {fixed: 60s}}}]
workload:
  - {name: shoppers, target: frontend, path: /, rate: 1}
)";

// Polls `condition` every 20 ms until it holds or `timeout` passes.
template <class Condition>
bool eventually(Condition condition, milliseconds timeout) {
  const auto deadline = steady_clock::now() + timeout;
  while (steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return condition();
}

class ProxyDrain : public ::testing::Test {
 protected:
  static std::string scenarioFile(const TempDir& dir) {
    return dir.write("drain.yaml", kScenario);
  }
  void SetUp() override { ASSERT_TRUE(mesh_.layout()) << "meshproof up did not get the mesh ready"; }
  std::uint16_t port(const std::string& node, std::uint16_t NodePorts::*which) const { return mesh_.port(node, which); }
  // A request through frontend's sidecar to `service`, on its own connection and thread.
  std::future<Reply> callInBackground(const std::string& service, milliseconds timeout) const {
    const std::uint16_t outbound = port("frontend-v1-0", &NodePorts::outbound);
    return std::async(std::launch::async, [outbound, service, timeout] {
      return Client(outbound, timeout).request("GET", "/", {}, {{"host", service}});
    });
  }
  // Until `service`'s app is serving a request (so the sidecars have accepted it).
  bool appBusy(const std::string& service) const {
    const std::uint16_t admin = port(service + "-v1-0", &NodePorts::app_admin);
    return eventually(
        [admin] {
          const Reply stats = Client(admin, milliseconds(500)).request("GET", "/stats");
          return stats.status == 200 && nlohmann::json::parse(stats.body, nullptr, false).value("busy", 0) > 0;
        },
        milliseconds(3000));
  }
  // A call to `service` started and accepted (its app serving it); the pid of the
  // sidecar of `node` (-1: none). Fails the test when the call is not under way.
  pid_t callUnderWay(const std::string& service, const std::string& node, std::future<Reply>& call) const {
    const pid_t proxy = mesh_.proxyPid(node);
    EXPECT_GT(proxy, 0) << "no sidecar process for " << node;
    call = callInBackground(service, milliseconds(9000));
    EXPECT_TRUE(appBusy(service)) << "the call to " << service << " never reached its app";
    return proxy;
  }
  static bool endsWithin(pid_t pid, milliseconds timeout) {
    return eventually([pid] { return UpMesh::ended(pid); }, timeout);
  }
  int readyStatus(const std::string& node) const {
    return Client(port(node, &NodePorts::admin), milliseconds(500)).request("GET", "/ready").status;
  }
  bool refuses(std::uint16_t at) const {
    return eventually([at] { return !Client(at, milliseconds(500)).connected(); }, milliseconds(2000));
  }

  TempDir dir_;
  UpMesh mesh_{scenarioFile(dir_)};
};

TEST_F(ProxyDrain, WhatItAcceptedIsAnsweredThenItExits) {
  std::future<Reply> slow;
  const pid_t proxy = callUnderWay("slow", "slow-v1-0", slow);
  ASSERT_GT(proxy, 0);
  const auto stopped_at = steady_clock::now();
  ASSERT_EQ(::kill(proxy, SIGTERM), 0);
  EXPECT_TRUE(refuses(port("slow-v1-0", &NodePorts::inbound))) << "the inbound listener still accepts";
  EXPECT_EQ(readyStatus("slow-v1-0"), 503) << "a draining sidecar must not say it is ready";
  const Reply answer = slow.get();
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_LT(steady_clock::now() - stopped_at, milliseconds(4000));  // answered, not cut at the drain's end
  EXPECT_TRUE(endsWithin(proxy, milliseconds(2000)))
      << "the sidecar did not exit once drained";
}

TEST_F(ProxyDrain, TheAppsOwnCallsKeepWorkingWhileItDrains) {
  std::future<Reply> first;
  const pid_t proxy = callUnderWay("slow", "frontend-v1-0", first);
  ASSERT_GT(proxy, 0);
  ASSERT_EQ(::kill(proxy, SIGTERM), 0);
  std::this_thread::sleep_for(milliseconds(200));
  auto second = callInBackground("slow", milliseconds(5000));  // a new call from the app, during the drain
  EXPECT_EQ(first.get().status, 200);
  const Reply later = second.get();
  EXPECT_EQ(later.status, 200) << later.body;
  EXPECT_TRUE(endsWithin(proxy, milliseconds(2000)))
      << "the sidecar did not exit once its app was owed nothing";
}

TEST_F(ProxyDrain, WhatOutlastsTheDrainTimeGetsTheSidecars503) {
  std::future<Reply> stuck;
  const pid_t proxy = callUnderWay("stuck", "stuck-v1-0", stuck);
  ASSERT_GT(proxy, 0);
  const auto stopped_at = steady_clock::now();
  ASSERT_EQ(::kill(proxy, SIGTERM), 0);
  const Reply answer = stuck.get();
  const auto waited = steady_clock::now() - stopped_at;
  EXPECT_EQ(answer.status, 503) << answer.body;
  EXPECT_GE(waited, milliseconds(2900));  // the scenario's terminationDrainDuration
  EXPECT_LT(waited, milliseconds(4500));
  EXPECT_TRUE(endsWithin(proxy, milliseconds(2000)))
      << "the sidecar did not exit after the drain";
  // Its own reply is in its trace, as Envoy would log a local reset.
  EXPECT_NE(mesh_.events("stuck-v1-0").find(R"("reporter":"destination","source":"cluster.local/ns/default/sa/frontend")"),
            std::string::npos);
  EXPECT_NE(mesh_.events("stuck-v1-0").find(R"("status":503,"flags":"LR")"), std::string::npos)
      << mesh_.events("stuck-v1-0");
}

TEST_F(ProxyDrain, TheAppsCallStillUnderWayAtTheDeadlineIsAnsweredAndTraced) {
  std::future<Reply> stuck;
  const pid_t proxy = callUnderWay("stuck", "frontend-v1-0", stuck);
  ASSERT_GT(proxy, 0);
  ASSERT_EQ(::kill(proxy, SIGTERM), 0);
  const Reply answer = stuck.get();
  EXPECT_EQ(answer.status, 503) << answer.body;
  EXPECT_EQ(answer.header("x-meshproof-flags"), "LR");
  EXPECT_TRUE(endsWithin(proxy, milliseconds(2000)));
  const std::string events = mesh_.events("frontend-v1-0");
  EXPECT_NE(events.find(R"("reporter":"source","source":"frontend-v1-0")"), std::string::npos) << events;
  EXPECT_NE(events.find(R"("destination":"stuck")"), std::string::npos) << events;
  EXPECT_NE(events.find(R"("status":503,"flags":"LR")"), std::string::npos) << events;
}

TEST_F(ProxyDrain, ASecondSignalOrSigintStopsItAtOnce) {
  std::future<Reply> stuck;
  const pid_t proxy = callUnderWay("stuck", "stuck-v1-0", stuck);
  ASSERT_GT(proxy, 0);
  ASSERT_EQ(::kill(proxy, SIGTERM), 0);
  std::this_thread::sleep_for(milliseconds(300));
  ASSERT_FALSE(UpMesh::ended(proxy)) << "it did not wait for what it had accepted";
  const auto second_at = steady_clock::now();
  ASSERT_EQ(::kill(proxy, SIGINT), 0);
  EXPECT_TRUE(endsWithin(proxy, milliseconds(1000)));
  const Reply answer = stuck.get();  // frontend's sidecar answers for the connection that went
  EXPECT_EQ(answer.status, 503) << answer.body;
  EXPECT_LT(steady_clock::now() - second_at, milliseconds(2000));

  const pid_t frontend = mesh_.proxyPid("frontend-v1-0");
  ASSERT_GT(frontend, 0);
  ASSERT_EQ(::kill(frontend, SIGINT), 0);  // SIGINT alone: no drain
  EXPECT_TRUE(endsWithin(frontend, milliseconds(1000)));
}

}  // namespace
}  // namespace meshproof::live
