// The run directory's run.json and the ports chosen for a live run's listeners.
#include "mesh/live/run_layout.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
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

// Two runs at once (ctest -j2) choose their ports before their listeners bind them:
// a port another process has handed out, and still holds, is never handed out here.
// 1,000 ports each from some 12,000 would coincide about 80 times without the
// reservation.
TEST(FreeLoopbackPort, NeverOneThatAnotherLiveProcessHandedOut) {
  constexpr int kEach = 1000;
  int ports[2], release[2];
  ASSERT_EQ(::pipe(ports), 0);
  ASSERT_EQ(::pipe(release), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    for (int i = 0; i < kEach; ++i) {
      const std::uint16_t port = freeLoopbackPort();
      if (::write(ports[1], &port, sizeof port) != sizeof port) ::_exit(1);
    }
    char done;
    (void)!::read(release[0], &done, 1);  // hold the ports until the parent has chosen
    ::_exit(0);
  }
  std::set<std::uint16_t> theirs;
  for (int i = 0; i < kEach; ++i) {
    std::uint16_t port = 0;
    ASSERT_EQ(::read(ports[0], &port, sizeof port), static_cast<ssize_t>(sizeof port));
    theirs.insert(port);
  }
  int taken = 0;
  for (int i = 0; i < kEach; ++i) taken += theirs.count(freeLoopbackPort()) ? 1 : 0;
  EXPECT_EQ(taken, 0) << "ports handed out although another process holds them";
  ASSERT_EQ(::write(release[1], "x", 1), 1);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
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
