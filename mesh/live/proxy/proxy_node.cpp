// The live sidecar's event loop: listeners, the core's actions carried out on
// sockets, upstream and app connection pools, events and readiness.
#include "mesh/live/proxy/proxy_node.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "chaos/trace/trace_reader.h"
#include "mesh/control/desired_config.h"
#include "mesh/core/http_wire_size.h"
#include "mesh/dataplane/config_validation.h"
#include "mesh/live/control/control_state_file.h"
#include "mesh/live/control/stream_codec.h"
#include "mesh/live/http_call.h"
#include "mesh/live/proxy/access_log_fields.h"
#include "mesh/live/proxy/http_wire.h"
#include "mesh/telemetry/access_log.h"
#include "mesh/telemetry/prometheus_text.h"

namespace meshproof::live {
namespace {

constexpr DurationNs kFlushEvery = 100 * kMillisecond;
constexpr std::size_t kAccessLogBufferBytes = 64 * 1024;
constexpr std::size_t kAppConnectionsMax = 256;
constexpr dataplane::ConnectionId kAppConnectionBit = dataplane::ConnectionId{1} << 62;

// What a message of `plain` bytes takes on a peer's link: in TLS records over mTLS
// (charged the same in simulation, sim/net_message.h).
std::size_t onWire(std::size_t plain, bool tls) { return tls ? tlsRecordBytes(plain) : plain; }

// A narrowed link's flows: each upstream connection, each downstream one.
LinkDirection::Flow upstreamFlow(dataplane::ConnectionId c) { return c; }
LinkDirection::Flow sessionFlow(const DownstreamSession& s) { return s.id() | (LinkDirection::Flow{1} << 63); }

// How often the downstream connections' timeouts are looked at: a tenth of the
// shortest one (so each fires within 10% of it), at most every 10 ms, at least
// every second; never when there are none.
std::optional<std::chrono::nanoseconds> sweepEvery(const config::ProxySettings& proxy) {
  DurationNs shortest = 0;
  for (const DurationNs t : {proxy.idle_timeout, proxy.request_headers_timeout})
    if (t > 0 && (shortest == 0 || t < shortest)) shortest = t;
  if (shortest == 0) return std::nullopt;
  return std::chrono::nanoseconds(std::clamp<DurationNs>(shortest / 10, 10 * kMillisecond, kSecond));
}

}  // namespace

ProxyNode::ProxyNode(asio::io_context& io, const scenario::Plan& plan, const RunLayout& layout,
                     control::MeshNodeSpec node, std::vector<identity::CertificatePtr> trust_roots, std::uint64_t seed)
    : io_(io),
      plan_(plan),
      layout_(layout),
      node_(std::move(node)),
      directory_(control::serviceDirectory(plan)),
      clock_(layout.t0),
      rng_(Rng(seed).fork("live/" + node_.name)),
      fault_rng_(rng_.fork("faults")),
      verifier_(std::move(trust_roots)),
      tls_(verifier_, clock_),
      events_(layout.path(node_.name + ".events")),
      inbound_acceptor_(io),
      outbound_acceptor_(io),
      write_batch_(io),
      timer_(io),
      flush_timer_(io),
      sweep_timer_(io),
      link_up_(io, [this] { return clock_.now(); }),
      link_down_(io, [this] { return clock_.now(); }),
      drain_timer_(io) {
  try {
    if (plan.mesh.mesh.proxy.access_log) access_log_.emplace(layout.path(node_.name + ".access.log"));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "meshproof proxy: %s: no access log: %s\n", node_.name.c_str(), e.what());
  }
  const dataplane::SidecarIdentity& id = *node_.sidecar;
  control::AgentSpec agent;
  agent.node = node_.name;
  agent.service = id.service;
  agent.spiffe_uri = control::spiffeUri(plan_, id);
  agent.rotation.rotate_before = plan_.mesh.security.certificates.rotate_before;
  agent_ = std::make_unique<control::SidecarAgent>(agent, clock_, rng_, *this, *this);

