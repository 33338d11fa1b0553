// TLS detection, handshake, request reading, answers and protocol errors.
#include "mesh/live/proxy/downstream_session.h"

#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "mesh/live/proxy/http_wire.h"

namespace meshproof::live {
namespace {

// How much one read asks for: what the buffer has room for, at least 4 KiB (a request
// line and headers), at most 64 KiB (Beast's own read size).
std::size_t readSize(const boost::beast::flat_buffer& buffer) {
  return std::clamp<std::size_t>(buffer.capacity() - buffer.size(), 4096, 65536);
}

}  // namespace

DownstreamSession::DownstreamSession(tcp::socket socket, Mode mode, TlsContexts* tls, const Events& events,
                                     std::uint64_t id, WriteBatch* batch, MessageSpares* spares)
    : socket_(std::move(socket)), mode_(mode), tls_(tls), events_(events), id_(id), batch_(batch), spares_(spares) {}

void DownstreamSession::start() {
  last_active_ = std::chrono::steady_clock::now();
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
  transport_.startTls(tls_->server(), true, tls_->verifier(check_, {}));
  auto self = shared_from_this();
  transport_.asyncHandshake([self](boost::system::error_code ec) {
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
  parser_.reset();  // a new request: a new parser
  if (spares_ != nullptr) spares_->take(request_);
  head_started_.reset();
  if (buffer_.size() > 0) {  // pipelined: already here
    head_started_ = std::chrono::steady_clock::now();
    if (parseBuffered()) return;
  }
  readMore();
}

void DownstreamSession::readMore() {
  auto self = shared_from_this();
  transport_.asyncReadSome(buffer_, readSize(buffer_), [self](boost::system::error_code ec) {
    if (self->closed_ || self->ending_) return;
    if (!ec && !self->head_started_) self->head_started_ = std::chrono::steady_clock::now();
    if (ec == asio::error::eof && self->parser_ && self->parser_->got_some()) {
      self->parser_->put_eof(ec);  // the peer stopped mid-request: partial_message
      if (!ec) ec = beast_http::error::partial_message;
    } else if (ec == asio::error::eof) {
      ec = beast_http::error::end_of_stream;
    }
    if (ec) return self->onReadError(ec);
    if (!self->parseBuffered()) self->readMore();
  });
}

bool DownstreamSession::parseBuffered() {
  if (!parser_) {
    startParser(parser_, request_);
  }
  boost::system::error_code ec;
  while (buffer_.size() > 0 && !parser_->is_done()) {
    const std::size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == beast_http::error::need_more) return false;
    if (ec) {
      onReadError(ec);
      return true;
    }
    if (used == 0) break;
  }
  if (!parser_->is_done()) return false;
  parser_.reset();
  return deliver();
}

bool DownstreamSession::deliver() {
  IncomingRequest request = std::move(request_);
  version_ = request.version();
  keep_alive_ = request.keep_alive();
  owes_answer_ = true;
  head_started_.reset();
  events_.request(*this, std::move(request));
  return true;
}

void DownstreamSession::onReadError(boost::system::error_code ec) {
  if (ec == beast_http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::operation_aborted || ec == ssl::error::stream_truncated ||
      ec.category() == asio::error::get_ssl_category())  // a broken TLS stream: nothing to answer on
    return lost();
  // A malformed or oversized request: a 4xx, then close (Envoy does the same).
  int status = 400;
  if (ec == beast_http::error::header_limit) status = 431;
  if (ec == beast_http::error::body_limit) status = 413;
  writeAndClose(localReply(status, kNoFlags, 11, false));
}

void DownstreamSession::writeAndClose(Response response) {
  ending_ = true;
  out_.clear();
  appendResponse(out_, response, 11, false);
  auto self = shared_from_this();
  transport_.asyncWrite(out_, [self](boost::system::error_code) { self->lost(); });
}

void DownstreamSession::respond(const Response& response) {
  if (closed_ || writing_) return;  // writing: answered already (the drain's 503 came first)
  const bool keep_alive = keep_alive_ && !draining_ && response.keep_alive();
  out_.clear();
  appendResponse(out_, response, version_, keep_alive);
  close_after_write_ = !keep_alive;
  owes_answer_ = false;
  writing_ = true;
  if (batch_ != nullptr) return batch_->defer(shared_from_this());
  flush();
}

void DownstreamSession::flush() {
  if (closed_) return;
  auto self = shared_from_this();
  transport_.asyncWrite(out_, [self](boost::system::error_code ec) {
    self->writing_ = false;
    if (self->closed_) return;
    if (ec || self->close_after_write_ || self->draining_) return self->lost();
    self->last_active_ = std::chrono::steady_clock::now();
    // The answer has just left: the next request cannot be here yet. Read it after the
    // loop's next look at the sockets, not now (a read now finds the socket empty:
    // one recv for nothing, and asio's wait for it after).
    asio::post(self->socket_.get_executor(), [self] {
      if (!self->closed_) self->readRequest();
    });
  });
}

void DownstreamSession::lost() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
  events_.closed(*this);
}

void DownstreamSession::drain() {
  if (closed_ || draining_) return;
  draining_ = true;
  boost::system::error_code ec;
  const bool unread = buffer_.size() > 0 || (parser_ && parser_->got_some()) || socket_.available(ec) > 0;
  if (!owes_answer_ && !writing_ && !unread) lost();
}

void DownstreamSession::sweep(SteadyTime now, std::chrono::nanoseconds idle, std::chrono::nanoseconds headers) {
  if (closed_ || ending_ || owes_answer_ || writing_) return;
  if (head_started_) {
    // Headers still coming (a body being read is not this timeout's business).
    const bool in_headers = !parser_ || !parser_->is_header_done();
    if (headers.count() > 0 && in_headers && now - *head_started_ >= headers)
      writeAndClose(localReply(408, kNoFlags, 11, false));  // Envoy: "request header timeout"
    return;
  }
  if (idle.count() > 0 && buffer_.size() == 0 && now - last_active_ >= idle) lost();
}

void DownstreamSession::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace meshproof::live
