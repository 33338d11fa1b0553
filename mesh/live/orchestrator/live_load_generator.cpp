// Workload generators driven over real HTTP connections.
#include "mesh/live/orchestrator/live_load_generator.h"

#include "chaos/trace/trace_reader.h"
#include "mesh/live/proxy/http_messages.h"

namespace meshproof::live {
namespace {

constexpr std::size_t kConnectionsPerTargetMax = 512;

}  // namespace

LiveLoadGenerator::LiveLoadGenerator(asio::io_context& io, const scenario::Plan& plan, const RunLayout& layout,
                                     const LiveClock& clock, const Rng& rng, EventSink& sink)
    : io_(io), layout_(layout), clock_(clock), timer_(io) {
  for (const auto& node : control::meshNodes(plan)) {
    for (const scenario::Workload* w : node.workloads) {
      Generator g;
      g.core = std::make_unique<workload::WorkloadGenerator>(*w, clock_, rng.fork("node/" + node.name), sink);
      if (node.sidecar) {
        g.ports.push_back(layout_.node(node.name)->outbound);
      } else {
        for (const auto* inst : plan.instancesOf(w->target)) g.ports.push_back(layout_.node(inst->name)->inbound);
      }
      generators_.push_back(std::move(g));
    }
  }
  events_.connected = [this](dataplane::ConnectionId c) {
    const std::uint16_t port = port_of_[c];
    --connecting_[port];
    pools_[port].idle.push_back(c);
    dispatch(port);
  };
  events_.failed = [this](dataplane::ConnectionId c, bool, const PeerCheck&) {
    const std::uint16_t port = port_of_[c];
    --connecting_[port];
    connections_.erase(c);
    port_of_.erase(c);
    // A refused connect fails the oldest request waiting for this target.
    auto& waiting = waiting_[port];
    if (!waiting.empty()) {
      const Pending p = waiting.front().first;
      waiting.erase(waiting.begin());
      generators_[p.generator].core->answered(p.request, 503, kUpstreamConnectionFailure);
      pump();
    }
  };
  events_.closed = [this](dataplane::ConnectionId c) {
    const std::uint16_t port = port_of_[c];
    std::erase(pools_[port].idle, c);
    answer(c, 503, kUpstreamConnectionTermination);
  };
  events_.response = [this](dataplane::ConnectionId c, dataplane::AttemptId, Response&& response) {
    ResponseFlags flags = kNoFlags;
    if (auto field = response.find(kFlagsHeader); field != response.end())
      flags = chaos::parseResponseFlags(field->value()).value_or(kNoFlags);
    answer(c, static_cast<int>(response.result_int()), flags);
  };
}

void LiveLoadGenerator::start() { pump(); }

std::size_t LiveLoadGenerator::outstanding() const {
  std::size_t n = 0;
  for (const auto& g : generators_) n += g.core->outstanding();
  return n;
}

void LiveLoadGenerator::pump() {
  if (finished_) return;
  for (std::size_t i = 0; i < generators_.size(); ++i) {
    workload::ClientSend s;
    while (generators_[i].core->pollAction(s)) send(i, std::move(s));
  }
  armTimer();
}

void LiveLoadGenerator::armTimer() {
  TimeNs next = kNever;
  for (const auto& g : generators_) next = std::min(next, g.core->nextDeadline());
  if (next == kNever) return;
  timer_.expires_at(asio::steady_timer::time_point(std::chrono::nanoseconds(layout_.t0 + next)));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || finished_) return;
    for (auto& g : generators_) g.core->advance();
    pump();
  });
}

void LiveLoadGenerator::send(std::size_t generator, workload::ClientSend s) {
  Generator& g = generators_[generator];
  const std::uint16_t port = g.ports[g.next_port++ % g.ports.size()];
  Request request{beast_http::string_to_verb(s.http.method), s.http.path, 11};
  request.set(beast_http::field::host, s.http.authority);
  for (const auto& h : s.http.headers.items()) request.set(h.name, h.value);
  request.keep_alive(true);
  request.prepare_payload();
  waiting_[port].emplace_back(Pending{generator, s.request}, std::move(request));
  dispatch(port);
}

void LiveLoadGenerator::dispatch(std::uint16_t port) {
  auto& waiting = waiting_[port];
  auto& pool = pools_[port];
  while (!waiting.empty() && !pool.idle.empty()) {
    const dataplane::ConnectionId c = pool.idle.back();
    pool.idle.pop_back();
    auto [pending, request] = std::move(waiting.front());
    waiting.erase(waiting.begin());
    busy_[c] = pending;
    connections_.at(c)->send(pending.request, std::move(request));
  }
  std::size_t& connecting = connecting_[port];
  std::size_t open = 0;
  for (const auto& [c, p] : port_of_) open += p == port;
  while (waiting.size() > connecting && open < kConnectionsPerTargetMax) {
    const dataplane::ConnectionId c = next_connection_++;
    auto connection = std::make_shared<UpstreamConnection>(io_, c, tcp::endpoint(asio::ip::address_v4::loopback(), port),
                                                           false, nullptr, std::string(), events_);
    connections_[c] = connection;
    port_of_[c] = port;
    ++connecting;
    ++open;
    connection->start();
  }
}

void LiveLoadGenerator::answer(dataplane::ConnectionId c, int status, ResponseFlags flags) {
  const std::uint16_t port = port_of_[c];
  if (auto it = busy_.find(c); it != busy_.end()) {
    const Pending p = it->second;
    busy_.erase(it);
    generators_[p.generator].core->answered(p.request, status, flags);
  }
  if (flags == kUpstreamConnectionTermination) {  // the connection is gone
    connections_.erase(c);
    port_of_.erase(c);
  } else if (connections_.count(c)) {
    pools_[port].idle.push_back(c);
  }
  dispatch(port);
  pump();
}

void LiveLoadGenerator::finish() {
  finished_ = true;
  timer_.cancel();
  for (auto& g : generators_) g.core->finish();
  for (auto& [c, connection] : connections_) connection->close();
  connections_.clear();
}

}  // namespace meshproof::live