  ControlStream::Events stream;
  stream.up = [this] {
    agent_->streamUp();
    agent_->advance();  // as the simulator does after every message: a waiting CSR goes now
    pump();
  };
  stream.down = [this] {
    agent_->streamDown();
    agent_->advance();
    pump();
  };
  stream.message = [this](std::string_view payload) {
    try {
      agent_->receive(decodeToSidecar(payload, [this](const control::ConfigRecipe& recipe) {
        return control::buildConfig(plan_.mesh, plan_.changes, plan_.canaries, recipe);
      }));
    } catch (const CodecError& e) {
      std::fprintf(stderr, "%s: a bad message from the control plane: %s\n", node_.name.c_str(), e.what());
    }
    agent_->advance();
    pump();
  };
  stream_ = std::make_unique<ControlStream>(io_, layout_.control_stream, std::move(stream));

  outbound_events_.request = [this](DownstreamSession& s, IncomingRequest&& r) { onOutboundRequest(s, std::move(r)); };
  outbound_events_.closed = [this](DownstreamSession& s) { onSessionClosed(s); };
  outbound_events_.handshake_failed = [this](DownstreamSession& s, const PeerCheck& c) { onHandshakeFailed(s, c); };
  inbound_events_ = outbound_events_;
  inbound_events_.request = [this](DownstreamSession& s, IncomingRequest&& r) { onInboundRequest(s, std::move(r)); };

  upstream_events_.connected = [this](dataplane::ConnectionId c) {
    if (sidecar_) sidecar_->upstreamConnected(c);
    pump();
  };
  // What comes from a peer crosses this host's link: a narrowed one holds it back.
  upstream_events_.failed = [this](dataplane::ConnectionId c, bool tls_failure, const PeerCheck& check) {
    if (tls_failure && check.checked && !check.result.ok) rejected(check, upstream_peer_[c]);
    upstreams_.erase(c);
    link_down_.pass(upstreamFlow(c), 0, [this, c, tls_failure] {
      upstream_peer_.erase(c);
      if (sidecar_) sidecar_->upstreamConnectFailed(c, tls_failure ? kMtlsRejected : kNoFlags);
      pump();
    });
  };
  upstream_events_.closed = [this](dataplane::ConnectionId c) {
    upstreams_.erase(c);
    link_down_.pass(upstreamFlow(c), 0, [this, c] {
      upstream_peer_.erase(c);
      if (sidecar_) sidecar_->upstreamConnectionClosed(c);
      pump();
    });
  };
  upstream_events_.response = [this](dataplane::ConnectionId c, dataplane::AttemptId attempt, Response&& response) {
    if (!link_down_.holding()) return onUpstreamResponse(attempt, std::move(response));
    auto held = std::make_shared<Response>(std::move(response));
    const auto upstream = upstreams_.find(c);
    const std::size_t bytes = onWire(held->wireBytes(), upstream != upstreams_.end() && upstream->second->mtls());
    link_down_.pass(upstreamFlow(c), bytes, [this, c, attempt, held] {
      // The core closed the connection meanwhile (it gave up on the attempt): a late
      // answer it ignores, and which must not stand in for the reply it gives instead.
      // (A peer's close takes the connection out of upstream_peer_ only behind this.)
      if (!upstream_peer_.count(c)) return;
      onUpstreamResponse(attempt, std::move(*held));
    });
  };

  app_events_.connected = [this](dataplane::ConnectionId c) {
    app_idle_.push_back(c);
    sendWaitingToApp();
  };
  auto app_lost = [this](dataplane::ConnectionId c) {
    app_connections_.erase(c);
    std::erase(app_idle_, c);
    if (auto busy = app_busy_.find(c); busy != app_busy_.end()) {
      const dataplane::InboundId id = busy->second;
      app_busy_.erase(busy);
      if (sidecar_) sidecar_->appResponded(id, 503);
    } else if (app_connections_.empty()) {
      // The app cannot be reached: everything waiting for a connection fails.
      for (auto& waiting : app_waiting_)
        if (sidecar_) sidecar_->appResponded(waiting.id, 503);
      app_waiting_.clear();
    }
    pump();
  };
  app_events_.failed = [app_lost](dataplane::ConnectionId c, bool, const PeerCheck&) { app_lost(c); };
  app_events_.closed = app_lost;
  app_events_.response = [this](dataplane::ConnectionId c, dataplane::AttemptId id, Response&& response) {
    app_busy_.erase(c);
    const int status = static_cast<int>(response.result_int());
    if (auto in = inbound_.find(id); in != inbound_.end()) in->second.response = std::move(response);
    if (sidecar_) sidecar_->appResponded(id, status);
    app_idle_.push_back(c);
    sendWaitingToApp();
    pump();
  };
}

