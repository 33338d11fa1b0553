// The HTTP/1.1 connection pool driven by hand: the Istio circuit-breaking task's
// setup, connection reuse, maxRequestsPerConnection, http2MaxRequests, connect
// failures and timeouts, remote resets, and Envoy's per-host connection exception.
#include "mesh/upstream/http1_connection_pool.h"

#include <gtest/gtest.h>

#include <vector>

namespace meshproof::upstream {
namespace {

// One pool with its breakers and a recording sink, for a cluster of `hosts` hosts.
struct PoolFixture {
  explicit PoolFixture(config::ConnectionPool limits, std::size_t hosts = 1)
      : breakers("payments", limits, std::nullopt, sink), pool(hosts, limits.tcp, limits.http, breakers) {}

  std::vector<PoolAction> drain() {
    std::vector<PoolAction> out;
    PoolAction action;
    while (pool.pollAction(action)) out.push_back(action);
    return out;
  }

  // Opens and establishes one idle connection to `host`, as after a first request.
  ConnectionId warm(HostIndex host, TimeNs now) {
    pool.newRequest(host, now);
    const auto open = std::get<OpenConnection>(drain().at(0));
    pool.connectionEstablished(open.connection_id, now);
    const auto dispatch = std::get<Dispatch>(drain().at(0));
    pool.requestFinished(dispatch.connection_id, now);
    EXPECT_TRUE(drain().empty());
    return open.connection_id;
  }

