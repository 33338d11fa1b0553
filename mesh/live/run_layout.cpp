// run.json in and out, and free port discovery (reserved across processes).
#include "mesh/live/run_layout.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

namespace meshproof::live {

namespace fs = std::filesystem;

void writeFileWhole(const std::string& file, const std::string& text, unsigned mode) {
  const std::string tmp = file + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error("cannot write " + file + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw std::runtime_error("cannot write " + file + ": " + std::strerror(error));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 || std::rename(tmp.c_str(), file.c_str()) != 0)
    throw std::runtime_error("cannot write " + file + ": " + std::strerror(errno));
}

const NodePorts* RunLayout::node(const std::string& name) const {
  auto it = nodes.find(name);
  return it == nodes.end() ? nullptr : &it->second;
}

void RunLayout::write() const {
  nlohmann::ordered_json j;
  j["t0_ns"] = t0;
  j["wall_t0_ns"] = wall_t0;
  j["control"] = {{"stream", control_stream}, {"admin", control_admin}};
  for (const auto& [name, p] : nodes)
    j["nodes"][name] = {{"inbound", p.inbound},
                        {"outbound", p.outbound},
                        {"admin", p.admin},
                        {"app", p.app},
                        {"app_admin", p.app_admin}};
  writeFileWhole(path("run.json"), j.dump(2) + "\n");  // a reader (viz --attach) sees it whole or not at all
}

RunLayout RunLayout::read(const std::string& dir) {
  const std::string file = dir + "/run.json";
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file);
  RunLayout layout;
  layout.dir = dir;
  try {
    const auto j = nlohmann::json::parse(in);
    layout.t0 = j.at("t0_ns").get<TimeNs>();
    layout.wall_t0 = j.at("wall_t0_ns").get<TimeNs>();
    layout.control_stream = j.at("control").at("stream").get<std::uint16_t>();
    layout.control_admin = j.at("control").at("admin").get<std::uint16_t>();
    for (const auto& [name, p] : j.at("nodes").items())
      layout.nodes[name] = NodePorts{p.at("inbound").get<std::uint16_t>(), p.at("outbound").get<std::uint16_t>(),
                                     p.at("admin").get<std::uint16_t>(), p.at("app").get<std::uint16_t>(),
                                     p.at("app_admin").get<std::uint16_t>()};
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(file + ": " + e.what());
  }
  return layout;
}

namespace {

// The kernel's ephemeral range (outgoing connections take their local ports there).
std::pair<int, int> ephemeralPortRange() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 32768, high = 60999;
  in >> low >> high;
  return {low, high};
}

bool bindable(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// A port handed out is reserved across processes by an flock on
// /tmp/meshproof-ports/<port>, held as long as this process lives: two runs at once
// (ctest -j2 starts two live meshes) would otherwise both find a port free that
// neither's listener has bound yet, and the second to bind fails. The lock goes with
// the process, however it ends; children do not inherit it (O_CLOEXEC).
bool reserve(std::uint16_t port, std::map<std::uint16_t, int>& held) {
  static const std::string dir = [] {
    const std::string d = (fs::temp_directory_path() / "meshproof-ports").string();
    std::error_code ignored;
    if (fs::create_directory(d, ignored)) {
      fs::permissions(d, fs::perms::all | fs::perms::sticky_bit, ignored);  // shared, like /tmp
    }
    return d;
  }();
  const std::string file = dir + "/" + std::to_string(port);
  const int fd = ::open(file.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
  // A directory this user cannot write (another user's, read-only): the bind check
  // alone across processes; still never the same port twice in this one (fd -1).
  if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
    held[port] = -1;
    return true;
  }
  if (fd < 0) throw std::runtime_error("cannot reserve a port: " + file + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return false;
  }
  held[port] = fd;
  return true;
}

}  // namespace

// Ports are chosen here and bound later by the processes of the run, so they come
// from below the ephemeral range: a port the kernel may hand any outgoing
// connection in between (bind to port 0 draws from that range) would be taken
// before its listener starts. Random, so that parallel runs rarely try the same
// one; reserved, so that they never take the same one.
std::uint16_t freeLoopbackPort() {
  static std::mt19937 pick{std::random_device{}()};
  static std::map<std::uint16_t, int> held;  // port -> the descriptor holding its lock
  const int high = std::min(ephemeralPortRange().first - 1, 65535);
  const int low = std::min(20000, high - 1000);
  std::uniform_int_distribution<int> port(low, high);
  for (int attempt = 0; attempt < 2000; ++attempt) {
    const auto candidate = static_cast<std::uint16_t>(port(pick));
    if (held.count(candidate) || !reserve(candidate, held)) continue;
    if (bindable(candidate)) return candidate;
    if (auto h = held.find(candidate); h != held.end()) {  // taken by something else: not ours to hold
      if (h->second >= 0) ::close(h->second);
      held.erase(h);
    }
  }
  throw std::runtime_error("cannot find a free port on 127.0.0.1 below the ephemeral range");
}

}  // namespace meshproof::live