ProxyNode::~ProxyNode() {
  events_.flush();
  flushAccessLog();
}

void ProxyNode::flushAccessLog() {
  if (access_log_) access_log_->write(access_buffer_);
}

// ---- listeners ------------------------------------------------------------------------

void ProxyNode::listen(tcp::acceptor& acceptor, std::uint16_t port, DownstreamSession::Mode mode, const char* what) {
  const tcp::endpoint at(asio::ip::address_v4::loopback(), port);
  boost::system::error_code ec;
  acceptor.open(at.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(at, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error(std::string("cannot listen on 127.0.0.1:") + std::to_string(port) + " (" + what +
                                   "): " + ec.message());
  accept(acceptor, mode);
}

void ProxyNode::accept(tcp::acceptor& acceptor, DownstreamSession::Mode mode) {
  acceptor.async_accept([this, &acceptor, mode](boost::system::error_code ec, tcp::socket socket) {
    if (stopped_ || !acceptor.is_open()) return;  // stopped, or the inbound one closed by a drain
    if (!ec) {
      const std::uint64_t id = next_session_++;
      auto session = std::make_shared<DownstreamSession>(
          std::move(socket), mode, &tls_, mode == DownstreamSession::Mode::kPlaintext ? outbound_events_ : inbound_events_,
          id, &write_batch_, &spares_);
      sessions_[id] = session;
      session->start();
    }
    accept(acceptor, mode);
  });
}

void ProxyNode::start() {
  const NodePorts* ports = layout_.node(node_.name);
  if (ports == nullptr) throw std::runtime_error("run.json has no ports for " + node_.name);
  if (!node_.sidecar->service.empty()) listen(inbound_acceptor_, ports->inbound, DownstreamSession::Mode::kDetectTls, "inbound");
  listen(outbound_acceptor_, ports->outbound, DownstreamSession::Mode::kPlaintext, "outbound");
  auto tick = std::make_shared<std::function<void()>>();
  *tick = [this, tick] {
    events_.flush();
    flushAccessLog();
    flush_timer_.expires_after(std::chrono::nanoseconds(kFlushEvery));
    flush_timer_.async_wait([this, tick](boost::system::error_code ec) {
      if (!ec && !stopped_) (*tick)();
    });
  };
  (*tick)();
  sweepConnections();
  pump();
  armTimer();
}

// The downstream connections' timeouts (mesh.proxy), every sweepEvery().
void ProxyNode::sweepConnections() {
  const config::ProxySettings& proxy = plan_.mesh.mesh.proxy;
  const auto every = sweepEvery(proxy);
  if (stopped_ || !every) return;
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::shared_ptr<DownstreamSession>> all;  // sweep() may close one: it leaves sessions_
  all.reserve(sessions_.size());
  for (const auto& [id, s] : sessions_) all.push_back(s);
  for (const auto& s : all)
    s->sweep(now, std::chrono::nanoseconds(proxy.idle_timeout), std::chrono::nanoseconds(proxy.request_headers_timeout));
  sweep_timer_.expires_after(*every);
  sweep_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) sweepConnections();
  });
}

void ProxyNode::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  inbound_acceptor_.close(ignored);
  outbound_acceptor_.close(ignored);
  timer_.cancel();
  flush_timer_.cancel();
  sweep_timer_.cancel();
  drain_timer_.cancel();
  link_up_.stop();
  link_down_.stop();
  for (auto& [id, s] : sessions_) s->close();
  for (auto& [id, u] : upstreams_) u->close();
  for (auto& [id, a] : app_connections_) a->close();
  events_.flush();
  flushAccessLog();
}

