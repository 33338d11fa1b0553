// One downstream connection of the live sidecar, the server side of HTTP/1.1: from
// the local app (plaintext, on the outbound listener) or from a peer (on the inbound
// listener, where the first byte tells a TLS handshake from plaintext, so a
// PERMISSIVE workload takes both). One request at a time: it reads a request, hands
// it up, writes the answer it is given, and reads the next. A malformed request gets
// 400, headers over the limit 431, a body over it 413, then the connection closes;
// the sidecar keeps serving everyone else. The node's sweep() enforces the
// connection's timeouts (mesh.proxy): one idle for idleTimeout is closed, a request
// whose headers are not all in requestHeadersTimeout after its first byte gets 408.
//
// Cost per request, kept low on purpose: the socket is read into a buffer the
// connection keeps and parsed in place (pipelined bytes already buffered are parsed
// without reading), the answer is written into one buffer and leaves in one write
// (one send, or one TLS record in one send: see transport.h), and nothing is armed
// or registered per request (the timeouts cost two reads of the steady clock).
#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "mesh/live/proxy/http_messages.h"
#include "mesh/live/proxy/tls_contexts.h"
#include "mesh/live/proxy/transport.h"
#include "mesh/live/proxy/write_batch.h"

namespace meshproof::live {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class DownstreamSession : public std::enable_shared_from_this<DownstreamSession> {
 public:
  enum class Mode { kPlaintext, kDetectTls };
  struct Events {
    std::function<void(DownstreamSession&, IncomingRequest&&)> request;
    std::function<void(DownstreamSession&)> closed;  // the peer went away (also while a request was pending)
    std::function<void(DownstreamSession&, const PeerCheck&)> handshake_failed;
  };

  // `batch` (may be null: write at once) holds the answers back to the end of the
  // event loop's round (write_batch.h).
  DownstreamSession(tcp::socket socket, Mode mode, TlsContexts* tls, const Events& events, std::uint64_t id,
                    WriteBatch* batch = nullptr, MessageSpares* spares = nullptr);

  void start();
  // The answer to the request handed up last; then the next request is read.
  void respond(const Response& response);
  void close();
  // The sidecar is draining: the answer owed or being written is the connection's
  // last (Connection: close); a connection with nothing under way (no request
  // handed up and unanswered, none part-read, no byte waiting to be read) closes now
  // (the closed event follows).
  void drain();
  // Applies the timeouts (0: none) at `now`: a connection with no request under way
  // for `idle` is closed (the closed event follows); one whose request's headers
  // started coming more than `headers` ago and have not all come is answered 408
  // and closed.
  using SteadyTime = std::chrono::steady_clock::time_point;
  void sweep(SteadyTime now, std::chrono::nanoseconds idle, std::chrono::nanoseconds headers);
  // A request was handed up and its answer has not been given yet.
  bool owesAnswer() const { return owes_answer_; }
  bool inbound() const { return mode_ == Mode::kDetectTls; }
  // Writes the answer respond() prepared (called by the WriteBatch).
  void flush();

  std::uint64_t id() const { return id_; }
  bool overTls() const { return transport_.secure(); }
  // The peer's SPIFFE ID, verified in the handshake; empty for plaintext.
  const std::string& peerSpiffeId() const { return peer_spiffe_id_; }
  // The node's id of the request being served (0: none).
  std::uint64_t pending = 0;

 private:
  void detect();
  void readRequest();
  void readMore();
  // Parses what is buffered; true when it finished a request (handed up) or failed.
  bool parseBuffered();
  // Hands request_ up; true.
  bool deliver();
  void onReadError(boost::system::error_code ec);
  void writeAndClose(Response response);
  void lost();

  tcp::socket socket_;
  Mode mode_;
  TlsContexts* tls_;
  const Events& events_;
  std::uint64_t id_;
  WriteBatch* batch_;
  MessageSpares* spares_;
  Transport transport_{socket_};
  std::shared_ptr<PeerCheck> check_ = std::make_shared<PeerCheck>();
  std::string peer_spiffe_id_;
  boost::beast::flat_buffer buffer_;
  IncomingRequest request_;  // being read
  std::optional<HeadParser<true>> parser_;
  std::string out_;  // the answer being written
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool close_after_write_ = false;
  bool owes_answer_ = false;
  bool ending_ = false;  // a protocol error's answer (4xx) is being written, then it closes
  SteadyTime last_active_;     // opened, or the last answer left
  std::optional<SteadyTime> head_started_;  // the request being read: its first byte came
  bool writing_ = false;  // an answer is prepared or being written
  bool draining_ = false;
  bool closed_ = false;
};

}  // namespace meshproof::live
