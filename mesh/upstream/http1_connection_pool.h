// The HTTP/1.1 connection pool of one cluster as a state machine: one connection
// carries one request at a time; idle connections are reused per host; requests
// wait in a FIFO per host for a connection; the cluster's circuit breakers bound
// connections, pending requests and active requests. Sockets stay with the driver:
// it feeds events in and polls actions out (pool_actions.h).
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "mesh/core/action_queue.h"
#include "mesh/config/model.h"
#include "mesh/core/time.h"
#include "mesh/upstream/circuit_breakers.h"
#include "mesh/upstream/fifo_queue.h"
#include "mesh/upstream/ids.h"
#include "mesh/upstream/pool_actions.h"
#include "mesh/upstream/upstream_result.h"

namespace meshproof::upstream {

// How a pool failure counts for outlier detection; none for overflow (Envoy does
// not hold a cluster-wide overflow against the host, envoy issue #25487).
std::optional<LocalOriginFailure> outlierFailureFor(PoolFailure failure);

class Http1ConnectionPool {
 public:
  Http1ConnectionPool(std::size_t host_count, const config::TcpSettings& tcp, const config::HttpSettings& http,
                      CircuitBreakers& breakers);

  // Hosts are 0..hostCount()-1; the set may grow (never shrinks).
  void setHostCount(std::size_t host_count);
  std::size_t hostCount() const { return hosts_.size(); }

  // ---- inputs ----
  // A request for `host` (already picked by the load balancer). Its fate comes out
  // as a Dispatch or a Fail action, possibly at once.
  RequestId newRequest(HostIndex host, TimeNs now);
  void connectionEstablished(ConnectionId connection, TimeNs now);
  // The connection could not be established (refused, unreachable).
  void connectFailed(ConnectionId connection, TimeNs now);
  // The peer closed or reset the connection; a request on it fails with kReset.
  void connectionClosed(ConnectionId connection, TimeNs now);
  // The response to the request on the connection is complete.
  void requestFinished(ConnectionId connection, TimeNs now);
  // The data plane gave up on a request (timeout, downstream gone): a pending one
  // leaves the queue; a dispatched one closes its connection (HTTP/1.1 cannot
  // abandon a request otherwise). No Fail action follows. False if unknown.
  bool cancelRequest(RequestId request, HostIndex host, TimeNs now);

  // The cluster was replaced (its configuration changed): idle connections close now,
  // busy ones once their request finishes; requests already pending are still served.
  void drain(TimeNs now);
  bool draining() const { return draining_; }

  // ---- timers ----
  // The earliest connect deadline, kNever when nothing is connecting.
  TimeNs nextDeadline() const;
  // Times out every connection whose connect deadline has passed.
  void onDeadline(TimeNs now);

  // ---- outputs ----
  // Next action in order; false when none is left.
  bool pollAction(PoolAction& out);
  bool hasActions() const { return !actions_.empty(); }

  // ---- introspection ----
  int connectionCount() const { return static_cast<int>(connections_.size()); }
  int connectionCount(HostIndex host) const { return hosts_[host].connections; }
  int idleConnectionCount(HostIndex host) const { return static_cast<int>(hosts_[host].ready.size()); }
  int pendingCount(HostIndex host) const { return static_cast<int>(hosts_[host].pending.size()); }

 private:
  enum class ConnectionState { kConnecting, kReady, kBusy, kDraining };

  struct Connection {
    HostIndex host = 0;
    ConnectionState state = ConnectionState::kConnecting;
    RequestId request = 0;  // 0: none
    int remaining_requests = 0;
    TimeNs connect_deadline = kNever;
  };

  struct HostPool {
    FifoQueue<RequestId> pending;
    std::vector<ConnectionId> ready;  // idle connections; the most recently freed is used first
    int connecting = 0;
    int connections = 0;  // every state, draining included
  };

  void attachToReadyConnection(HostPool& pool, HostIndex host, RequestId request, TimeNs now);
  void onUpstreamReady(HostIndex host, TimeNs now);
  void tryCreateConnections(HostIndex host, TimeNs now);
  bool tryCreateConnection(HostIndex host, TimeNs now);
  void failConnecting(ConnectionId connection, PoolFailure reason, bool close, TimeNs now);
  void forgetConnection(std::map<ConnectionId, Connection>::iterator it);
  void closeIdle(HostIndex host);
  void fail(RequestId request, HostIndex host, PoolFailure reason);

  config::TcpSettings tcp_;
  config::HttpSettings http_;
  CircuitBreakers& breakers_;
  std::vector<HostPool> hosts_;
  std::map<ConnectionId, Connection> connections_;
  std::set<std::pair<TimeNs, ConnectionId>> connect_deadlines_;
  ActionQueue<PoolAction> actions_;
  bool draining_ = false;
  RequestId next_request_id_ = 1;
  ConnectionId next_connection_id_ = 1;
};

}  // namespace meshproof::upstream