void ProxyNode::drain(DurationNs within, std::function<void()> done) {
  if (stopped_ || draining_) return;
  draining_ = true;
  drained_ = std::move(done);
  reportReadiness();  // not ready: the registry, then the control plane, take it out of the endpoints
  boost::system::error_code ignored;
  inbound_acceptor_.close(ignored);
  std::vector<std::shared_ptr<DownstreamSession>> inbound;  // drain() may close one: it leaves sessions_
  for (const auto& [id, s] : sessions_)
    if (s->inbound()) inbound.push_back(s);
  for (const auto& s : inbound) s->drain();
  drain_deadline_ = clock_.now() + within;
  checkDrained();
}

// While draining, every 20 ms: done once no peer's connection is left and the app is
// owed no answer; at the deadline, what is still owed is answered 503 first.
void ProxyNode::checkDrained() {
  if (stopped_ || !drained_) return;
  bool busy = false;
  for (const auto& [id, s] : sessions_) busy = busy || s->inbound() || s->owesAnswer();
  if (busy && clock_.now() < drain_deadline_) {
    drain_timer_.expires_after(std::chrono::milliseconds(20));
    drain_timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec) checkDrained();
    });
    return;
  }
  if (busy) giveUpOnWhatIsOwed();
  // The answers are written at the end of this round: stop after it.
  drain_timer_.expires_after(std::chrono::milliseconds(busy ? 100 : 0));
  drain_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_ || !drained_) return;
    auto finish = std::move(drained_);
    drained_ = nullptr;
    finish();
  });
}

// The drain's deadline: what is still owed is given up on through the core, so it is
// answered, counted, logged and traced as the sidecar's local reply (503 LR): the
// app's calls have their attempts cancelled, peers' requests their app connections
// closed. An answer the core has no request for (one held in a narrowed link) is
// then written as is.
void ProxyNode::giveUpOnWhatIsOwed() {
  std::vector<std::pair<bool, std::uint64_t>> owed;  // inbound?, the node's request id
  for (const auto& [id, s] : sessions_)
    if (s->owesAnswer() && s->pending != 0) owed.emplace_back(s->inbound(), s->pending);
  for (const auto& [inbound, id] : owed) {
    if (!sidecar_) break;
    if (!inbound) {
      sidecar_->abandonAppRequest(id, 503, kLocalReset);
      continue;
    }
    std::erase_if(app_waiting_, [id](const AppDelivery& d) { return d.id == id; });
    for (auto it = app_busy_.begin(); it != app_busy_.end(); ++it) {
      if (it->second != id) continue;
      const dataplane::ConnectionId c = it->first;
      app_busy_.erase(it);
      if (auto connection = app_connections_.find(c); connection != app_connections_.end()) {
        connection->second->close();
        app_connections_.erase(connection);
      }
      break;
    }
    sidecar_->appResponded(id, 503, kLocalReset);
  }
  pump();
  std::vector<std::shared_ptr<DownstreamSession>> still;  // an answer written at once may close its session
  for (const auto& [id, s] : sessions_)
    if (s->owesAnswer()) still.push_back(s);
  for (const auto& s : still) s->respond(localReply(503, kLocalReset, 11, false));
}

// ---- configuration and events -----------------------------------------------------------

std::optional<std::string> ProxyNode::apply(const control::ConfigSnapshot& snapshot) {
  if (!sidecar_) {
    if (auto reason = dataplane::configRejection(*snapshot.config, directory_)) return reason;
    sidecar_ = std::make_unique<dataplane::Sidecar>(*node_.sidecar, snapshot.config, directory_, clock_, rng_, *this);
  } else if (auto reason = sidecar_->applyConfig(snapshot.config)) {
    return reason;
  }
  sidecar_->applyEndpoints(snapshot.endpoints);
  return std::nullopt;
}

