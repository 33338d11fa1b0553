// The live sidecar (`meshproof proxy`): the same sans-I/O Sidecar and SidecarAgent
// the simulator runs, driven by one asio event loop on real sockets.
//   - the stream to the control plane (ControlStream) carries the agent's messages;
//     snapshots are applied to the Sidecar (built from the first one);
//   - the outbound listener (plaintext, loopback) takes the local app's requests
//     (Host: <service>); each becomes Sidecar::appRequest, whose attempts go out on
//     pooled UpstreamConnections (mTLS to the peer's inbound listener) carrying the
//     app's request, and whose final answer is the upstream's response or a local
//     reply;
//   - the inbound listener takes peers' connections (TLS judged by the mesh's
//     verifier, or plaintext), each request passes authentication and authorization
//     in the core, then goes to the local app over a pooled plaintext connection;
//   - events go to the run directory (trace lines), the access log and the metrics
//     behind the admin port's /stats;
//   - readiness (a configuration and a certificate) is reported to the registry.
// Its downstream connections time out as mesh.proxy says (idle, request headers).
// Faults the sidecar injects itself: clock-skew (its wall clock), partition (it
// black-holes what it sends to the given peers), loss (what it sends is delayed
// by TCP retransmission timeouts, as in simulation) and bandwidth (what it sends to
// and receives from its peers crosses a link narrowed to the rate, LinkDirection).
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <optional>
#include <set>
#include <string>

#include "mesh/control/mesh_nodes.h"
#include "mesh/control/sidecar_agent.h"
#include "mesh/dataplane/sidecar.h"
#include "mesh/identity/peer_verifier.h"
#include "mesh/live/events_file.h"
#include "mesh/live/file_writer.h"
#include "mesh/live/live_clock.h"
#include "mesh/live/proxy/control_stream.h"
#include "mesh/live/proxy/downstream_session.h"
#include "mesh/live/proxy/link_direction.h"
#include "mesh/live/proxy/tls_contexts.h"
#include "mesh/live/proxy/upstream_connection.h"
#include "mesh/live/run_layout.h"
#include "mesh/scenario/plan.h"
#include "mesh/telemetry/metrics_registry.h"

namespace meshproof::live {

class ProxyNode final : public control::ConfigTarget, public EventSink {
 public:
  // `trust_roots`: the mesh CA's root (from the run directory).
  ProxyNode(asio::io_context& io, const scenario::Plan& plan, const RunLayout& layout, control::MeshNodeSpec node,
            std::vector<identity::CertificatePtr> trust_roots, std::uint64_t seed);
  ~ProxyNode() override;

  // Binds the listeners (throws std::runtime_error naming a port it cannot bind) and
  // starts the agent.
  void start();
  void stop();
  // A graceful stop, as Istio drains a terminating pod's sidecar: it reports itself
  // not ready, takes no new connection from peers (the inbound listener closes),
  // closes peers' idle connections, and answers every request it has accepted, each
  // answer to a peer its connection's last (Connection: close); its app's outbound
  // calls keep working meanwhile. `done` runs once no peer's connection is left and
  // the app is owed no answer, or `within` after the start, when what is still owed
  // has been answered 503 LR by the sidecar itself (logged and traced as such). Once only.
  void drain(DurationNs within, std::function<void()> done);

  // ---- admin ----
  bool ready() const { return !draining_ && agent_->ready() && sidecar_ != nullptr; }
  std::string stats() const;
  std::string configDump() const;
  void skewClock(DurationNs offset) { clock_.skewWall(offset); }
  void setPartition(std::set<std::string> peers) { partitioned_ = std::move(peers); }
  void setLoss(double percentage) { loss_percentage_ = percentage; }
  void narrowLink(std::int64_t bits_per_second) {
    link_up_.narrow(bits_per_second);
    link_down_.narrow(bits_per_second);
  }
  void widenLink() {
    link_up_.widen();
    link_down_.widen();
  }
  const std::string& name() const { return node_.name; }

 private:
  struct OutboundRequest {
    std::weak_ptr<DownstreamSession> session;
    IncomingRequest request;
    std::optional<Response> response;  // the last upstream response to it
  };
  struct InboundRequest {
    std::weak_ptr<DownstreamSession> session;
    IncomingRequest request;
    std::optional<Response> response;  // the app's
  };
  struct AppDelivery {
    dataplane::InboundId id = 0;
    std::string wire;  // the request as written to the app (http_wire.h)
  };

  // ConfigTarget / EventSink
  std::optional<std::string> apply(const control::ConfigSnapshot& snapshot) override;
  void emit(TimeNs t, const Event& event) override;

