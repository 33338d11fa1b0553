// What the HTTP/1.1 connection pool asks its driver to do. The pool never touches a
// socket: the driver polls these actions and carries them out in order.
#pragma once
#include <variant>

#include "mesh/core/time.h"
#include "mesh/upstream/ids.h"

namespace meshproof::upstream {

// Open a connection to `host`; report connectionEstablished / connectFailed. The
// pool itself times it out at `connect_deadline` (tcp.connectTimeout).
struct OpenConnection {
  ConnectionId connection_id = 0;
  HostIndex host = 0;
  TimeNs connect_deadline = kNever;
};

// Close (or abort, while connecting) the connection; the pool has forgotten it, so
// the driver reports nothing more about it.
struct CloseConnection {
  ConnectionId connection_id = 0;
  HostIndex host = 0;
};

// Send the request on the connection; report requestFinished when its response is
// complete, or connectionClosed if the connection dies first.
struct Dispatch {
  RequestId request_id = 0;
  ConnectionId connection_id = 0;
  HostIndex host = 0;
};

enum class PoolFailure {
  kOverflow,        // a circuit breaker refused it: answer 503 with flag UO
  kConnectFailure,  // the connection it waited for failed: 503 UF
  kConnectTimeout,  // the connection it waited for timed out: 503 UF
  kReset,           // its connection closed before the response completed: 503 UC
};

// The request will not be served by this pool.
struct Fail {
  RequestId request_id = 0;
  HostIndex host = 0;
  PoolFailure reason = PoolFailure::kOverflow;
};

using PoolAction = std::variant<OpenConnection, CloseConnection, Dispatch, Fail>;

}  // namespace meshproof::upstream