void ProxyNode::emit(TimeNs t, const Event& event) {
  events_.emit(std::max<TimeNs>(t, 0), event);
  const auto* request = std::get_if<RequestEvent>(&event);
  if (request == nullptr) return;
  metrics_.observe(*request);
  if (request->reporter == "destination") agent_->observeInbound(*request);
  if (access_log_) {
    logAccess(*request);
    if (access_buffer_.size() >= kAccessLogBufferBytes) flushAccessLog();
  }
}

// Emitted by the core as it decides the answer, before the answer is carried: the
// request and the response it will be answered with are still held.
void ProxyNode::logAccess(const RequestEvent& event) {
  const TimeNs start_wall = clock_.wallNow() - (clock_.now() - event.start);
  const IncomingRequest* request = nullptr;
  const Response* sent = nullptr;
  if (event.reporter == "destination") {
    if (auto it = inbound_.find(event.exchange); it != inbound_.end()) {
      request = &it->second.request;
      if (event.status != 0 && answeredByApp(it->second.response, event.flags)) sent = &*it->second.response;
    }
  } else if (auto it = outbound_.find(event.exchange); it != outbound_.end()) {
    request = &it->second.request;
    if (!event.shadow && answeredFromUpstream(it->second.response, event.status, event.flags))
      sent = &*it->second.response;
  }
  if (request == nullptr) return telemetry::appendAccessLogLine(access_buffer_, event, start_wall);
  telemetry::AccessLogExtras extras = accessLogExtras(*request, sent, event.shadow ? 0 : event.status, event.flags);
  telemetry::appendAccessLogLine(access_buffer_, event, start_wall, extras);
}

void ProxyNode::rejected(const PeerCheck& check, const std::string& peer) {
  CertEvent ev;
  ev.instance = node_.name;
  ev.state = "rejected";
  ev.spiffe_id = check.result.spiffe_id;
  if (check.certificate) {
    ev.serial = check.certificate->serialHex();
    ev.expires = check.certificate->notAfter() - (clock_.wallNow() - clock_.now());
  }
  ev.peer = peer;
  ev.reason = check.result.reason;
  emit(clock_.now(), ev);
}

// ---- downstream requests ----------------------------------------------------------------

void ProxyNode::onUpstreamResponse(dataplane::AttemptId attempt, Response&& response) {
  const auto owner = attempt_request_.find(attempt);
  ResponseFlags flags = kNoFlags;
  if (auto field = response.find(kFlagsHeader); field != response.end())
    flags = chaos::parseResponseFlags(field->value()).value_or(kNoFlags);
  const int status = static_cast<int>(response.result_int());
  if (owner != attempt_request_.end()) {
    if (auto out = outbound_.find(owner->second); out != outbound_.end()) out->second.response = std::move(response);
    attempt_request_.erase(owner);
  }
  if (sidecar_) sidecar_->upstreamResponse(attempt, status, flags);
  pump();
}

void ProxyNode::onOutboundRequest(DownstreamSession& session, IncomingRequest&& request) {
  if (!sidecar_) {
    session.respond(localReply(503, kNoFlags, request.version(), request.keep_alive()));
    return;
  }
  const dataplane::AppRequestId id = next_app_request_++;
  session.pending = id;
  HttpRequest core = coreRequest(request);
  outbound_[id] = OutboundRequest{session.weak_from_this(), std::move(request), std::nullopt};
  sidecar_->appRequest(id, std::move(core));
  pump();
}

void ProxyNode::onInboundRequest(DownstreamSession& session, IncomingRequest&& request) {
  if (!sidecar_) {
    session.respond(localReply(503, kNoFlags, request.version(), request.keep_alive()));
    return;
  }
  const dataplane::InboundId id = next_inbound_++;
  session.pending = id;
  HttpRequest core = coreRequest(request);
  const security::PeerConnection peer{
      session.overTls() ? security::PeerTransport::kMtls : security::PeerTransport::kPlaintext,
      session.peerSpiffeId()};
  const bool narrowed = link_down_.holding();
  const std::size_t bytes = narrowed ? onWire(request.wireBytes(), session.overTls()) : 0;
  inbound_[id] = InboundRequest{session.weak_from_this(), std::move(request), std::nullopt};
  if (!narrowed) {
    sidecar_->peerRequest(id, std::move(core), peer);
    return pump();
  }
  link_down_.pass(sessionFlow(session), bytes,
                  [this, id, core = std::move(core), transport = peer.transport,
                   spiffe_id = std::string(peer.spiffe_uri)]() mutable {
    sidecar_->peerRequest(id, std::move(core), security::PeerConnection{transport, spiffe_id});
    pump();
  });
}