  void listen(tcp::acceptor& acceptor, std::uint16_t port, DownstreamSession::Mode mode, const char* what);
  void accept(tcp::acceptor& acceptor, DownstreamSession::Mode mode);
  void onOutboundRequest(DownstreamSession& session, IncomingRequest&& request);
  void onInboundRequest(DownstreamSession& session, IncomingRequest&& request);
  void onSessionClosed(DownstreamSession& session);
  void onHandshakeFailed(DownstreamSession& session, const PeerCheck& check);
  void rejected(const PeerCheck& check, const std::string& peer);

  void pump();
  void carry(dataplane::SidecarAction& action);
  void armTimer();
  void installCertificateIfNew();
  void reportReadiness();
  void deliverToApp(dataplane::InboundId id);
  void sendWaitingToApp();
  void sendLater(DurationNs delay, std::function<void()> send);
  void onUpstreamResponse(dataplane::AttemptId attempt, Response&& response);
  void respondToPeer(const std::shared_ptr<DownstreamSession>& session, const Response& response);
  void logAccess(const RequestEvent& event);
  void flushAccessLog();
  void sweepConnections();
  void checkDrained();
  void giveUpOnWhatIsOwed();

  asio::io_context& io_;
  const scenario::Plan& plan_;
  const RunLayout& layout_;
  control::MeshNodeSpec node_;
  dataplane::ServiceDirectory directory_;
  LiveClock clock_;
  Rng rng_;
  Rng fault_rng_;
  identity::PeerVerifier verifier_;
  TlsContexts tls_;
  EventsFile events_;
  std::optional<FileWriter> access_log_;  // none when mesh.proxy.accessLog is off, or it cannot be written (said once)
  std::string access_buffer_;  // lines not yet handed to the writer: every 100 ms, or at 64 KiB
  std::string wire_;           // scratch for the request being written upstream or to the app
  std::string forwarded_;      // scratch for x-forwarded-client-cert
  telemetry::MetricsRegistry metrics_;

  std::unique_ptr<control::SidecarAgent> agent_;
  std::unique_ptr<dataplane::Sidecar> sidecar_;
  std::unique_ptr<ControlStream> stream_;
  bool reported_ready_ = false;

  tcp::acceptor inbound_acceptor_;
  tcp::acceptor outbound_acceptor_;
  WriteBatch write_batch_;  // every connection's writes, made at the end of each round
  MessageSpares spares_;    // messages answered, for the connections to read into again
  asio::steady_timer timer_;
  TimeNs timer_armed_for_ = kNever;  // the deadline timer_ waits for (kNever: none)
  asio::steady_timer flush_timer_;
  asio::steady_timer sweep_timer_;  // the downstream connections' timeouts
  DownstreamSession::Events inbound_events_;
  DownstreamSession::Events outbound_events_;
  UpstreamConnection::Events upstream_events_;
  UpstreamConnection::Events app_events_;

  // Looked up once or more per request: hashed (nothing iterates them in an order
  // that shows).
  std::unordered_map<std::uint64_t, std::shared_ptr<DownstreamSession>> sessions_;
  std::unordered_map<dataplane::ConnectionId, std::shared_ptr<UpstreamConnection>> upstreams_;
  std::unordered_map<dataplane::ConnectionId, std::string> upstream_peer_;  // connection -> peer instance
  std::unordered_map<dataplane::AttemptId, dataplane::AppRequestId> attempt_request_;
  std::unordered_map<dataplane::AppRequestId, OutboundRequest> outbound_;
  std::unordered_map<dataplane::InboundId, InboundRequest> inbound_;

  // The local app: idle connections, and deliveries waiting for one.
  std::unordered_map<dataplane::ConnectionId, std::shared_ptr<UpstreamConnection>> app_connections_;
  std::vector<dataplane::ConnectionId> app_idle_;
  std::unordered_map<dataplane::ConnectionId, dataplane::InboundId> app_busy_;
  std::vector<AppDelivery> app_waiting_;

  std::set<std::string> partitioned_;
  double loss_percentage_ = 0;
  LinkDirection link_up_;    // what goes to peers
  LinkDirection link_down_;  // what comes from peers
  std::uint64_t next_session_ = 1;
  dataplane::AppRequestId next_app_request_ = 1;
  dataplane::InboundId next_inbound_ = 1;
  dataplane::ConnectionId next_app_connection_ = 1;
  bool stopped_ = false;
  bool draining_ = false;
  std::function<void()> drained_;
  TimeNs drain_deadline_ = kNever;
  asio::steady_timer drain_timer_;
};

}  // namespace meshproof::live