  RecordingSink sink;
  CircuitBreakers breakers;
  Http1ConnectionPool pool;
};

config::ConnectionPool limits(int max_connections, int max_pending) {
  config::ConnectionPool limits;
  limits.tcp.max_connections = max_connections;
  limits.tcp.connect_timeout = kSecond;
  limits.http.http1_max_pending_requests = max_pending;
  return limits;
}

TEST(Http1ConnectionPool, IstioTaskSetupDispatchesOneQueuesOneOverflowsOne) {
  PoolFixture f(limits(1, 1));
  const ConnectionId connection = f.warm(0, 0);

  const RequestId first = f.pool.newRequest(0, kSecond);
  const RequestId second = f.pool.newRequest(0, kSecond);
  const RequestId third = f.pool.newRequest(0, kSecond);
  auto actions = f.drain();
  ASSERT_EQ(actions.size(), 2u);
  const auto dispatch = std::get<Dispatch>(actions[0]);
  EXPECT_EQ(dispatch.request_id, first);
  EXPECT_EQ(dispatch.connection_id, connection);
  const auto fail = std::get<Fail>(actions[1]);
  EXPECT_EQ(fail.request_id, third);
  EXPECT_EQ(fail.reason, PoolFailure::kOverflow);
  EXPECT_EQ(f.pool.pendingCount(0), 1);
  EXPECT_EQ(f.breakers.activeRequests(), 1);
  EXPECT_EQ(f.pool.connectionCount(), 1);  // the pending one got no second connection

  // Envoy counts both: upstream_cx_overflow (wanted a connection) and
  // upstream_rq_pending_overflow (the refused request).
  const auto opened = f.sink.all<BreakerEvent>();
  ASSERT_EQ(opened.size(), 2u);
  EXPECT_EQ(opened[0].threshold, "maxConnections");
  EXPECT_TRUE(opened[0].open);
  EXPECT_EQ(opened[1].threshold, "http1MaxPendingRequests");
  EXPECT_TRUE(opened[1].open);

  // The first finishes: the pending one goes out on the same connection, and the
  // cluster is back under every threshold.
  f.pool.requestFinished(connection, 2 * kSecond);
  actions = f.drain();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(std::get<Dispatch>(actions[0]).request_id, second);
  EXPECT_EQ(std::get<Dispatch>(actions[0]).connection_id, connection);
  ASSERT_EQ(f.sink.entries.size(), 4u);
  EXPECT_EQ(f.sink.entries[2].t, 2 * kSecond);
  const auto closed0 = std::get<BreakerEvent>(f.sink.entries[2].event);
  const auto closed1 = std::get<BreakerEvent>(f.sink.entries[3].event);
  EXPECT_FALSE(closed0.open);
  EXPECT_EQ(closed0.threshold, "maxConnections");
  EXPECT_FALSE(closed1.open);
  EXPECT_EQ(closed1.threshold, "http1MaxPendingRequests");
  EXPECT_FALSE(f.breakers.isOpen());
}

TEST(Http1ConnectionPool, ColdPoolCountsTheConnectingRequestAsPending) {
  // As in Envoy, a request waiting for its connection to be established is pending:
  // with no connection yet, only one of three concurrent requests is admitted.
  PoolFixture f(limits(1, 1));
  const RequestId first = f.pool.newRequest(0, 0);
  f.pool.newRequest(0, 0);
  f.pool.newRequest(0, 0);
  auto actions = f.drain();
  ASSERT_EQ(actions.size(), 3u);
  const auto open = std::get<OpenConnection>(actions[0]);
  EXPECT_EQ(open.connection_id, 1u);
  EXPECT_EQ(open.host, 0u);
  EXPECT_EQ(open.connect_deadline, kSecond);
  EXPECT_EQ(std::get<Fail>(actions[1]).reason, PoolFailure::kOverflow);
  EXPECT_EQ(std::get<Fail>(actions[2]).reason, PoolFailure::kOverflow);
  f.pool.connectionEstablished(open.connection_id, kMillisecond);
  actions = f.drain();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(std::get<Dispatch>(actions[0]).request_id, first);
}

TEST(Http1ConnectionPool, IdsIncreaseAndPendingRequestsAreServedInArrivalOrder) {
  PoolFixture f(limits(1, 10));
  const ConnectionId connection = f.warm(0, 0);
  std::vector<RequestId> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(f.pool.newRequest(0, 0));
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_GT(ids[i], ids[i - 1]);
  f.drain();
  for (std::size_t i = 1; i < ids.size(); ++i) {
    f.pool.requestFinished(connection, 0);
    const auto actions = f.drain();
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(std::get<Dispatch>(actions[0]).request_id, ids[i]);
  }
}

TEST(Http1ConnectionPool, MaxRequestsPerConnectionClosesAfterTheNthRequest) {
  config::ConnectionPool settings = limits(1, 10);
  settings.http.max_requests_per_connection = 2;
  PoolFixture f(settings);
  const ConnectionId first_connection = f.warm(0, 0);  // request 1 on it

  f.pool.newRequest(0, kSecond);  // request 2: drains the connection
  const auto dispatch = std::get<Dispatch>(f.drain().at(0));
  EXPECT_EQ(dispatch.connection_id, first_connection);
  const RequestId third = f.pool.newRequest(0, kSecond);  // waits: connection busy, at maxConnections
  EXPECT_TRUE(f.drain().empty());

  f.pool.requestFinished(first_connection, 2 * kSecond);
  auto actions = f.drain();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(std::get<CloseConnection>(actions[0]).connection_id, first_connection);
  const auto reopen = std::get<OpenConnection>(actions[1]);
  EXPECT_EQ(reopen.connection_id, first_connection + 1);
  f.pool.connectionEstablished(reopen.connection_id, 2 * kSecond);
  actions = f.drain();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(std::get<Dispatch>(actions[0]).request_id, third);
  EXPECT_EQ(std::get<Dispatch>(actions[0]).connection_id, reopen.connection_id);
}

TEST(Http1ConnectionPool, Http2MaxRequestsLimitsOutstandingRequests) {
  config::ConnectionPool settings = limits(100, 100);
  settings.http.http2_max_requests = 2;
  PoolFixture f(settings);
  for (int i = 0; i < 3; ++i) f.pool.newRequest(0, 0);
  auto actions = f.drain();
  ASSERT_EQ(actions.size(), 3u);  // three connections opened for three pending requests
  for (const auto& action : actions) f.pool.connectionEstablished(std::get<OpenConnection>(action).connection_id, 0);
  actions = f.drain();
  ASSERT_EQ(actions.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<Dispatch>(actions[0]));
  EXPECT_TRUE(std::holds_alternative<Dispatch>(actions[1]));
  EXPECT_EQ(std::get<Fail>(actions[2]).reason, PoolFailure::kOverflow);
  EXPECT_EQ(f.breakers.activeRequests(), 2);
  EXPECT_TRUE(f.breakers.isOpen(BreakerThreshold::kHttp2MaxRequests));
  EXPECT_EQ(f.pool.idleConnectionCount(0), 1);

  // A fourth request takes the idle connection but is refused all the same.
  f.pool.newRequest(0, 0);
  actions = f.drain();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(std::get<Fail>(actions[0]).reason, PoolFailure::kOverflow);
  EXPECT_EQ(f.breakers.overflowCount(BreakerThreshold::kHttp2MaxRequests), 2u);
}

TEST(Http1ConnectionPool, ConnectTimeoutFailsEveryPendingRequestOfTheHost) {
  PoolFixture f(limits(1, 5));
  const RequestId a = f.pool.newRequest(0, 0);
  const RequestId b = f.pool.newRequest(0, 100 * kMillisecond);
  const auto open = std::get<OpenConnection>(f.drain().at(0));
  EXPECT_EQ(f.pool.nextDeadline(), kSecond);
  f.pool.onDeadline(999 * kMillisecond);
  EXPECT_TRUE(f.drain().empty());

  f.pool.onDeadline(kSecond);
  const auto actions = f.drain();
  ASSERT_EQ(actions.size(), 3u);
  EXPECT_EQ(std::get<CloseConnection>(actions[0]).connection_id, open.connection_id);
  EXPECT_EQ(std::get<Fail>(actions[1]).request_id, a);
  EXPECT_EQ(std::get<Fail>(actions[1]).reason, PoolFailure::kConnectTimeout);
  EXPECT_EQ(std::get<Fail>(actions[2]).request_id, b);
  EXPECT_EQ(std::get<Fail>(actions[2]).reason, PoolFailure::kConnectTimeout);
  EXPECT_EQ(f.pool.nextDeadline(), kNever);
  EXPECT_EQ(f.pool.connectionCount(), 0);
  EXPECT_EQ(f.breakers.pendingRequests(), 0);
  EXPECT_EQ(f.breakers.connections(), 0);

  // A late report about the forgotten connection is ignored.
  f.pool.connectionEstablished(open.connection_id, 2 * kSecond);
  EXPECT_TRUE(f.drain().empty());
  EXPECT_EQ(outlierFailureFor(PoolFailure::kConnectTimeout), LocalOriginFailure::kConnectTimeout);
  EXPECT_EQ(outlierFailureFor(PoolFailure::kOverflow), std::nullopt);
}

TEST(Http1ConnectionPool, ConnectFailureFailsPendingRequestsWithoutACloseAction) {
  PoolFixture f(limits(1, 5));
  const RequestId a = f.pool.newRequest(0, 0);
  const auto open = std::get<OpenConnection>(f.drain().at(0));
  f.pool.connectFailed(open.connection_id, 10 * kMillisecond);
  const auto actions = f.drain();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(std::get<Fail>(actions[0]).request_id, a);
  EXPECT_EQ(std::get<Fail>(actions[0]).reason, PoolFailure::kConnectFailure);
  EXPECT_EQ(f.pool.nextDeadline(), kNever);
}

TEST(Http1ConnectionPool, RemoteCloseFailsTheRequestOnItAndReconnectsForPendingOnes) {
  PoolFixture f(limits(1, 5));
  const ConnectionId connection = f.warm(0, 0);
  const RequestId on_wire = f.pool.newRequest(0, 0);
  const RequestId waiting = f.pool.newRequest(0, 0);
  f.drain();
  f.pool.connectionClosed(connection, kSecond);
  auto actions = f.drain();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(std::get<Fail>(actions[0]).request_id, on_wire);
  EXPECT_EQ(std::get<Fail>(actions[0]).reason, PoolFailure::kReset);
  const auto reopen = std::get<OpenConnection>(actions[1]);
  EXPECT_EQ(reopen.connect_deadline, 2 * kSecond);
  f.pool.connectionEstablished(reopen.connection_id, kSecond);
  EXPECT_EQ(std::get<Dispatch>(f.drain().at(0)).request_id, waiting);
  EXPECT_EQ(f.breakers.activeRequests(), 1);
}

TEST(Http1ConnectionPool, IdleConnectionsArePerHostAndEachHostGetsOneConnectionRegardless) {
  // Envoy: a host with no connection at all gets one even over maxConnections, so
  // its pending requests are not stranded; the overflow is still counted.
  PoolFixture f(limits(1, 5), 2);
  f.warm(0, 0);
  f.pool.newRequest(1, 0);
  auto actions = f.drain();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(std::get<OpenConnection>(actions[0]).host, 1u);
  EXPECT_EQ(f.breakers.connections(), 2);
  EXPECT_EQ(f.breakers.overflowCount(BreakerThreshold::kMaxConnections), 1u);

  // A second pending request for host 1 gets no further connection.
  f.pool.newRequest(1, 0);
  EXPECT_TRUE(f.drain().empty());
  EXPECT_EQ(f.pool.pendingCount(1), 2);
  EXPECT_EQ(f.pool.idleConnectionCount(0), 1);
}

TEST(Http1ConnectionPool, CancelRemovesAPendingRequestOrClosesTheConnectionOfADispatchedOne) {
  PoolFixture f(limits(1, 5));
  const ConnectionId connection = f.warm(0, 0);
  const RequestId dispatched = f.pool.newRequest(0, 0);
  const RequestId pending = f.pool.newRequest(0, 0);
  f.drain();
  EXPECT_TRUE(f.pool.cancelRequest(pending, 0, kSecond));
  EXPECT_EQ(f.pool.pendingCount(0), 0);
  EXPECT_TRUE(f.drain().empty());
  EXPECT_TRUE(f.pool.cancelRequest(dispatched, 0, kSecond));
  const auto actions = f.drain();
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(std::get<CloseConnection>(actions[0]).connection_id, connection);
  EXPECT_EQ(f.breakers.activeRequests(), 0);
  EXPECT_EQ(f.breakers.connections(), 0);
  EXPECT_FALSE(f.pool.cancelRequest(dispatched, 0, kSecond));
}

}  // namespace
}  // namespace meshproof::upstream