void ProxyNode::onSessionClosed(DownstreamSession& session) {
  const bool was_inbound = inbound_.count(session.pending) != 0 &&
                           inbound_.at(session.pending).session.lock().get() == &session;
  const dataplane::InboundId pending = session.pending;
  const LinkDirection::Flow flow = sessionFlow(session);
  sessions_.erase(session.id());
  if (!was_inbound) return pump();
  link_down_.pass(flow, 0, [this, pending] {  // behind the request, if the link holds it
    if (sidecar_) sidecar_->peerClosed(pending);
    inbound_.erase(pending);
    pump();
  });
}

void ProxyNode::onHandshakeFailed(DownstreamSession& session, const PeerCheck& check) {
  if (check.checked && !check.result.ok) rejected(check, check.result.spiffe_id.empty() ? "unknown" : check.result.spiffe_id);
  sessions_.erase(session.id());
}

// ---- the core's actions -----------------------------------------------------------------

void ProxyNode::pump() {
  bool progressed = true;
  while (progressed && !stopped_) {
    progressed = false;
    control::AgentAction action;
    while (agent_->pollAction(action)) {
      progressed = true;
      if (std::holds_alternative<control::ConnectStream>(action)) {
        stream_->connect();
      } else {
        stream_->send(std::get<control::SendToControlPlane>(action).message);
      }
    }
    installCertificateIfNew();
    reportReadiness();
    if (sidecar_) {
      dataplane::SidecarAction a;
      while (sidecar_->pollAction(a)) {
        progressed = true;
        carry(a);
      }
    }
  }
  armTimer();
}

void ProxyNode::sendLater(DurationNs delay, std::function<void()> send) {
  if (delay <= 0) return send();
  auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::nanoseconds(delay));
  timer->async_wait([timer, send = std::move(send)](boost::system::error_code ec) {
    if (!ec) send();
  });
}

