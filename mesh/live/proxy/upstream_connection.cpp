// Connect, handshake, request/response and the always-outstanding read of an upstream
// connection.
#include "mesh/live/proxy/upstream_connection.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

#include "mesh/live/proxy/http_wire.h"

namespace meshproof::live {

UpstreamConnection::UpstreamConnection(asio::io_context& io, dataplane::ConnectionId id, tcp::endpoint peer,
                                       bool mtls, TlsContexts* tls, std::string expected_spiffe_id,
                                       const Events& events, WriteBatch* batch, MessageSpares* spares)
    : id_(id), peer_(peer), mtls_(mtls), tls_(tls), expected_(std::move(expected_spiffe_id)), events_(events),
      batch_(batch), spares_(spares), plain_(io) {}

void UpstreamConnection::start() {
  auto self = shared_from_this();
  plain_.async_connect(peer_, [self](boost::system::error_code ec) {
    if (self->closed_) return;
    if (ec) return self->fail(false);
    boost::system::error_code ignored;
    self->plain_.set_option(tcp::no_delay(true), ignored);
    if (!self->mtls_ || self->tls_ == nullptr) return self->onConnected();
    self->transport_.startTls(self->tls_->client(), false, self->tls_->verifier(self->check_, self->expected_));
    self->transport_.asyncHandshake([self](boost::system::error_code hec) {
      if (self->closed_) return;
      if (hec) return self->fail(true);
      self->onConnected();
    });
  });
}

void UpstreamConnection::onConnected() {
  up_ = true;
  readMore();
  events_.connected(id_);
}

void UpstreamConnection::fail(bool tls_failure) {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  plain_.close(ignored);
  events_.failed(id_, tls_failure, *check_);
}

void UpstreamConnection::lost() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  plain_.close(ignored);
  events_.closed(id_);
}

void UpstreamConnection::send(dataplane::AttemptId attempt, std::string_view wire) {
  if (closed_) return;
  attempt_ = attempt;
  busy_ = true;
  if (spares_ != nullptr) spares_->take(response_);
  if (writing_) {  // the last request is still being written (its answer came early)
    queued_.assign(wire);
    return;
  }
  out_.assign(wire);
  write();
}

void UpstreamConnection::send(dataplane::AttemptId attempt, const Request& request) {
  std::string wire;
  appendRequest(wire, request);
  send(attempt, wire);
}

void UpstreamConnection::write() {
  writing_ = true;
  if (batch_ != nullptr) return batch_->defer(shared_from_this());
  flush();
}

void UpstreamConnection::flush() {
  if (closed_) {
    writing_ = false;
    return;
  }
  auto self = shared_from_this();
  transport_.asyncWrite(out_, [self](boost::system::error_code ec) {
    self->writing_ = false;
    if (self->closed_) return;
    if (ec) return self->lost();
    if (!self->queued_.empty()) {
      self->out_.swap(self->queued_);
      self->queued_.clear();
      self->write();
    }
  });
}

void UpstreamConnection::readMore() {
  const std::size_t room = std::clamp<std::size_t>(buffer_.capacity() - buffer_.size(), 4096, 65536);
  auto self = shared_from_this();
  transport_.asyncReadSome(buffer_, room, [self](boost::system::error_code ec) { self->onRead(ec); });
}

void UpstreamConnection::onRead(boost::system::error_code ec) {
  if (closed_) return;
  if (ec) {
    // A response that runs to the end of the connection (no length) ends here.
    if (ec == asio::error::eof && busy_ && parser_ && parser_->got_some()) {
      boost::system::error_code eof;
      parser_->put_eof(eof);
      if (!eof && parser_->is_done()) {
        busy_ = false;
        parser_.reset();
        Response response = std::move(response_);
        events_.response(id_, attempt_, std::move(response));
      }
    }
    return lost();
  }
  if (parseBuffered()) readMore();
}

bool UpstreamConnection::parseBuffered() {
  while (buffer_.size() > 0) {
    if (!busy_) {  // nothing was asked: the peer closing, or talking out of turn
      lost();
      return false;
    }
    if (!parser_) {
      startParser(parser_, response_);
    }
    boost::system::error_code ec;
    const std::size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == beast_http::error::need_more) return true;
    if (ec) {
      lost();
      return false;
    }
    if (!parser_->is_done()) {
      if (used == 0) return true;
      continue;
    }
    parser_.reset();
    Response response = std::move(response_);  // out of the way of the next request's parser
    const bool keep_alive = response.keep_alive();
    busy_ = false;
    events_.response(id_, attempt_, std::move(response));  // may send the next request at once
    if (closed_) return false;
    if (!keep_alive) {
      lost();
      return false;
    }
  }
  return true;
}

void UpstreamConnection::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  plain_.shutdown(tcp::socket::shutdown_both, ignored);
  plain_.close(ignored);
}

}  // namespace meshproof::live
