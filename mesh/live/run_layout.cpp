// run.json in and out, and free port discovery.
#include "mesh/live/run_layout.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace meshproof::live {

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
  const std::string file = path("run.json");
  std::ofstream out(file);
  out << j.dump(2) << "\n";
  if (!out) throw std::runtime_error("cannot write " + file);
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

std::uint16_t freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t length = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free port on 127.0.0.1");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace meshproof::live