void ProxyNode::carry(dataplane::SidecarAction& action) {
  if (auto* open = std::get_if<dataplane::OpenUpstreamConnection>(&action)) {
    const NodePorts* peer = layout_.node(open->endpoint.instance);
    upstream_peer_[open->connection] = open->endpoint.instance;
    if (peer == nullptr || partitioned_.count(open->endpoint.instance)) return;  // black-holed: the connect times out
    std::string expected;
    if (const dataplane::ServiceInfo* info = directory_.find(open->endpoint.service))
      expected = control::spiffeUri(plan_, info->namespace_,
                                    info->service_account.empty() ? info->name : info->service_account);
    auto connection = std::make_shared<UpstreamConnection>(
        io_, open->connection, tcp::endpoint(asio::ip::address_v4::loopback(), peer->inbound), open->mtls, &tls_,
        std::move(expected), upstream_events_, &write_batch_, &spares_);
    upstreams_[open->connection] = connection;
    connection->start();
  } else if (auto* close = std::get_if<dataplane::CloseUpstreamConnection>(&action)) {
    if (auto it = upstreams_.find(close->connection); it != upstreams_.end()) {
      it->second->close();
      upstreams_.erase(it);
    }
    upstream_peer_.erase(close->connection);
  } else if (auto* out = std::get_if<dataplane::SendUpstream>(&action)) {
    auto it = upstreams_.find(out->connection);
    if (partitioned_.count(out->endpoint.instance)) return;  // black-holed
    // Gone while a narrowed link holds its close back: the close reaches the core
    // behind what came before it, and fails this attempt as a reset.
    if (it == upstreams_.end()) return;
    const IncomingRequest* original = nullptr;
    if (out->app_request != 0) {
      if (auto found = outbound_.find(out->app_request); found != outbound_.end()) original = &found->second.request;
      attempt_request_[out->attempt] = out->app_request;
    }
    wire_.clear();
    appendUpstreamRequest(wire_, out->request, original);
    const DurationNs delay = loss_percentage_ > 0 ? [&] {
      DurationNs d = 0, rto = 200 * kMillisecond;
      for (int tries = 0; tries < 6 && fault_rng_.chancePercent(loss_percentage_); ++tries, rto *= 2) d += rto;
      return d;
    }() : 0;
    if (delay <= 0 && !link_up_.holding()) {
      it->second->send(out->attempt, wire_);
      return;
    }
    // Through the link (when narrowed), then the retransmissions (when lossy).
    const std::size_t bytes = onWire(wire_.size(), it->second->mtls());
    link_up_.pass(upstreamFlow(it->first), bytes,
                  [this, delay, weak = std::weak_ptr<UpstreamConnection>(it->second), attempt = out->attempt,
                   wire = wire_] {
      sendLater(delay, [weak, attempt, wire] {
        if (auto connection = weak.lock()) connection->send(attempt, wire);
      });
    });
  } else if (auto* answer = std::get_if<dataplane::RespondToApp>(&action)) {
    auto it = outbound_.find(answer->request);
    if (it == outbound_.end()) return;
    OutboundRequest request = std::move(it->second);
    outbound_.erase(it);
    auto session = request.session.lock();
    if (!session) return;
    session->pending = 0;
    if (answeredFromUpstream(request.response, answer->status, answer->flags)) {
      session->respond(*request.response);  // written out at once: the messages can be read into again
    } else {
      session->respond(localReply(answer->status, answer->flags, request.request.version(), request.request.keep_alive()));
    }
    if (request.response) spares_.give(std::move(*request.response));
    spares_.give(std::move(request.request));
  } else if (auto* deliver = std::get_if<dataplane::DeliverToApp>(&action)) {
    auto it = inbound_.find(deliver->request);
    if (it == inbound_.end()) return;
    const std::string* traceparent = deliver->http.headers.find("traceparent");
    forwarded_.clear();
    if (!deliver->source_principal.empty()) {
      forwarded_ += "By=";
      forwarded_ += agent_->identity().spiffeUri();
      forwarded_ += ";URI=spiffe://";
      forwarded_ += deliver->source_principal;
    }
    wire_.clear();
    appendAppRequest(wire_, it->second.request, traceparent ? std::string_view(*traceparent) : std::string_view(),
                     forwarded_);
    deliverToApp(deliver->request);
  } else if (auto* reply = std::get_if<dataplane::RespondToPeer>(&action)) {
    auto it = inbound_.find(reply->request);
    if (it == inbound_.end()) return;
    InboundRequest request = std::move(it->second);
    inbound_.erase(it);
    auto session = request.session.lock();
    if (!session) return;
    session->pending = 0;
    if (answeredByApp(request.response, reply->flags)) {
      respondToPeer(session, *request.response);
    } else {
      respondToPeer(session, localReply(reply->status, reply->flags, request.request.version(), request.request.keep_alive()));
    }
    if (request.response) spares_.give(std::move(*request.response));
    spares_.give(std::move(request.request));
  }
}

// The answer to a peer, after its time through a narrowed link.
void ProxyNode::respondToPeer(const std::shared_ptr<DownstreamSession>& session, const Response& response) {
  if (!link_up_.holding()) return session->respond(response);
  const std::size_t bytes = onWire(response.wireBytes(), session->overTls());
  link_up_.pass(sessionFlow(*session), bytes,
                [weak = std::weak_ptr<DownstreamSession>(session), response = std::make_shared<Response>(response)] {
    if (auto s = weak.lock()) s->respond(*response);
  });
}

