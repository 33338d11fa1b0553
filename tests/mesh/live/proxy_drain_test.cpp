// A live sidecar stopped with SIGTERM drains, as Istio's does in a terminating pod:
// its listeners close, idle connections close, and what it has accepted is answered
// (each answer its connection's last); what outlasts the drain time (5 s) gets the
// sidecar's own 503. Then the process exits.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <future>
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

// frontend's sidecar is the one stopped; its app calls nothing, so requests sent to
// its outbound port with a Host of "slow" (1.5 s) or "stuck" (60 s) go out through it.
constexpr const char* kScenario = R"(name: drain
seed: 1
duration: 30s
mesh: {trustDomain: cluster.local, mtls: STRICT}
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

class ProxyDrain : public ::testing::Test {
 protected:
  static std::string scenarioFile(const TempDir& dir) {
    dir.write("drain.yaml", kScenario);
    return dir.path() + "/drain.yaml";
  }
  void SetUp() override { ASSERT_TRUE(mesh_.layout()) << "meshproof up did not get the mesh ready"; }
  std::uint16_t outbound() const { return mesh_.port("frontend-v1-0", &NodePorts::outbound); }
  // A request through frontend's sidecar to `service`, on its own connection and thread.
  std::future<Reply> callInBackground(const std::string& service, std::chrono::milliseconds timeout) const {
    const std::uint16_t port = outbound();
    return std::async(std::launch::async, [port, service, timeout] {
      return Client(port, timeout).request("GET", "/", {}, {{"host", service}});
    });
  }
  // Whether `pid` has ended within `timeout`.
  static bool endsWithin(pid_t pid, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (UpMesh::ended(pid)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  TempDir dir_;
  UpMesh mesh_{scenarioFile(dir_)};
};

TEST_F(ProxyDrain, WhatItAcceptedIsAnsweredThenItExits) {
  const pid_t proxy = mesh_.proxyPid("frontend-v1-0");
  ASSERT_GT(proxy, 0);
  Client idle(outbound());
  ASSERT_EQ(idle.request("GET", "/", {}, {{"host", "slow"}}).status, 200);  // a pooled connection to slow, kept
  auto slow = callInBackground("slow", std::chrono::milliseconds(5000));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // accepted and under way
  const auto stopped_at = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill(proxy, SIGTERM), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(Client(outbound(), std::chrono::milliseconds(500)).connected()) << "still accepting connections";
  EXPECT_TRUE(idle.closedByPeer()) << "an idle connection stayed open";
  const Reply answer = slow.get();
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.header("connection"), "close");
  EXPECT_LT(std::chrono::steady_clock::now() - stopped_at, std::chrono::milliseconds(4000));  // not the drain's end
  EXPECT_TRUE(endsWithin(proxy, std::chrono::milliseconds(2000))) << "the sidecar did not exit once drained";
}

TEST_F(ProxyDrain, WhatOutlastsTheDrainTimeGetsTheSidecars503) {
  const pid_t proxy = mesh_.proxyPid("frontend-v1-0");
  ASSERT_GT(proxy, 0);
  auto stuck = callInBackground("stuck", std::chrono::milliseconds(9000));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto stopped_at = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill(proxy, SIGTERM), 0);
  const Reply answer = stuck.get();
  const auto waited = std::chrono::steady_clock::now() - stopped_at;
  EXPECT_EQ(answer.status, 503) << answer.body;
  EXPECT_EQ(answer.header("connection"), "close");
  EXPECT_GE(waited, std::chrono::milliseconds(4900));  // Istio's 5 s terminationDrainDuration
  EXPECT_LT(waited, std::chrono::milliseconds(7000));
  EXPECT_TRUE(endsWithin(proxy, std::chrono::milliseconds(2000))) << "the sidecar did not exit after the drain";
}

TEST_F(ProxyDrain, ASecondSignalStopsItAtOnce) {
  const pid_t proxy = mesh_.proxyPid("frontend-v1-0");
  ASSERT_GT(proxy, 0);
  auto stuck = callInBackground("stuck", std::chrono::milliseconds(9000));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(::kill(proxy, SIGTERM), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_FALSE(UpMesh::ended(proxy)) << "it did not wait for what it had accepted";
  ASSERT_EQ(::kill(proxy, SIGTERM), 0);
  EXPECT_TRUE(endsWithin(proxy, std::chrono::milliseconds(1000)));
  EXPECT_EQ(stuck.get().status, 0);  // the connection went with it
}

}  // namespace
}  // namespace meshproof::live
