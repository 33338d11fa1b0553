// The sidecar state machine: the outbound filter chain with retries and timeouts,
// the inbound authentication and authorization, and their access-log events.
#include "mesh/dataplane/sidecar.h"

#include <algorithm>

#include <boost/container/small_vector.hpp>

#include "mesh/dataplane/config_validation.h"
#include "mesh/dataplane/fault_filter.h"
#include "mesh/security/spiffe_id.h"

namespace meshproof::dataplane {

struct Sidecar::Outbound {
  enum class Phase : std::uint8_t { kFaultDelay, kWaiting, kInFlight, kBackoff };

  std::uint64_t id = 0;
  AppRequestId app_id = 0;
  bool shadow = false;
  HttpRequest request;
  DestinationCluster* cluster = nullptr;
  std::shared_ptr<const Router> router;  // keeps `route` valid across configuration updates
  const config::HttpRoute* route = nullptr;
  const config::RetryPolicy* retry = nullptr;
  std::string subset;
  TimeNs start = 0;
  telemetry::TraceContext trace{};
  RetryBackoff backoff{0, 0};
  Phase phase = Phase::kWaiting;
  int attempts = 0;
  ResponseFlags flags = kNoFlags;
  int pending_abort = 0;  // fault abort status, answered after the fault delay
  // The current attempt (attempt == 0: none).
  AttemptId attempt = 0;
  bool dispatched = false;
  lb::HostIndex host = 0;
  TimeNs attempt_sent = 0;
  ConnectionId connection = 0;
  bool holds_retry_slot = false;
  boost::container::small_vector<lb::HostIndex, 4> tried;  // no allocation for the usual few attempts
  std::string last_instance;
  std::uint64_t step_token = 0;
  std::uint64_t route_token = 0;
};

struct Sidecar::Inbound {
  InboundId id = 0;
  std::string method;
  std::string path;
  std::string principal;
  bool mtls = false;
  TimeNs start = 0;
  telemetry::TraceContext trace{};
  bool has_trace = false;
};

namespace {

// Mirrored requests are fire-and-forget: one try, no retries (Envoy shadowing).
const config::RetryPolicy& shadowRetryPolicy() {
  static const config::RetryPolicy policy = [] {
    config::RetryPolicy p;
    p.attempts = 0;
    return p;
  }();
  return policy;
}

ResponseFlags flagFor(upstream::PoolFailure failure) {
  switch (failure) {
    case upstream::PoolFailure::kOverflow: return kUpstreamOverflow;
    case upstream::PoolFailure::kConnectFailure:
    case upstream::PoolFailure::kConnectTimeout: return kUpstreamConnectionFailure;
    case upstream::PoolFailure::kReset: return kUpstreamConnectionTermination;
  }
  return kNoFlags;
}

}  // namespace

Sidecar::Sidecar(SidecarIdentity identity, const config::MeshConfig& config, const ServiceDirectory& directory,
                 const Clock& clock, const Rng& rng, EventSink& sink)
    : Sidecar(std::move(identity), std::shared_ptr<const config::MeshConfig>(&config, [](const config::MeshConfig*) {}),
              directory, clock, rng, sink) {}

Sidecar::Sidecar(SidecarIdentity identity, std::shared_ptr<const config::MeshConfig> config,
                 const ServiceDirectory& directory, const Clock& clock, const Rng& rng, EventSink& sink)
    : identity_(std::move(identity)),
      config_(std::move(config)),
      directory_(directory),
      clock_(clock),
      sink_(sink),
      rng_(rng.fork(identity_.instance)),
      route_rng_(rng_.fork("route")),
      retry_rng_(rng_.fork("retry")),
      trace_rng_(rng_.fork("trace")),
      inbound_mode_(config::MtlsMode::kStrict) {
  if (identity_.service_account.empty()) identity_.service_account = identity_.service;
  const security::SpiffeId id{config_->mesh.trust_domain, identity_.namespace_, identity_.service_account};
  spiffe_uri_ = id.uri();
  principal_ = id.principal();
  configureInbound();
}

Sidecar::~Sidecar() = default;

void Sidecar::configureInbound() {
  if (identity_.service.empty()) return;
  inbound_mode_ = security::resolveMtlsMode(config_->mesh, config_->security.peer_authentication,
                                            identity_.namespace_, identity_.service);
  authorizer_ = std::make_unique<security::Authorizer>(config_->security.authorization, identity_.namespace_,
                                                       identity_.service);
}

DestinationCluster& Sidecar::addCluster(const ServiceInfo& info) {
  const auto index = static_cast<std::uint32_t>(clusters_.size());
  clusters_.push_back(std::make_unique<DestinationCluster>(index, info, config_, identity_.instance, identity_.zone,
                                                           rng_, sink_, clock_.now()));
  DestinationCluster& created = *clusters_.back();
  if (endpoints_) {
    const auto listed = endpoints_->find(info.name);
    static const std::vector<std::string> none;
    created.applyEndpoints(listed == endpoints_->end() ? &none : &listed->second);
  }
  clusters_by_service_[info.name] = &created;
  return created;
}

DestinationCluster* Sidecar::cluster(const std::string& service) {
  auto it = clusters_by_service_.find(service);
  if (it != clusters_by_service_.end()) return it->second;
  const ServiceInfo* info = directory_.find(service);
  if (info == nullptr) return nullptr;
  return &addCluster(*info);
}

std::optional<std::string> Sidecar::applyConfig(std::shared_ptr<const config::MeshConfig> config) {
  if (auto reason = configRejection(*config, directory_)) return reason;
  config_ = std::move(config);
  configureInbound();
  std::vector<DestinationCluster*> replaced;
  for (auto& [service, cluster] : clusters_by_service_) {
    if (effectiveRule(*config_, service) != cluster->rule() ||
        mtlsOriginatedTo(*config_, cluster->service()) != cluster->originatesMtls()) {
      replaced.push_back(cluster);
    } else {
      cluster->setRouter(makeRouter(config_, service));
    }
  }
  for (DestinationCluster* old : replaced) {
    old->drain(clock_.now());
    drainPool(*old);
    addCluster(old->service());
  }
  return std::nullopt;
}

void Sidecar::applyEndpoints(std::shared_ptr<const EndpointTable> endpoints) {
  endpoints_ = std::move(endpoints);
  static const std::vector<std::string> none;
  for (auto& [service, cluster] : clusters_by_service_) {
    if (!endpoints_) {
      cluster->applyEndpoints(nullptr);
      continue;
    }
    const auto listed = endpoints_->find(service);
    cluster->applyEndpoints(listed == endpoints_->end() ? &none : &listed->second);
  }
}

// ---- outbound ----------------------------------------------------------------------

void Sidecar::appRequest(AppRequestId id, HttpRequest request) {
  DestinationCluster* destination = cluster(request.authority);
  const config::HttpRoute* route = destination ? destination->router().match(request) : nullptr;
  if (route == nullptr) {
    // Unknown service or no matching rule: Envoy's 404 with NR, answered locally.
    actions_.push_back(RespondToApp{id, 404, kNoRouteFound});
    RequestEvent ev;
    ev.reporter = "source";
    ev.source = identity_.instance;
    ev.source_principal = principal_;
    ev.destination_service = request.authority;
    ev.method = request.method;
    ev.path = request.path;
    ev.status = 404;
    ev.flags = kNoRouteFound;
    ev.start = clock_.now();
    ev.exchange = id;
    sink_.emit(clock_.now(), Event(std::move(ev)));
    return;
  }
  const std::string* parent = request.headers.find("traceparent");
  std::optional<telemetry::TraceContext> incoming = parent ? telemetry::parseTraceparent(*parent) : std::nullopt;
  const telemetry::TraceContext trace =
      incoming ? telemetry::childOf(*incoming, trace_rng_) : telemetry::newTrace(trace_rng_, true);
  request.headers.setOwned("traceparent", telemetry::formatTraceparent(trace));

  std::string subset = destination->router().pickDestination(*route, route_rng_).subset;
  const bool mirror = Router::shouldMirror(*route, route_rng_);
  HttpRequest copy;
  if (mirror) copy = request;
  startOutbound(id, std::move(request), trace, destination, route, std::move(subset), false);
  if (mirror) startOutbound(0, std::move(copy), trace, destination, route, route->mirror->subset, true);
}

std::uint64_t Sidecar::startOutbound(AppRequestId app_id, HttpRequest request, const telemetry::TraceContext& trace,
                                     DestinationCluster* cluster, const config::HttpRoute* route, std::string subset,
                                     bool shadow) {
  const std::uint64_t id = next_outbound_++;
  Outbound& o = outbound_[id];
  o.id = id;
  o.app_id = app_id;
  o.shadow = shadow;
  o.request = std::move(request);
  o.cluster = cluster;
  o.router = cluster->routerPtr();
  o.route = route;
  o.retry = shadow ? &shadowRetryPolicy() : &Router::retryPolicy(*route);
  o.subset = std::move(subset);
  o.start = clock_.now();
  o.backoff = RetryBackoff(o.retry->backoff_base, o.retry->backoff_max);
  o.trace = trace;
  if (!shadow && route->fault) {
    const FaultDecision fault = decideFault(*route->fault, route_rng_);
    o.flags |= fault.flags();
    o.pending_abort = fault.abort_status;
    if (fault.delay_ns > 0) {
      o.phase = Outbound::Phase::kFaultDelay;
      armStep(o, clock_.now() + fault.delay_ns);
      return id;
    }
  }
  afterFaultDelay(o);
  return id;
}

void Sidecar::afterFaultDelay(Outbound& o) {
  if (o.pending_abort != 0) {
    finish(o, o.pending_abort, o.flags);
    return;
  }
  // The router's timeout starts when the router sees the request, after the fault filter.
  if (o.route->timeout > 0) {
    o.route_token = next_token_++;
    timers_.arm(clock_.now() + o.route->timeout, TimerRef{o.id, TimerKind::kRoute, o.route_token});
  }
  startAttempt(o);
}

void Sidecar::startAttempt(Outbound& o) {
  DestinationCluster& c = *o.cluster;
  lb::PickRequest pick;
  pick.now = clock_.now();
  pick.headers = &o.request.headers;
  pick.previous_hosts = std::span<const lb::HostIndex>(o.tried.data(), o.tried.size());
  const std::optional<lb::HostIndex> host = c.balancer(o.subset).choose(pick);
  if (!host) {
    finish(o, 503, o.flags | kNoHealthyUpstream);
    return;
  }
  o.host = *host;
  o.tried.push_back(*host);
  ++o.attempts;
  o.last_instance = c.hosts()[*host].endpoint.instance;
  o.phase = Outbound::Phase::kWaiting;
  o.dispatched = false;
  const upstream::RequestId pool_request = c.upstream().pool().newRequest(*host, clock_.now());
  o.attempt = sidecarId(c.index(), pool_request);
  attempt_owner_[o.attempt] = o.id;
  drainPool(c);  // may dispatch, or fail (overflow), at once
}

void Sidecar::drainPool(DestinationCluster& c) {
  if (!c.upstream().pool().hasActions()) return;
  upstream::PoolAction action;
  while (c.upstream().pool().pollAction(action)) {
    if (auto* open = std::get_if<upstream::OpenConnection>(&action)) {
      actions_.push_back(OpenUpstreamConnection{sidecarId(c.index(), open->connection_id),
                                                c.hosts()[static_cast<lb::HostIndex>(open->host)].endpoint,
                                                c.originatesMtls()});
    } else if (auto* close = std::get_if<upstream::CloseConnection>(&action)) {
      actions_.push_back(CloseUpstreamConnection{sidecarId(c.index(), close->connection_id)});
    } else if (auto* dispatch = std::get_if<upstream::Dispatch>(&action)) {
      onDispatched(sidecarId(c.index(), dispatch->request_id), sidecarId(c.index(), dispatch->connection_id));
    } else if (auto* fail = std::get_if<upstream::Fail>(&action)) {
      Outbound* o = outboundForAttempt(sidecarId(c.index(), fail->request_id));
      if (o == nullptr) continue;
      const auto host = static_cast<lb::HostIndex>(fail->host);
      if (auto failure = upstream::outlierFailureFor(fail->reason)) c.recordLocalFailure(host, *failure, clock_.now());
      if (fail->reason == upstream::PoolFailure::kOverflow) {
        // Envoy never retries an overflow; the request is answered 503 UO.
        endAttemptAccounting(*o);
        finish(*o, 503, o->flags | kUpstreamOverflow);
        continue;
      }
      endAttemptAccounting(*o);
      const AttemptOutcome outcome = fail->reason == upstream::PoolFailure::kReset ? AttemptOutcome::reset()
                                                                                    : AttemptOutcome::connectFailure();
      ResponseFlags flags = flagFor(fail->reason);
      if (fail->reason == upstream::PoolFailure::kConnectFailure) flags |= connect_failure_flags_;
      onAttemptEnded(*o, outcome, flags);
    }
  }
}

void Sidecar::onDispatched(AttemptId attempt, ConnectionId connection) {
  Outbound* o = outboundForAttempt(attempt);
  if (o == nullptr) return;
  o->dispatched = true;
  o->phase = Outbound::Phase::kInFlight;
  o->connection = connection;
  o->attempt_sent = clock_.now();
  o->cluster->hosts().onRequestStart(o->host, clock_.now());
  if (o->retry->per_try_timeout > 0) armStep(*o, clock_.now() + o->retry->per_try_timeout);
  actions_.push_back(SendUpstream{attempt, connection, o->cluster->hosts()[o->host].endpoint, o->request,
                                  o->cluster->originatesMtls(), o->shadow, o->shadow ? 0 : o->app_id});
}

// Ends the bookkeeping of the current attempt (host load, retry slot, timers).
// A dispatched attempt's latency feeds the host's EWMA whatever its outcome (a timed-out
// try reports the time it was given, as Linkerd's peak-EWMA does for failures).
void Sidecar::endAttemptAccounting(Outbound& o) {
  if (o.attempt == 0) return;
  if (o.dispatched) {
    const TimeNs now = clock_.now();
    o.cluster->hosts().onRequestEnd(o.host, now - o.attempt_sent, now);
  }
  attempt_owner_.erase(o.attempt);
  o.attempt = 0;
  o.dispatched = false;
  o.step_token = 0;
  if (o.holds_retry_slot) {
    o.cluster->upstream().retryFinished(clock_.now());
    o.holds_retry_slot = false;
  }
}

void Sidecar::onAttemptEnded(Outbound& o, const AttemptOutcome& outcome, ResponseFlags attempt_flags) {
  const int status = outcome.finalStatus();
  // Istio generates no retry policy at all for `attempts: 0`, so nothing is "exhausted".
  if (outcome.isSuccess() || o.retry->attempts == 0 || !isRetriable(o.retry->retry_on, outcome)) {
    finish(o, status, o.flags | attempt_flags);
    return;
  }
  // Envoy RetryStateImpl::shouldRetry: no retries left -> URX; over maxRetries or the
  // retry budget -> UO (router.cc maps RetryStatus::NoOverflow to UpstreamOverflow).
  if (o.attempts > o.retry->attempts) {
    finish(o, status, o.flags | attempt_flags | kUpstreamRetryLimitExceeded);
    return;
  }
  if (!o.cluster->upstream().tryStartRetry(clock_.now())) {
    finish(o, status, o.flags | attempt_flags | kUpstreamOverflow);
    return;
  }
  o.holds_retry_slot = true;
  o.phase = Outbound::Phase::kBackoff;
  armStep(o, clock_.now() + o.backoff.next(retry_rng_));
}

void Sidecar::upstreamConnected(ConnectionId connection) {
  const std::uint32_t index = clusterOfId(connection);
  if (index >= clusters_.size()) return;
  DestinationCluster& c = *clusters_[index];
  c.upstream().pool().connectionEstablished(poolIdOf(connection), clock_.now());
  drainPool(c);
}

void Sidecar::upstreamConnectFailed(ConnectionId connection, ResponseFlags why) {
  const std::uint32_t index = clusterOfId(connection);
  if (index >= clusters_.size()) return;
  DestinationCluster& c = *clusters_[index];
  c.upstream().pool().connectFailed(poolIdOf(connection), clock_.now());
  connect_failure_flags_ = why;
  drainPool(c);
  connect_failure_flags_ = kNoFlags;
}

void Sidecar::upstreamConnectionClosed(ConnectionId connection) {
  const std::uint32_t index = clusterOfId(connection);
  if (index >= clusters_.size()) return;
  DestinationCluster& c = *clusters_[index];
  c.upstream().pool().connectionClosed(poolIdOf(connection), clock_.now());
  drainPool(c);
}

void Sidecar::abandonAppRequest(AppRequestId id, int status, ResponseFlags flags) {
  for (auto& [key, o] : outbound_) {  // rare (a drain's end): a scan, not an index kept per request
    if (o.app_id != id || o.shadow) continue;
    finish(o, status, o.flags | flags);
    return;
  }
}

void Sidecar::upstreamResponse(AttemptId attempt, int status, ResponseFlags upstream_flags) {
  Outbound* o = outboundForAttempt(attempt);
  if (o == nullptr || !o->dispatched) return;  // a late answer to an abandoned attempt
  DestinationCluster& c = *o->cluster;
  const TimeNs now = clock_.now();
  const lb::HostIndex host = o->host;
  const ConnectionId connection = o->connection;
  endAttemptAccounting(*o);
  if (upstream_flags & kMtlsRejected) {
    // The server sidecar refused the peer: a failed TLS handshake is a connection
    // failure to the caller (retried under connect-failure, counted by outlier detection).
    c.recordLocalFailure(host, upstream::LocalOriginFailure::kConnectFailure, now);
    c.upstream().pool().requestFinished(poolIdOf(connection), now);
    onAttemptEnded(*o, AttemptOutcome::connectFailure(), kMtlsRejected | kUpstreamConnectionFailure);
  } else {
    c.recordResponse(host, status, now);
    c.upstream().pool().requestFinished(poolIdOf(connection), now);
    onAttemptEnded(*o, AttemptOutcome::response(status), upstream_flags & kRbacDenied);
  }
  drainPool(c);
}

void Sidecar::finish(Outbound& o, int status, ResponseFlags flags) {
  DestinationCluster& c = *o.cluster;
  if (o.attempt != 0) {
    c.upstream().pool().cancelRequest(poolIdOf(o.attempt), o.host, clock_.now());
    endAttemptAccounting(o);
  }
  if (o.holds_retry_slot) {
    c.upstream().retryFinished(clock_.now());
    o.holds_retry_slot = false;
  }
  const TimeNs now = clock_.now();
  if (!o.shadow) actions_.push_back(RespondToApp{o.app_id, status, flags});
  RequestEvent ev;
  ev.reporter = "source";
  ev.source = identity_.instance;
  ev.source_principal = principal_;
  ev.destination_service = c.service().name;
  ev.destination_subset = o.subset;
  ev.destination_instance = o.attempts > 0 ? o.last_instance : std::string();
  ev.route = o.route->name;
  ev.method = o.request.method;
  ev.path = o.request.path;
  ev.status = status;
  ev.flags = flags;
  ev.start = o.start;
  ev.duration = now - o.start;
  ev.attempts = o.attempts;
  ev.mtls = c.originatesMtls();
  ev.shadow = o.shadow;
  ev.trace_id = telemetry::toHex(o.trace.trace_id);
  ev.span_id = telemetry::toHex(o.trace.parent_id);
  ev.exchange = o.app_id;
  sink_.emit(now, Event(std::move(ev)));
  outbound_.erase(o.id);
  drainPool(c);
}

Sidecar::Outbound* Sidecar::outboundForAttempt(AttemptId attempt) {
  auto it = attempt_owner_.find(attempt);
  if (it == attempt_owner_.end()) return nullptr;
  auto o = outbound_.find(it->second);
  return o == outbound_.end() ? nullptr : &o->second;
}

void Sidecar::armStep(Outbound& o, TimeNs at) {
  o.step_token = next_token_++;
  timers_.arm(at, TimerRef{o.id, TimerKind::kStep, o.step_token});
}

void Sidecar::onTimer(const TimerRef& ref) {
  auto it = outbound_.find(ref.outbound);
  if (it == outbound_.end()) return;
  Outbound& o = it->second;
  const TimeNs now = clock_.now();
  if (ref.kind == TimerKind::kRoute) {
    if (ref.token != o.route_token) return;
    // The route timeout bounds the whole request, retries included: 504 UT.
    if (o.attempt != 0 && o.dispatched)
      o.cluster->recordLocalFailure(o.host, upstream::LocalOriginFailure::kRequestTimeout, now);
    finish(o, 504, o.flags | kUpstreamRequestTimeout);
    return;
  }
  if (ref.token != o.step_token) return;
  switch (o.phase) {
    case Outbound::Phase::kFaultDelay:
      afterFaultDelay(o);
      return;
    case Outbound::Phase::kBackoff:
      startAttempt(o);
      return;
    case Outbound::Phase::kInFlight: {
      // perTryTimeout: abandon this try (HTTP/1.1 closes its connection) and maybe retry.
      DestinationCluster& c = *o.cluster;
      c.upstream().pool().cancelRequest(poolIdOf(o.attempt), o.host, now);
      c.recordLocalFailure(o.host, upstream::LocalOriginFailure::kRequestTimeout, now);
      endAttemptAccounting(o);
      onAttemptEnded(o, AttemptOutcome::perTryTimeout(), kUpstreamRequestTimeout);
      drainPool(c);
      return;
    }
    case Outbound::Phase::kWaiting:
      return;
  }
}

// ---- inbound -----------------------------------------------------------------------

void Sidecar::peerRequest(InboundId id, HttpRequest request, const security::PeerConnection& peer) {
  Inbound in;
  in.id = id;
  in.method = request.method;
  in.path = request.path;
  in.start = clock_.now();
  if (const std::string* tp = request.headers.find("traceparent")) {
    if (auto ctx = telemetry::parseTraceparent(*tp)) {
      in.trace = *ctx;
      in.has_trace = true;
    }
  }
  if (!authorizer_) {  // a gateway serves no inbound traffic
    respondToPeer(in, 404, kNoRouteFound, false);
    return;
  }
  const security::PeerAdmission admission = security::admitPeer(inbound_mode_, peer);
  in.principal = admission.principal;
  in.mtls = admission.mtls;
  if (!admission.accepted) {
    respondToPeer(in, 503, admission.flags | kMtlsRejected, false);
    return;
  }
  const auto authz = security::AuthzRequest::fromPeer(in.principal, in.method, in.path);
  const security::AuthzDecision decision = authorizer_->evaluate(authz);
  if (decision.audited) authorizer_->reportAudit(decision, authz, clock_.now(), sink_);
  if (!decision.allowed) {
    respondToPeer(in, decision.http_status != 0 ? decision.http_status : 403, decision.flags | kRbacDenied, false);
    return;
  }
  actions_.push_back(DeliverToApp{id, std::move(request), in.principal});
  inbound_[id] = std::move(in);
}

void Sidecar::appResponded(InboundId id, int status, ResponseFlags flags) {
  auto it = inbound_.find(id);
  if (it == inbound_.end()) return;
  Inbound in = std::move(it->second);
  inbound_.erase(it);
  respondToPeer(in, status, flags, true);
}

void Sidecar::peerClosed(InboundId id) {
  auto it = inbound_.find(id);
  if (it == inbound_.end()) return;
  Inbound in = std::move(it->second);
  inbound_.erase(it);
  logInbound(in, 0, kDownstreamConnectionTermination, true);
}

void Sidecar::respondToPeer(Inbound& in, int status, ResponseFlags flags, bool delivered) {
  actions_.push_back(RespondToPeer{in.id, status, flags});
  logInbound(in, status, flags, delivered);
}

void Sidecar::logInbound(const Inbound& in, int status, ResponseFlags flags, bool delivered) {
  const TimeNs now = clock_.now();
  RequestEvent ev;
  ev.reporter = "destination";
  ev.source = in.principal.empty() ? "unauthenticated" : in.principal;
  ev.source_principal = in.principal;
  ev.destination_service = identity_.service;
  ev.destination_subset = identity_.version;
  ev.destination_instance = delivered ? identity_.instance : std::string();
  ev.method = in.method;
  ev.path = in.path;
  ev.status = status;
  ev.flags = flags;
  ev.start = in.start;
  ev.duration = now - in.start;
  ev.mtls = in.mtls;
  if (in.has_trace) {
    ev.trace_id = telemetry::toHex(in.trace.trace_id);
    ev.span_id = telemetry::toHex(in.trace.parent_id);
  }
  ev.exchange = in.id;
  sink_.emit(now, Event(std::move(ev)));
}

// ---- time and actions --------------------------------------------------------------

TimeNs Sidecar::nextDeadline() const {
  TimeNs next = timers_.nextDeadline();
  for (const auto& c : clusters_) next = std::min(next, c->nextDeadline());
  return next;
}

void Sidecar::advance() {
  const TimeNs now = clock_.now();
  bool progressed = true;
  while (progressed) {
    progressed = false;
    TimerQueue<TimerRef>::Entry entry;
    while (timers_.popDue(now, entry)) {
      onTimer(entry.payload);
      progressed = true;
    }
    for (const auto& c : clusters_) {
      if (c->nextDeadline() <= now) {
        c->onDeadline(now);
        drainPool(*c);
        progressed = true;
      }
    }
  }
}

bool Sidecar::pollAction(SidecarAction& out) {
  return actions_.poll(out);
}

}  // namespace meshproof::dataplane
