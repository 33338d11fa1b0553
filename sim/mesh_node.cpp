// The node actor: clock, mailbox multiplexing, the carriage of sidecar, agent, app
// and load-generator actions over the simulated network, and the TLS handshakes.
#include "sim/mesh_node.h"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cmath>

#include "mesh/dataplane/config_validation.h"
#include "mesh/control/mesh_nodes.h"
#include "sim/node_loop.h"
#include "sim/simulation.h"

namespace meshproof::sim {
namespace sg4 = simgrid::s4u;

MeshNode::MeshNode(SimContext& context, NodeSpec spec, std::uint32_t index)
    : ctx_(context),
      spec_(std::move(spec)),
      index_(index),
      clock_(0, kSimWallEpoch),
      node_rng_(context.rng.fork("node/" + spec_.name)),
      process_rng_(context.rng) {
  for (const scenario::Workload* w : spec_.workloads)
    generators_.push_back(std::make_unique<workload::WorkloadGenerator>(*w, clock_, node_rng_, ctx_.sink));
  startProcess();
}

MeshNode::~MeshNode() = default;

void MeshNode::startProcess() {
  // A restarted process draws from streams of its own, so it does not replay the
  // first incarnation's draws.
  process_rng_ = incarnation_ == 0 ? ctx_.rng : ctx_.rng.fork("restart-" + std::to_string(incarnation_));
  if (spec_.sidecar) {
    const dataplane::SidecarIdentity& id = *spec_.sidecar;
    control::AgentSpec agent;
    agent.node = spec_.name;
    agent.service = id.service;
    agent.spiffe_uri = control::spiffeUri(ctx_.plan, id);
    agent.rotation.rotate_before = ctx_.plan.mesh.security.certificates.rotate_before;
    agent_ = std::make_unique<control::SidecarAgent>(agent, clock_, process_rng_.fork("agent/" + spec_.name), *this,
                                                     *this);
    if (incarnation_ == 0) {  // the mesh was up before the run: configured and certified
      const control::SnapshotPtr& snapshot = ctx_.control_plane.current();
      apply(*snapshot);
      identity::WorkloadKey key = identity::WorkloadKey::generate();
      identity::CertificatePtr certificate = ctx_.control_plane.bootstrapCertificate(spec_.name, key);
      agent_->bootstrap(snapshot, std::move(key), std::move(certificate));
    }
  }
  if (spec_.behavior) app_ = std::make_unique<app::AppInstance>(*spec_.behavior, spec_.name, clock_, process_rng_);
  applyAppFaults();
}

std::optional<std::string> MeshNode::apply(const control::ConfigSnapshot& snapshot) {
  if (!sidecar_) {
    if (auto reason = dataplane::configRejection(*snapshot.config, ctx_.directory)) return reason;
    sidecar_ = std::make_unique<dataplane::Sidecar>(*spec_.sidecar, snapshot.config, ctx_.directory, clock_,
                                                    process_rng_, *this);
  } else if (auto reason = sidecar_->applyConfig(snapshot.config)) {
    return reason;
  }
  sidecar_->applyEndpoints(snapshot.endpoints);
  return std::nullopt;
}

void MeshNode::emit(TimeNs t, const Event& event) {
  ctx_.sink.emit(t, event);
  if (const auto* request = std::get_if<RequestEvent>(&event))
    if (agent_ && request->reporter == "destination") agent_->observeInbound(*request);
}

void MeshNode::skewClock(DurationNs offset) {
  syncClock(clock_);
  clock_.skewWall(offset);
}

void MeshNode::applyAppFaults() {
  if (!app_) return;
  if (latency_fault_) {
    app_->setLatencyFault(latency_fault_->first, latency_fault_->second);
  } else {
    app_->clearLatencyFault();
  }
  if (abort_fault_) {
    app_->setAbortFault(abort_fault_->first, abort_fault_->second);
  } else {
    app_->clearAbortFault();
  }
  app_->setCpuFactor(cpu_factor_);
}

void MeshNode::setLatencyFault(std::optional<std::pair<DurationNs, DurationNs>> delay_and_jitter) {
  latency_fault_ = delay_and_jitter;
  applyAppFaults();
}

void MeshNode::setAbortFault(std::optional<std::pair<int, double>> status_and_percentage) {
  abort_fault_ = status_and_percentage;
  applyAppFaults();
}

void MeshNode::setCpuFactor(double factor) {
  cpu_factor_ = factor;
  applyAppFaults();
}

TimeNs MeshNode::nextDeadline() const {
  TimeNs next = delayed_.empty() ? kNever : delayed_.top().at;
  if (!scheduled_.empty()) next = std::min(next, scheduled_.begin()->first);
  if (agent_) next = std::min(next, agent_->nextDeadline());
  if (sidecar_) next = std::min(next, sidecar_->nextDeadline());
  if (app_) next = std::min(next, app_->nextDeadline());
  for (const auto& g : generators_) next = std::min(next, g->nextDeadline());
  return next;
}

void MeshNode::advanceAll() {
  while (!delayed_.empty() && delayed_.top().at <= clock_.now()) {
    std::shared_ptr<NetMessage> m = delayed_.top().message;
    delayed_.pop();
    m->not_before = 0;
    handle(std::make_unique<NetMessage>(std::move(*m)));
  }
  if (agent_) agent_->advance();
  if (sidecar_) sidecar_->advance();
  if (app_) app_->advance();
  for (auto& g : generators_) g->advance();
  pump();
}

void MeshNode::run() {
  MailboxWaiter waiter(ctx_.network.mailbox(index_));
  for (;;) {
    syncClock(clock_);
    while (!scheduled_.empty() && scheduled_.begin()->first <= clock_.now()) {
      auto action = std::move(scheduled_.begin()->second);
      scheduled_.erase(scheduled_.begin());
      action();
    }
    advanceAll();
    if (auto message = waiter.wait(nextDeadline(), clock_)) handle(std::move(message));
  }
}

void MeshNode::send(std::uint32_t to, std::uint32_t to_epoch, std::unique_ptr<NetMessage> message) {
  message->to_epoch = to_epoch;
  ctx_.network.send(index_, to, std::move(message), clock_.now());
}

void MeshNode::tellRegistry(RegistryStatus status) {
  auto m = std::make_unique<NetMessage>();
  m->kind = MessageKind::kRegistry;
  m->stage = status;
  send(ctx_.control_plane_node, ctx_.network.epoch(ctx_.control_plane_node), std::move(m));
}

void MeshNode::pumpAgent() {
  // An instance's readiness follows its sidecar's (configuration and certificate).
  if (agent_ && !spec_.sidecar->service.empty() && agent_->ready() != registered_ready_) {
    registered_ready_ = agent_->ready();
    tellRegistry(registered_ready_ ? kReady : kNotReady);
  }
  if (!agent_ || !agent_->hasActions()) return;
  control::AgentAction action;
  while (agent_->pollAction(action)) {
    auto m = std::make_unique<NetMessage>();
    m->connection = kControlStream;
    if (std::holds_alternative<control::ConnectStream>(action)) {
      control_epoch_ = ctx_.network.epoch(ctx_.control_plane_node);
      m->kind = MessageKind::kConnect;
    } else {
      m->kind = MessageKind::kControl;
      m->to_control_plane =
          std::make_shared<const control::ToControlPlane>(std::move(std::get<control::SendToControlPlane>(action).message));
    }
    send(ctx_.control_plane_node, control_epoch_, std::move(m));
  }
}

void MeshNode::pump() {
  bool progressed = true;
  while (progressed) {
    progressed = false;
    pumpAgent();
    if (sidecar_ && sidecar_->hasActions()) {
      dataplane::SidecarAction action;
      while (sidecar_->pollAction(action)) {
        progressed = true;
        if (auto* open = std::get_if<dataplane::OpenUpstreamConnection>(&action)) {
          const std::uint32_t server = ctx_.network.nodeIndex(open->endpoint.instance);
          const std::uint32_t epoch = ctx_.network.epoch(server);
          std::string expected;
          if (const dataplane::ServiceInfo* info = ctx_.directory.find(open->endpoint.service))
            expected = control::spiffeUri(ctx_.plan, info->namespace_,
                                          info->service_account.empty() ? info->name : info->service_account);
          upstreams_[open->connection] = Upstream{server, epoch, open->mtls, std::move(expected)};
          auto m = std::make_unique<NetMessage>();
          m->kind = MessageKind::kConnect;
          m->connection = open->connection;
          m->mtls = open->mtls;
          send(server, epoch, std::move(m));
        } else if (auto* close = std::get_if<dataplane::CloseUpstreamConnection>(&action)) {
          auto it = upstreams_.find(close->connection);
          if (it == upstreams_.end()) continue;
          auto m = std::make_unique<NetMessage>();
          m->kind = MessageKind::kClose;
          m->connection = close->connection;
          send(it->second.node, it->second.epoch, std::move(m));
          upstreams_.erase(it);
        } else if (auto* out = std::get_if<dataplane::SendUpstream>(&action)) {
          auto it = upstreams_.find(out->connection);
          if (it == upstreams_.end()) continue;
          auto m = std::make_unique<NetMessage>();
          m->kind = MessageKind::kRequest;
          m->connection = out->connection;
          m->exchange = out->attempt;
          m->mtls = out->mtls;
          m->request = std::move(out->request);
          send(it->second.node, it->second.epoch, std::move(m));
        } else if (auto* answer = std::get_if<dataplane::RespondToApp>(&action)) {
          if (isClientExchange(answer->request)) {
            answerClient(answer->request, answer->status, answer->flags);
          } else if (app_) {
            app_->callAnswered(answer->request, answer->status);
          }
        } else if (auto* deliver = std::get_if<dataplane::DeliverToApp>(&action)) {
          if (app_) {
            app_->request(deliver->request, std::move(deliver->http));
          } else {
            sidecar_->appResponded(deliver->request, 404);
          }
        } else if (auto* reply = std::get_if<dataplane::RespondToPeer>(&action)) {
          auto it = inbound_.find(reply->request);
          if (it == inbound_.end()) continue;
          auto m = std::make_unique<NetMessage>();
          m->kind = MessageKind::kResponse;
          m->exchange = it->second.exchange;
          m->status = reply->status;
          m->flags = reply->flags;
          m->mtls = it->second.mtls;
          send(it->second.from_node, it->second.from_epoch, std::move(m));
          inbound_.erase(it);
        }
      }
    }
    if (app_ && app_->hasActions()) {
      app::AppAction action;
      while (app_->pollAction(action)) {
        progressed = true;
        if (auto* respond = std::get_if<app::Respond>(&action)) {
          sidecar_->appResponded(respond->request, respond->status);
        } else if (auto* call = std::get_if<app::Call>(&action)) {
          sidecar_->appRequest(call->call, std::move(call->http));
        }
      }
    }
    for (std::size_t g = 0; g < generators_.size(); ++g) {
      if (!generators_[g]->hasActions()) continue;
      workload::ClientSend s;
      while (generators_[g]->pollAction(s)) {
        progressed = true;
        sendClientRequest(g, std::move(s));
      }
    }
  }
}

void MeshNode::sendClientRequest(std::size_t generator, workload::ClientSend s) {
  const std::uint64_t exchange = clientExchange(generator, s.request);
  if (sidecar_) {  // through this node's sidecar: the ingress gateway or an in-mesh client
    sidecar_->appRequest(exchange, std::move(s.http));
    return;
  }
  // A client outside the mesh talks plaintext straight to an instance of the target.
  const std::uint32_t server = pickDirectTarget(s.http.authority);
  direct_requests_[exchange] = server;
  auto m = std::make_unique<NetMessage>();
  m->kind = MessageKind::kRequest;
  m->exchange = exchange;
  m->request = std::move(s.http);
  send(server, ctx_.network.epoch(server), std::move(m));
}

std::uint32_t MeshNode::pickDirectTarget(const std::string& service) {
  const auto instances = ctx_.plan.instancesOf(service);
  std::uint32_t& next = direct_round_robin_[service];
  const scenario::Instance* target = instances[next++ % instances.size()];
  return ctx_.network.nodeIndex(target->name);
}

void MeshNode::answerClient(std::uint64_t exchange, int status, ResponseFlags flags) {
  const std::size_t g = generatorOf(exchange);
  if (g < generators_.size()) generators_[g]->answered(requestOf(exchange), status, flags);
}

void MeshNode::handle(std::unique_ptr<NetMessage> m) {
  if (m->not_before > clock_.now()) {
    const TimeNs at = m->not_before;
    delayed_.push(Delayed{at, delayed_sequence_++, std::shared_ptr<NetMessage>(std::move(m))});
    return;
  }
  // A connect reaches whichever process listens now. Anything else addressed to a
  // previous incarnation belongs to a connection the kernel no longer knows: a
  // request gets a reset, the rest is dropped.
  const bool stale = m->kind != MessageKind::kConnect && m->to_epoch != ctx_.network.epoch(index_);
  if (crashed_ || (stale && m->kind == MessageKind::kRequest)) {
    handleWhileCrashed(*m);
    return;
  }
  if (stale) return;
  if (m->connection == kControlStream) {
    handleControl(*m);
    pump();
    return;
  }
  switch (m->kind) {
    case MessageKind::kConnect:
      acceptConnect(*m);
      break;
    case MessageKind::kConnected: {
      auto it = upstreams_.find(m->connection);
      if (it == upstreams_.end() || !sidecar_) break;
      if (it->second.mtls && m->stage == 0) {  // TCP is up: now the TLS handshake round trip
        auto hello = std::make_unique<NetMessage>();
        hello->kind = MessageKind::kConnect;
        hello->connection = m->connection;
        hello->stage = 1;
        hello->mtls = true;
        if (agent_) hello->certificate = agent_->identity().certificatePtr();
        send(it->second.node, it->second.epoch, std::move(hello));
      } else if (it->second.mtls) {
        finishHandshake(*m);
      } else {
        sidecar_->upstreamConnected(m->connection);
      }
      break;
    }
    case MessageKind::kRefused:
      if (upstreams_.erase(m->connection) && sidecar_) sidecar_->upstreamConnectFailed(m->connection, m->flags);
      break;
    case MessageKind::kClose: {
      downstream_connections_.erase({m->from_node, m->connection});
      // Requests still in flight on that connection lost their caller (ids in order).
      std::vector<dataplane::InboundId> orphans;
      for (const auto& [id, ex] : inbound_)
        if (ex.from_node == m->from_node && ex.connection == m->connection) orphans.push_back(id);
      std::sort(orphans.begin(), orphans.end());
      for (auto id : orphans) {
        inbound_.erase(id);
        if (sidecar_) sidecar_->peerClosed(id);
      }
      break;
    }
    case MessageKind::kReset:
      if (m->connection != 0) {
        if (upstreams_.erase(m->connection) && sidecar_) sidecar_->upstreamConnectionClosed(m->connection);
      } else if (isClientExchange(m->exchange) && direct_requests_.erase(m->exchange)) {
        answerClient(m->exchange, 503, kUpstreamConnectionTermination);
      }
      break;
    case MessageKind::kRequest: {
      if (!sidecar_) break;
      // The peer's identity is what its certificate proved in the handshake.
      std::string peer_id;
      if (m->connection != 0)
        if (auto it = downstream_connections_.find({m->from_node, m->connection}); it != downstream_connections_.end())
          peer_id = it->second.peer_spiffe_id;
      const dataplane::InboundId id = next_inbound_++;
      inbound_[id] = InboundExchange{m->from_node, m->from_epoch, m->exchange, m->connection, !peer_id.empty()};
      const security::PeerConnection peer{
          peer_id.empty() ? security::PeerTransport::kPlaintext : security::PeerTransport::kMtls, peer_id};
      sidecar_->peerRequest(id, std::move(m->request), peer);
      break;
    }
    case MessageKind::kControl:
    case MessageKind::kRegistry:
      break;
    case MessageKind::kResponse:
      if (isClientExchange(m->exchange) && m->connection == 0 && direct_requests_.erase(m->exchange)) {
        answerClient(m->exchange, m->status, m->flags);
      } else if (sidecar_) {
        sidecar_->upstreamResponse(m->exchange, m->status, m->flags);
      }
      break;
  }
  pump();
}

// The stream to the control plane: its set-up, its end, and what it carries.
void MeshNode::handleControl(const NetMessage& m) {
  if (!agent_) return;
  switch (m.kind) {
    case MessageKind::kConnected:
      agent_->streamUp();
      break;
    case MessageKind::kRefused:
    case MessageKind::kReset:
      agent_->streamDown();
      break;
    case MessageKind::kControl:
      if (m.to_sidecar) agent_->receive(*m.to_sidecar);
      break;
    default:
      break;
  }
}

void MeshNode::refuse(const NetMessage& m, ResponseFlags why) {
  downstream_connections_.erase({m.from_node, m.connection});
  auto reply = std::make_unique<NetMessage>();
  reply->kind = MessageKind::kRefused;
  reply->connection = m.connection;
  reply->flags = why;
  send(m.from_node, m.from_epoch, std::move(reply));
}

void MeshNode::rejected(const identity::VerifyResult& result, const identity::Certificate* peer,
                        std::uint32_t peer_node) {
  CertEvent ev;
  ev.instance = spec_.name;
  ev.state = "rejected";
  ev.spiffe_id = result.spiffe_id;
  if (peer != nullptr) {
    ev.serial = peer->serialHex();
    ev.expires = peer->notAfter() - (clock_.wallNow() - clock_.now());
  }
  ev.peer = ctx_.network.nodeName(peer_node);
  ev.reason = result.reason;
  emit(clock_.now(), ev);
}

// The server side of a connection: TCP (stage 0), then the TLS handshake (stage 1),
// where this sidecar verifies the client's certificate and presents its own. A
// sidecar that is not ready has no listener yet: the kernel refuses the connection.
void MeshNode::acceptConnect(const NetMessage& m) {
  if (!sidecar_ || !agent_ || !agent_->ready()) {
    refuse(m, kNoFlags);
    return;
  }
  const auto key = std::pair(m.from_node, m.connection);
  if (m.stage == 0) {
    downstream_connections_[key] = Downstream{m.from_epoch, {}};
  } else {
    const identity::VerifyResult result = ctx_.verifier.verify(m.certificate, clock_.wallNow());
    if (!result.ok) {
      rejected(result, m.certificate.get(), m.from_node);
      refuse(m, kMtlsRejected);
      return;
    }
    downstream_connections_[key] = Downstream{m.from_epoch, result.spiffe_id};
  }
  auto reply = std::make_unique<NetMessage>();
  reply->kind = MessageKind::kConnected;
  reply->connection = m.connection;
  reply->stage = m.stage;
  if (m.stage == 1) reply->certificate = agent_->identity().certificatePtr();
  send(m.from_node, m.from_epoch, std::move(reply));
}

// The client side of the TLS handshake: the server's certificate must verify at this
// node's clock and carry the destination service's identity.
void MeshNode::finishHandshake(const NetMessage& m) {
  auto it = upstreams_.find(m.connection);
  const identity::VerifyResult result =
      ctx_.verifier.verify(m.certificate, clock_.wallNow(), {it->second.expected_spiffe_id});
  if (result.ok) {
    sidecar_->upstreamConnected(m.connection);
    return;
  }
  rejected(result, m.certificate.get(), it->second.node);
  auto close = std::make_unique<NetMessage>();
  close->kind = MessageKind::kClose;
  close->connection = m.connection;
  send(it->second.node, it->second.epoch, std::move(close));
  upstreams_.erase(it);
  sidecar_->upstreamConnectFailed(m.connection, kMtlsRejected);
}

// The process is gone; the host's kernel answers for it.
void MeshNode::handleWhileCrashed(const NetMessage& m) {
  if (m.kind == MessageKind::kConnect) {
    auto reply = std::make_unique<NetMessage>();
    reply->kind = MessageKind::kRefused;
    reply->connection = m.connection;
    send(m.from_node, m.from_epoch, std::move(reply));
  } else if (m.kind == MessageKind::kRequest) {
    auto reply = std::make_unique<NetMessage>();
    reply->kind = MessageKind::kReset;
    reply->connection = m.connection;
    reply->exchange = m.exchange;
    send(m.from_node, m.from_epoch, std::move(reply));
  }
}

void MeshNode::crash() {
  if (crashed_) return;
  syncClock(clock_);
  crashed_ = true;
  // The kernel resets the dead process's connections, both ways.
  for (const auto& [key, downstream] : downstream_connections_) {
    auto m = std::make_unique<NetMessage>();
    m->kind = MessageKind::kReset;
    m->connection = key.second;
    send(key.first, downstream.epoch, std::move(m));
  }
  if (agent_ && agent_->streamIsUp()) {  // the stream to the control plane too
    auto m = std::make_unique<NetMessage>();
    m->kind = MessageKind::kClose;
    m->connection = kControlStream;
    send(ctx_.control_plane_node, control_epoch_, std::move(m));
  }
  if (spec_.sidecar && !spec_.sidecar->service.empty()) {  // the kubelet sees the container exit
    registered_ready_ = false;
    tellRegistry(kProcessExited);
  }
  for (const auto& [id, exchange] : inbound_) {
    if (!isClientExchange(exchange.exchange)) continue;  // sidecar peers learn from their connection's reset
    auto m = std::make_unique<NetMessage>();
    m->kind = MessageKind::kReset;
    m->exchange = exchange.exchange;
    send(exchange.from_node, exchange.from_epoch, std::move(m));
  }
  for (const auto& [connection, upstream] : upstreams_) {
    auto m = std::make_unique<NetMessage>();
    m->kind = MessageKind::kClose;
    m->connection = connection;
    send(upstream.node, upstream.epoch, std::move(m));
  }
  downstream_connections_.clear();
  inbound_.clear();
  upstreams_.clear();
  while (!delayed_.empty()) delayed_.pop();
  if (app_) app_->crash();
  app_.reset();
  sidecar_.reset();
  agent_.reset();
}

void MeshNode::restart() {
  if (!crashed_) return;
  syncClock(clock_);
  ctx_.network.bumpEpoch(index_);
  ++incarnation_;
  crashed_ = false;
  startProcess();
}

void MeshNode::finishGenerators() {
  syncClock(clock_);
  for (auto& g : generators_) g->finish();
}

std::size_t MeshNode::outstandingClientRequests() const {
  std::size_t n = 0;
  for (const auto& g : generators_) n += g->outstanding();
  return n;
}

}  // namespace meshproof::sim
