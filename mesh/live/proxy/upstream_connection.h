// One upstream connection of the live sidecar: TCP to a peer's inbound listener, then
// (when mTLS) the TLS handshake presenting the workload's certificate and judging the
// peer's, then one HTTP/1.1 request at a time with keep-alive. Once up it always has a
// read outstanding: it carries the response to the request in flight, and while idle
// it notices at once a peer that closes, resets or talks out of turn (asio's
// async_wait would re-register the socket with epoll at every idle period). It
// reports back through its Events; close() abandons it without further reports.
#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mesh/dataplane/sidecar_actions.h"
#include "mesh/live/proxy/http_messages.h"
#include "mesh/live/proxy/tls_contexts.h"
#include "mesh/live/proxy/transport.h"
#include "mesh/live/proxy/write_batch.h"

namespace meshproof::live {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class UpstreamConnection : public std::enable_shared_from_this<UpstreamConnection> {
 public:
  struct Events {
    std::function<void(dataplane::ConnectionId)> connected;
    // Could not connect, or the TLS handshake failed (`tls`: the check of the peer).
    std::function<void(dataplane::ConnectionId, bool tls_failure, const PeerCheck& check)> failed;
    std::function<void(dataplane::ConnectionId)> closed;  // closed or reset while established
    std::function<void(dataplane::ConnectionId, dataplane::AttemptId, Response&&)> response;
  };

  // `tls` may be null for a plaintext connection (mtls false). `batch` (may be null:
  // write at once) holds the requests back to the end of the event loop's round.
  UpstreamConnection(asio::io_context& io, dataplane::ConnectionId id, tcp::endpoint peer, bool mtls,
                     TlsContexts* tls, std::string expected_spiffe_id, const Events& events,
                     WriteBatch* batch = nullptr, MessageSpares* spares = nullptr);

  void start();
  // Writes the request `wire` (a whole HTTP/1.1 request, see http_wire.h) and reads
  // its response (one at a time).
  void send(dataplane::AttemptId attempt, std::string_view wire);
  // The same for a Beast request whose framing is set (prepare_payload()).
  void send(dataplane::AttemptId attempt, const Request& request);
  void close();
  dataplane::ConnectionId id() const { return id_; }
  bool mtls() const { return mtls_; }  // what it sends and reads goes in TLS records
  // Writes the request send() prepared (called by the WriteBatch).
  void flush();

 private:
  void onConnected();
  void write();
  void readMore();
  void onRead(boost::system::error_code ec);
  // Parses what is buffered for the request in flight; false when the connection is gone.
  bool parseBuffered();
  void fail(bool tls_failure);
  void lost();

  dataplane::ConnectionId id_;
  tcp::endpoint peer_;
  bool mtls_;
  TlsContexts* tls_;
  std::string expected_;
  const Events& events_;
  WriteBatch* batch_;
  MessageSpares* spares_;
  tcp::socket plain_;
  Transport transport_{plain_};
  std::shared_ptr<PeerCheck> check_ = std::make_shared<PeerCheck>();
  boost::beast::flat_buffer buffer_;
  std::string out_;     // the request being written
  std::string queued_;  // the next one, when it comes before out_ is written
  Response response_;  // being read
  std::optional<HeadParser<false>> parser_;
  dataplane::AttemptId attempt_ = 0;
  bool up_ = false;
  bool busy_ = false;
  bool writing_ = false;
  bool closed_ = false;
};

}  // namespace meshproof::live
