// HTTP/1.1 connection pool; the rules follow Envoy's
// source/common/conn_pool/conn_pool_base.cc (ConnPoolImplBase), cited inline.
#include "mesh/upstream/http1_connection_pool.h"

#include <algorithm>
#include <limits>

namespace meshproof::upstream {

std::optional<LocalOriginFailure> outlierFailureFor(PoolFailure failure) {
  switch (failure) {
    case PoolFailure::kOverflow: return std::nullopt;
    case PoolFailure::kConnectFailure: return LocalOriginFailure::kConnectFailure;
    case PoolFailure::kConnectTimeout: return LocalOriginFailure::kConnectTimeout;
    case PoolFailure::kReset: return LocalOriginFailure::kReset;
  }
  return std::nullopt;
}

Http1ConnectionPool::Http1ConnectionPool(std::size_t host_count, const config::TcpSettings& tcp,
                                         const config::HttpSettings& http, CircuitBreakers& breakers)
    : tcp_(tcp), http_(http), breakers_(breakers), hosts_(host_count) {}

void Http1ConnectionPool::setHostCount(std::size_t host_count) {
  if (host_count > hosts_.size()) hosts_.resize(host_count);
}

// ConnPoolImplBase::newStream: an idle connection takes the request at once;
// otherwise the request waits as pending, if http1MaxPendingRequests allows, and a
// connection is opened for it if maxConnections allows. A request waiting for a
// connection that is still being established counts as pending too, as in Envoy.
RequestId Http1ConnectionPool::newRequest(HostIndex host, TimeNs now) {
  const RequestId request = next_request_id_++;
  HostPool& pool = hosts_[host];
  if (!pool.ready.empty()) {
    attachToReadyConnection(pool, host, request, now);
  } else if (!breakers_.pendingAllowed()) {
    breakers_.recordOverflow(BreakerThreshold::kHttp1MaxPendingRequests, now);
    fail(request, host, PoolFailure::kOverflow);
  } else {
    pool.pending.push(request);
    breakers_.pendingAdded();
    tryCreateConnections(host, now);
  }
  breakers_.updateOpenState(now);
  return request;
}

// ConnPoolImplBase::attachStreamToClient: http2MaxRequests (Envoy's max_requests,
// which bounds HTTP/1.1 too) is checked when a request is bound to a connection;
// over it the request fails with overflow and the connection stays idle. The Nth
// request of a connection with maxRequestsPerConnection N drains it: it closes once
// that request finishes.
void Http1ConnectionPool::attachToReadyConnection(HostPool& pool, HostIndex host, RequestId request, TimeNs now) {
  if (!breakers_.requestAllowed()) {
    breakers_.recordOverflow(BreakerThreshold::kHttp2MaxRequests, now);
    fail(request, host, PoolFailure::kOverflow);
    return;
  }
  const ConnectionId id = pool.ready.back();
  pool.ready.pop_back();
  Connection& connection = connections_.at(id);
  connection.request = request;
  --connection.remaining_requests;
  connection.state = connection.remaining_requests == 0 ? ConnectionState::kDraining : ConnectionState::kBusy;
  breakers_.requestStarted();
  actions_.push_back(Dispatch{request, id, host});
}

// ConnPoolImplBase::onUpstreamReady: pending requests, oldest first, take the idle
// connections.
void Http1ConnectionPool::onUpstreamReady(HostIndex host, TimeNs now) {
  HostPool& pool = hosts_[host];
  while (!pool.pending.empty() && !pool.ready.empty()) {
    const RequestId request = pool.pending.pop();
    breakers_.pendingRemoved();
    attachToReadyConnection(pool, host, request, now);
  }
}

// ConnPoolImplBase::tryCreateNewConnections: at most 3 connections per trigger.
void Http1ConnectionPool::tryCreateConnections(HostIndex host, TimeNs now) {
  for (int i = 0; i < 3; ++i)
    if (!tryCreateConnection(host, now)) return;
}

// ConnPoolImplBase::tryCreateNewConnection: a connection is wanted while more
// requests are pending than connections are being established for them. Over
// maxConnections it counts as an overflow, but a host with no connection at all
// still gets one, "to prevent pending streams being queued to this upstream with no
// way to be processed" — so the cluster can exceed maxConnections by that much.
bool Http1ConnectionPool::tryCreateConnection(HostIndex host, TimeNs now) {
  HostPool& pool = hosts_[host];
  if (pool.pending.size() <= static_cast<std::size_t>(pool.connecting)) return false;
  const bool allowed = breakers_.connectionAllowed();
  if (!allowed) breakers_.recordOverflow(BreakerThreshold::kMaxConnections, now);
  if (allowed || pool.connections == 0) {
    const ConnectionId id = next_connection_id_++;
    Connection connection;
    connection.host = host;
    connection.remaining_requests =
        http_.max_requests_per_connection > 0 ? http_.max_requests_per_connection : std::numeric_limits<int>::max();
    connection.connect_deadline = now + tcp_.connect_timeout;
    connections_.emplace(id, connection);
    connect_deadlines_.emplace(connection.connect_deadline, id);
    ++pool.connecting;
    ++pool.connections;
    breakers_.connectionOpened();
    actions_.push_back(OpenConnection{id, host, connection.connect_deadline});
  }
  return allowed;
}

void Http1ConnectionPool::connectionEstablished(ConnectionId id, TimeNs now) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second.state != ConnectionState::kConnecting) return;
  Connection& connection = it->second;
  connect_deadlines_.erase({connection.connect_deadline, id});
  connection.state = ConnectionState::kReady;
  const HostIndex host = connection.host;
  HostPool& pool = hosts_[host];
  --pool.connecting;
  pool.ready.push_back(id);
  onUpstreamReady(host, now);
  if (draining_) closeIdle(host);
  breakers_.updateOpenState(now);
}