// The request to deliver is in wire_.
void ProxyNode::deliverToApp(dataplane::InboundId id) {
  if (!app_idle_.empty()) {
    const dataplane::ConnectionId c = app_idle_.back();
    app_idle_.pop_back();
    app_busy_[c] = id;
    app_connections_.at(c)->send(id, wire_);
    return;
  }
  app_waiting_.push_back(AppDelivery{id, wire_});
  if (app_connections_.size() - app_busy_.size() >= app_waiting_.size() || app_connections_.size() >= kAppConnectionsMax)
    return;  // a connection being set up will take it
  const NodePorts* ports = layout_.node(node_.name);
  const dataplane::ConnectionId c = kAppConnectionBit | next_app_connection_++;
  auto connection = std::make_shared<UpstreamConnection>(io_, c, tcp::endpoint(asio::ip::address_v4::loopback(), ports->app),
                                                         false, nullptr, std::string(), app_events_, &write_batch_, &spares_);
  app_connections_[c] = connection;
  connection->start();
}

// An app connection came free (or up): the oldest delivery waiting for one takes it.
void ProxyNode::sendWaitingToApp() {
  if (app_waiting_.empty()) return;
  AppDelivery next = std::move(app_waiting_.front());
  app_waiting_.erase(app_waiting_.begin());
  wire_.swap(next.wire);
  deliverToApp(next.id);
}

// ---- time, certificates, readiness --------------------------------------------------------

// Called after every pump: the timer is touched only when the deadline comes earlier
// than the one it waits for (re-arming asio's timer cancels a wait, which completes a
// handler, and may reprogram the timerfd). A deadline that moved later leaves the
// timer waiting for the earlier one: it then finds nothing due and arms for the next.
void ProxyNode::armTimer() {
  if (stopped_) return;
  TimeNs deadline = agent_->nextDeadline();
  if (sidecar_) deadline = std::min(deadline, sidecar_->nextDeadline());
  if (deadline == kNever || deadline >= timer_armed_for_) return;
  timer_armed_for_ = deadline;
  timer_.expires_at(asio::steady_timer::time_point(std::chrono::nanoseconds(layout_.t0 + deadline)));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    timer_armed_for_ = kNever;
    agent_->advance();
    if (sidecar_) sidecar_->advance();
    pump();
  });
}

void ProxyNode::installCertificateIfNew() {
  const identity::WorkloadIdentity& identity = agent_->identity();
  if (!identity.certificatePtr() || identity.certificatePtr() == tls_.certificate() || identity.key() == nullptr) return;
  tls_.install(identity.certificatePtr(), *identity.key());
}

void ProxyNode::reportReadiness() {
  if (node_.sidecar->service.empty() || ready() == reported_ready_) return;
  reported_ready_ = ready();
  const nlohmann::json body = {
      {"instance", node_.name}, {"ready", reported_ready_}, {"reason", reported_ready_ ? "sidecar ready" : "sidecar not ready"}};
  // The registry first (it outlives the control plane), then the control plane, if it is up.
  writeReadiness(layout_, node_.name, reported_ready_, body["reason"]);
  httpCall(io_, layout_.control_admin, "POST", "/registry", body.dump());
}

// ---- admin ------------------------------------------------------------------------------

std::string ProxyNode::stats() const { return telemetry::prometheusText(metrics_); }

std::string ProxyNode::configDump() const {
  nlohmann::ordered_json j;
  j["node"] = node_.name;
  j["ready"] = ready();
  const control::SnapshotPtr& applied = agent_->applied();
  j["version"] = applied ? applied->version : 0;
  if (applied) {
    j["changes_applied"] = applied->recipe.changes_applied;
    j["canary_weights"] = applied->recipe.canary_weights;
    j["endpoints"] = applied->endpoints ? nlohmann::ordered_json(*applied->endpoints) : nlohmann::ordered_json::object();
    for (const auto& vs : applied->config->traffic) j["routes"].push_back(vs.service);
    for (const auto& dr : applied->config->destinations) j["clusters"].push_back(dr.service);
  }
  if (const identity::Certificate* cert = agent_->identity().certificate()) {
    j["certificate"] = {{"spiffe_id", cert->spiffeId()},
                        {"serial", cert->serialHex()},
                        {"not_after_s", cert->notAfter() / kSecond}};
  }
  j["clock_skew_s"] = static_cast<double>(clock_.skew()) / 1e9;
  return j.dump(2) + "\n";
}

}  // namespace meshproof::live
