// The built-in load generator in live mode: the same WorkloadGenerator state machines
// as the simulator, their requests sent as real HTTP/1.1 over keep-alive connection
// pools. A workload entering through the ingress gateway (or an in-mesh client's
// sidecar) sends to that sidecar's outbound listener with `Host: <target>`; an
// unauthenticated one goes in plaintext straight to the target's instances, round
// robin. A request whose connection fails or resets is answered 503 UF / UC, as the
// simulator's clients see it.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <vector>

#include "mesh/control/mesh_nodes.h"
#include "mesh/live/live_clock.h"
#include "mesh/live/proxy/upstream_connection.h"
#include "mesh/live/run_layout.h"
#include "mesh/workload/workload_generator.h"

namespace meshproof::live {

class LiveLoadGenerator {
 public:
  LiveLoadGenerator(asio::io_context& io, const scenario::Plan& plan, const RunLayout& layout, const LiveClock& clock,
                    const Rng& rng, EventSink& sink);

  void start();
  std::size_t outstanding() const;
  // The run is over: what is still waiting is lost; connections close.
  void finish();

 private:
  struct Generator {
    std::unique_ptr<workload::WorkloadGenerator> core;
    std::vector<std::uint16_t> ports;  // where its requests go (one, or the target's instances)
    std::size_t next_port = 0;
  };
  struct Pending {
    std::size_t generator = 0;
    std::uint64_t request = 0;
  };
  struct Pool {
    std::vector<dataplane::ConnectionId> idle;
  };

  void pump();
  void armTimer();
  void send(std::size_t generator, workload::ClientSend send);
  void dispatch(std::uint16_t port);
  void answer(dataplane::ConnectionId connection, int status, ResponseFlags flags);

  asio::io_context& io_;
  const RunLayout& layout_;
  const LiveClock& clock_;
  std::vector<Generator> generators_;
  asio::steady_timer timer_;
  UpstreamConnection::Events events_;
  std::map<dataplane::ConnectionId, std::shared_ptr<UpstreamConnection>> connections_;
  std::map<dataplane::ConnectionId, std::uint16_t> port_of_;
  std::map<dataplane::ConnectionId, Pending> busy_;
  std::map<std::uint16_t, Pool> pools_;
  std::map<std::uint16_t, std::vector<std::pair<Pending, Request>>> waiting_;
  std::map<std::uint16_t, std::size_t> connecting_;
  dataplane::ConnectionId next_connection_ = 1;
  bool finished_ = false;
};

}  // namespace meshproof::live