void Http1ConnectionPool::closeIdle(HostIndex host) {
  HostPool& pool = hosts_[host];
  while (!pool.ready.empty()) {
    const ConnectionId id = pool.ready.back();
    forgetConnection(connections_.find(id));
    actions_.push_back(CloseConnection{id, host});
  }
}

// Envoy drains a removed cluster's pools (ConnPoolImplBase::drainConnections).
void Http1ConnectionPool::drain(TimeNs now) {
  draining_ = true;
  for (auto& [id, connection] : connections_)
    if (connection.state == ConnectionState::kBusy) connection.state = ConnectionState::kDraining;
  for (HostIndex host = 0; host < hosts_.size(); ++host) closeIdle(host);
  breakers_.updateOpenState(now);
}

void Http1ConnectionPool::connectFailed(ConnectionId id, TimeNs now) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second.state != ConnectionState::kConnecting) return;
  failConnecting(id, PoolFailure::kConnectFailure, false, now);
}

// ConnPoolImplBase::onConnectionEvent while CONNECTING: the failure purges *every*
// pending request of the host ("we purge all pending streams so that calling code
// can determine what to do with the stream"), not just one.
void Http1ConnectionPool::failConnecting(ConnectionId id, PoolFailure reason, bool close, TimeNs now) {
  auto it = connections_.find(id);
  const HostIndex host = it->second.host;
  forgetConnection(it);
  if (close) actions_.push_back(CloseConnection{id, host});
  HostPool& pool = hosts_[host];
  while (!pool.pending.empty()) {
    breakers_.pendingRemoved();
    fail(pool.pending.pop(), host, reason);
  }
  breakers_.updateOpenState(now);
}

void Http1ConnectionPool::forgetConnection(std::map<ConnectionId, Connection>::iterator it) {
  const ConnectionId id = it->first;
  Connection& connection = it->second;
  HostPool& pool = hosts_[connection.host];
  switch (connection.state) {
    case ConnectionState::kConnecting:
      connect_deadlines_.erase({connection.connect_deadline, id});
      --pool.connecting;
      break;
    case ConnectionState::kReady:
      pool.ready.erase(std::find(pool.ready.begin(), pool.ready.end(), id));
      break;
    case ConnectionState::kBusy:
    case ConnectionState::kDraining:
      if (connection.request != 0) breakers_.requestFinished();
      break;
  }
  --pool.connections;
  breakers_.connectionClosed();
  connections_.erase(it);
}

// Remote close or reset. A request on the connection fails with kReset; requests
// still pending get a new connection if one is wanted (onConnectionEvent).
void Http1ConnectionPool::connectionClosed(ConnectionId id, TimeNs now) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  if (it->second.state == ConnectionState::kConnecting) {
    failConnecting(id, PoolFailure::kConnectFailure, false, now);
    return;
  }
  const HostIndex host = it->second.host;
  const RequestId request = it->second.request;
  forgetConnection(it);
  if (request != 0) fail(request, host, PoolFailure::kReset);
  if (!hosts_[host].pending.empty()) tryCreateConnections(host, now);
  breakers_.updateOpenState(now);
}

// ConnPoolImplBase::onStreamClosed: a draining connection closes, otherwise it is
// idle again and serves the next pending request.
void Http1ConnectionPool::requestFinished(ConnectionId id, TimeNs now) {
  auto it = connections_.find(id);
  if (it == connections_.end() || it->second.request == 0) return;
  Connection& connection = it->second;
  const HostIndex host = connection.host;
  breakers_.requestFinished();
  connection.request = 0;
  if (connection.state == ConnectionState::kDraining) {
    forgetConnection(it);
    actions_.push_back(CloseConnection{id, host});
    if (!hosts_[host].pending.empty()) tryCreateConnections(host, now);
  } else {
    connection.state = ConnectionState::kReady;
    hosts_[host].ready.push_back(id);
    onUpstreamReady(host, now);
    if (draining_) closeIdle(host);
  }
  breakers_.updateOpenState(now);
}

bool Http1ConnectionPool::cancelRequest(RequestId request, HostIndex host, TimeNs now) {
  if (request == 0 || host >= hosts_.size()) return false;
  if (hosts_[host].pending.remove(request)) {
    breakers_.pendingRemoved();
    breakers_.updateOpenState(now);
    return true;
  }
  for (auto it = connections_.begin(); it != connections_.end(); ++it) {
    if (it->second.request != request) continue;
    const ConnectionId id = it->first;
    const HostIndex connection_host = it->second.host;
    forgetConnection(it);
    actions_.push_back(CloseConnection{id, connection_host});
    if (!hosts_[connection_host].pending.empty()) tryCreateConnections(connection_host, now);
    breakers_.updateOpenState(now);
    return true;
  }
  return false;
}

TimeNs Http1ConnectionPool::nextDeadline() const {
  return connect_deadlines_.empty() ? kNever : connect_deadlines_.begin()->first;
}

void Http1ConnectionPool::onDeadline(TimeNs now) {
  while (!connect_deadlines_.empty() && connect_deadlines_.begin()->first <= now)
    failConnecting(connect_deadlines_.begin()->second, PoolFailure::kConnectTimeout, true, now);
}

bool Http1ConnectionPool::pollAction(PoolAction& out) {
  return actions_.poll(out);
}

void Http1ConnectionPool::fail(RequestId request, HostIndex host, PoolFailure reason) {
  actions_.push_back(Fail{request, host, reason});
}

}  // namespace meshproof::upstream
