// The platform gives messages exactly the configured latency (SimGrid's default LV08
// model would inflate it ~13x) and transfers at the configured bandwidth.
#include "sim/platform.h"

#include <gtest/gtest.h>
#include <simgrid/s4u.hpp>

#include <sstream>

#include "fork_runner.h"

namespace meshproof::sim {
namespace {
namespace sg4 = simgrid::s4u;

// Sends `bytes` from `from` to `to` at t=0 and returns the arrival time in seconds.
std::string measure(const std::string& from, const std::string& to, std::uint64_t bytes) {
  auto args = engineArguments(false);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  sg4::Engine engine(&argc, argv.data());
  NetworkSpec net;
  net.zones = {{"zone-a", 200 * kMicrosecond, 10e9}, {"zone-b", 400 * kMicrosecond, 1e9}};
  net.inter_zone_latency = 2 * kMillisecond;
  net.inter_zone_bandwidth_bps = 1e9;
  Platform platform(net, {{"a1", "zone-a"}, {"a2", "zone-a"}, {"b1", "zone-b"}});
  double arrival = -1;
  sg4::Actor::create("sender", platform.host(from), [&] {
    static int payload = 0;
    sg4::Mailbox::by_name("inbox")->put(&payload, bytes);
  });
  sg4::Actor::create("receiver", platform.host(to), [&] {
    sg4::Mailbox::by_name("inbox")->get<int>();
    arrival = sg4::Engine::get_clock();
  });
  engine.run();
  std::ostringstream out;
  out.precision(12);
  out << arrival;
  return out.str();
}

double run(const std::string& from, const std::string& to, std::uint64_t bytes) {
  const auto result = testing::runInChild([&] { return measure(from, to, bytes); });
  EXPECT_EQ(result.exit_code, 0) << result.output;
  return std::stod(result.output);
}

// One byte adds its transmission time on the slowest link: 0.8 ns at 10 Gbps, 8 ns at 1 Gbps.
TEST(Platform, SameZoneMessageSeesTheZoneLatency) { EXPECT_NEAR(run("a1", "a2", 1), 200e-6 + 0.8e-9, 1e-11); }

TEST(Platform, CrossZoneMessageSeesTheInterZoneLatency) {
  EXPECT_NEAR(run("a1", "b1", 1), 2e-3 + 8e-9, 1e-11);
  EXPECT_NEAR(run("b1", "a2", 1), 2e-3 + 8e-9, 1e-11);
}

TEST(Platform, LargeTransferIsBoundByTheSlowestLink) {
  // 1 MB over zone-b's 1 Gbps host link: 8 ms of transfer plus 2 ms of latency.
  EXPECT_NEAR(run("a1", "b1", 1'000'000), 2e-3 + 8e-3, 1e-4);
}

}  // namespace
}  // namespace meshproof::sim
