// Connect, handshake, request/response and idle watch of an upstream connection.
#include "mesh/live/proxy/upstream_connection.h"

#include <boost/asio/connect.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace meshproof::live {

UpstreamConnection::UpstreamConnection(asio::io_context& io, dataplane::ConnectionId id, tcp::endpoint peer,
                                       bool mtls, TlsContexts* tls, std::string expected_spiffe_id,
                                       const Events& events)
    : id_(id), peer_(peer), mtls_(mtls), tls_(tls), expected_(std::move(expected_spiffe_id)), events_(events),
      plain_(io) {}

tcp::socket& UpstreamConnection::socket() { return plain_; }

void UpstreamConnection::start() {
  auto self = shared_from_this();
  plain_.async_connect(peer_, [self](boost::system::error_code ec) {
    if (self->closed_) return;
    if (ec) return self->fail(false);
    self->plain_.set_option(tcp::no_delay(true));
    if (!self->mtls_ || self->tls_ == nullptr) return self->onConnected();
    self->secure_.emplace(self->plain_, self->tls_->client());
    self->secure_->set_verify_callback(self->tls_->verifier(self->check_, self->expected_));
    self->secure_->async_handshake(ssl::stream_base::client, [self](boost::system::error_code hec) {
      if (self->closed_) return;
      if (hec) return self->fail(true);
      self->onConnected();
    });
  });
}

void UpstreamConnection::onConnected() {
  up_ = true;
  events_.connected(id_);
  if (!busy_ && !closed_) watchIdle();
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

// While idle, anything readable is the peer closing (or talking out of turn).
void UpstreamConnection::watchIdle() {
  auto self = shared_from_this();
  plain_.async_wait(tcp::socket::wait_read, [self](boost::system::error_code ec) {
    if (self->closed_ || self->busy_) return;
    if (ec == asio::error::operation_aborted) return;
    self->lost();
  });
}

void UpstreamConnection::send(dataplane::AttemptId attempt, Request request) {
  if (closed_) return;
  attempt_ = attempt;
  busy_ = true;
  request_ = std::move(request);
  boost::system::error_code ignored;
  plain_.cancel(ignored);  // the idle watch
  auto self = shared_from_this();
  auto written = [self](boost::system::error_code ec, std::size_t) {
    if (self->closed_) return;
    if (ec) return self->lost();
    self->readResponse();
  };
  onStream(secure_, plain_, [&](auto& stream) { beast_http::async_write(stream, request_, written); });
}

void UpstreamConnection::readResponse() {
  parser_.emplace();
  parser_->header_limit(kHeaderLimitBytes);
  parser_->body_limit(kBodyLimitBytes);
  auto self = shared_from_this();
  auto read = [self](boost::system::error_code ec, std::size_t) {
    if (self->closed_) return;
    if (ec) return self->lost();
    Response response = self->parser_->release();
    const bool keep_alive = response.keep_alive();
    self->busy_ = false;
    const dataplane::AttemptId attempt = self->attempt_;
    self->events_.response(self->id_, attempt, std::move(response));
    if (self->closed_) return;
    if (!keep_alive) return self->lost();
    if (!self->busy_) self->watchIdle();
  };
  onStream(secure_, plain_, [&](auto& stream) { beast_http::async_read(stream, buffer_, *parser_, read); });
}

void UpstreamConnection::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  plain_.shutdown(tcp::socket::shutdown_both, ignored);
  plain_.close(ignored);
}

}  // namespace meshproof::live
