// The run directory's run.json and the ports chosen for a live run's listeners.
#include "mesh/live/run_layout.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

namespace meshproof::live {
namespace {

int ephemeralLow() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 32768;
  in >> low;
  return low;
}

bool listenOn(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::listen(fd, 1) == 0;
  ::close(fd);
  return ok;
}

TEST(FreeLoopbackPort, DistinctListenablePortsBelowTheEphemeralRange) {
  std::set<std::uint16_t> seen;
  for (int i = 0; i < 200; ++i) {
    const std::uint16_t port = freeLoopbackPort();
    EXPECT_LT(port, ephemeralLow()) << "outgoing connections may take ports from " << ephemeralLow();
    EXPECT_GE(port, 1024);
    EXPECT_TRUE(seen.insert(port).second) << port << " handed out twice";
    EXPECT_TRUE(listenOn(port)) << port;
  }
}

TEST(RunLayout, RunJsonRoundTripsEveryPort) {
  RunLayout layout;
  layout.dir = (std::filesystem::temp_directory_path() / ("run-layout-test-" + std::to_string(::getpid()))).string();
  std::filesystem::create_directories(layout.dir);
  layout.t0 = 123456789;
  layout.wall_t0 = 987654321;
  layout.control_stream = 20001;
  layout.control_admin = 20002;
  layout.nodes["payments-v1-0"] = NodePorts{20003, 20004, 20005, 20006, 20007};
  layout.write();
  const RunLayout back = RunLayout::read(layout.dir);
  EXPECT_EQ(back.t0, layout.t0);
  EXPECT_EQ(back.wall_t0, layout.wall_t0);
  EXPECT_EQ(back.control_stream, 20001);
  EXPECT_EQ(back.control_admin, 20002);
  ASSERT_NE(back.node("payments-v1-0"), nullptr);
  EXPECT_EQ(back.node("payments-v1-0")->inbound, layout.nodes["payments-v1-0"].inbound);
  EXPECT_EQ(back.node("payments-v1-0")->app_admin, 20007);
  EXPECT_EQ(back.node("nobody"), nullptr);
  std::filesystem::remove_all(layout.dir);
}

}  // namespace
}  // namespace meshproof::live
