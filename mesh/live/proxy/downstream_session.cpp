// TLS detection, handshake, request reading, answers and protocol errors.
#include "mesh/live/proxy/downstream_session.h"

#include <sys/socket.h>

#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace meshproof::live {

DownstreamSession::DownstreamSession(tcp::socket socket, Mode mode, TlsContexts* tls, const Events& events,
                                     std::uint64_t id)
    : socket_(std::move(socket)), mode_(mode), tls_(tls), events_(events), id_(id) {}

void DownstreamSession::start() {
  boost::system::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
  if (mode_ == Mode::kPlaintext) return readRequest();
  auto self = shared_from_this();
  socket_.async_wait(tcp::socket::wait_read, [self](boost::system::error_code ec) {
    if (self->closed_) return;
    if (ec) return self->lost();
    self->detect();
  });
}

// A TLS ClientHello starts with the handshake record type 0x16.
void DownstreamSession::detect() {
  unsigned char first = 0;
  const auto n = ::recv(socket_.native_handle(), &first, 1, MSG_PEEK);
  if (n <= 0) return lost();
  if (first != 0x16 || tls_ == nullptr || !tls_->installed()) return readRequest();
  secure_.emplace(socket_, tls_->server());
  secure_->set_verify_callback(tls_->verifier(check_, {}));
  auto self = shared_from_this();
  secure_->async_handshake(ssl::stream_base::server, [self](boost::system::error_code ec) {
    if (self->closed_) return;
    if (ec) {
      self->closed_ = true;
      boost::system::error_code ignored;
      self->socket_.close(ignored);
      self->events_.handshake_failed(*self, *self->check_);
      return;
    }
    self->peer_spiffe_id_ = self->check_->result.spiffe_id;
    self->readRequest();
  });
}

void DownstreamSession::readRequest() {
  parser_.emplace();
  parser_->header_limit(kHeaderLimitBytes);
  parser_->body_limit(kBodyLimitBytes);
  auto self = shared_from_this();
  auto read = [self](boost::system::error_code ec, std::size_t) {
    if (self->closed_) return;
    if (ec) return self->onReadError(ec);
    Request request = self->parser_->release();
    self->version_ = request.version();
    self->keep_alive_ = request.keep_alive();
    self->events_.request(*self, std::move(request));
  };
  onStream(secure_, socket_, [&](auto& stream) { beast_http::async_read(stream, buffer_, *parser_, read); });
}

void DownstreamSession::onReadError(boost::system::error_code ec) {
  if (ec == beast_http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::operation_aborted || ec == ssl::error::stream_truncated)
    return lost();
  // A malformed or oversized request: a 4xx, then close (Envoy does the same).
  int status = 400;
  if (ec == beast_http::error::header_limit) status = 431;
  if (ec == beast_http::error::body_limit) status = 413;
  writeAndClose(localReply(status, kNoFlags, 11, false));
}

void DownstreamSession::writeAndClose(Response response) {
  response_ = std::move(response);
  response_.keep_alive(false);
  auto self = shared_from_this();
  auto done = [self](boost::system::error_code, std::size_t) { self->lost(); };
  onStream(secure_, socket_, [&](auto& stream) { beast_http::async_write(stream, response_, done); });
}

void DownstreamSession::respond(Response response) {
  if (closed_) return;
  response_ = std::move(response);
  response_.version(version_);
  response_.keep_alive(keep_alive_ && response_.keep_alive());
  response_.prepare_payload();
  auto self = shared_from_this();
  auto done = [self](boost::system::error_code ec, std::size_t) {
    if (self->closed_) return;
    if (ec || !self->response_.keep_alive()) return self->lost();
    self->readRequest();
  };
  onStream(secure_, socket_, [&](auto& stream) { beast_http::async_write(stream, response_, done); });
}

void DownstreamSession::lost() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
  events_.closed(*this);
}

void DownstreamSession::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace meshproof::live
