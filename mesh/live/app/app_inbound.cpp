// The application's listener (see app_inbound.h): the accept loop and one
// connection object per socket, with the queue of its unanswered requests.
//
// A RequestId is the connection's serial number in the high bits and the request's
// sequence number on that connection in the low kSequenceBits: respond() finds the
// connection in a map and the request's slot by its distance from the oldest
// unanswered one, without a per-request lookup structure.
#include "mesh/live/app/app_inbound.h"

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <deque>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mesh/live/http/http_errors.h"
#include "mesh/live/http/loopback_listener.h"

namespace meshproof::live {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr unsigned kSequenceBits = 24;
constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << kSequenceBits) - 1;
// After a closing reply (400/413/431 or Connection: close), what the client still
// sends is drained for a while, so that the close does not reset the connection
// before the client has read the reply.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kLingerBytesMax = 1 << 20;

bool bodyAllowed(int status) { return status >= 200 && status != 204 && status != 304; }

}  // namespace

struct AppInbound::State {
  State(asio::io_context& io_context, std::string name, OnRequest callback, AppInboundLimits server_limits)
      : io(io_context),
        instance(std::move(name)),
        on_request(std::move(callback)),
        limits(server_limits),
        accept_retry(io_context) {}

  static void acceptNext(const std::shared_ptr<State>& state);

  asio::io_context& io;
  std::string instance;
  OnRequest on_request;
  AppInboundLimits limits;
  std::optional<tcp::acceptor> acceptor;
  asio::steady_timer accept_retry;
  // Open connections by serial: the map owns them until they shut down (a
  // connection waiting for its app's answers has no socket operation pending).
  std::unordered_map<std::uint64_t, std::shared_ptr<Connection>> connections;
  std::uint64_t next_serial = 1;
  bool closed = false;
};

class AppInbound::Connection : public std::enable_shared_from_this<AppInbound::Connection> {
 public:
  Connection(std::shared_ptr<State> state, tcp::socket socket, std::uint64_t serial)
      : state_(std::move(state)), socket_(std::move(socket)), serial_(serial), linger_timer_(state_->io) {
    beast::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    response_.set(bhttp::field::content_type, "text/plain");
    response_.set("x-app-instance", state_->instance);
  }
  void start() { readNext(); }

  void answered(std::uint64_t sequence, int status) {
    const std::uint64_t index = (sequence - first_sequence_) & kSequenceMask;
    if (index >= pending_.size() || pending_[index].status != 0) return;
    pending_[index].status = status;
    flush();
  }

  // Closes the socket and leaves the map; pending handlers still hold it a while.
  void shutdown() {
    state_->connections.erase(serial_);
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    linger_timer_.cancel();
  }

 private:
  struct Pending {
    int status = 0;  // 0 until answered
    bool keep_alive = true;
    unsigned version = 11;
  };

  void readNext() {
    if (reading_ || stop_reading_ || pending_.size() >= state_->limits.pipeline_depth_max) return;
    reading_ = true;
    parser_.emplace();
    parser_->body_limit(state_->limits.body_bytes_max);
    parser_->header_limit(static_cast<std::uint32_t>(state_->limits.header_bytes_max));
    bhttp::async_read(socket_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
  }

  void onRead(beast::error_code ec) {
    reading_ = false;
    if (state_->closed) return;
    if (ec) {
      stop_reading_ = true;
      if (const int status = http::statusForReadError(ec)) pending_.push_back(Pending{status, false, 11});
      return flush();
    }
    auto& req = parser_->get();
    const bool keep_alive = req.keep_alive();
    pending_.push_back(Pending{0, keep_alive, req.version()});
    if (!keep_alive) stop_reading_ = true;
    const std::uint64_t sequence = (first_sequence_ + pending_.size() - 1) & kSequenceMask;

    HttpRequest http;
    http.method.assign(req.method_string());
    http.path.assign(req.target());
    if (const auto host = req.find(bhttp::field::host); host != req.end()) http.authority.assign(host->value());
    for (const auto& field : req) http.headers.set(field.name_string(), field.value());
    state_->on_request((serial_ << kSequenceBits) | sequence, std::move(http));
    readNext();
  }

  // Writes the oldest answer once it is known; closes when nothing is left to do.
  void flush() {
    if (writing_ || state_->closed) return;
    if (pending_.empty()) {
      if (stop_reading_) shutdown();
      return;
    }
    const Pending next = pending_.front();
    if (next.status == 0) return;
    pending_.pop_front();
    first_sequence_ = (first_sequence_ + 1) & kSequenceMask;

    response_.version(next.version);
    response_.result(static_cast<unsigned>(next.status >= 100 && next.status <= 599 ? next.status : 500));
    response_.keep_alive(next.keep_alive);
    response_.body().clear();
    if (bodyAllowed(next.status)) {
      response_.body().append(bhttp::obsolete_reason(response_.result()));
      response_.body().push_back('\n');
    }
    response_.prepare_payload();
    writing_ = true;
    bhttp::async_write(socket_, response_,
                       [self = shared_from_this(), keep_alive = next.keep_alive](beast::error_code ec, std::size_t) {
                         self->onWrite(ec, keep_alive);
                       });
  }

  void onWrite(beast::error_code ec, bool keep_alive) {
    writing_ = false;
    if (state_->closed) return;
    if (ec) return shutdown();
    if (!keep_alive) return linger();
    flush();
    readNext();
  }

  void linger() {
    stop_reading_ = true;
    pending_.clear();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    linger_timer_.expires_after(kLingerTime);
    linger_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec) self->shutdown();
    });
    drain();
  }
  void drain() {
    socket_.async_read_some(asio::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->state_->closed || self->drained_ > kLingerBytesMax) return self->shutdown();
      self->drain();
    });
  }

  std::shared_ptr<State> state_;
  tcp::socket socket_;
  std::uint64_t serial_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
  std::deque<Pending> pending_;       // unanswered (or unwritten) requests, oldest first
  std::uint64_t first_sequence_ = 0;  // the sequence number of pending_.front()
  bool reading_ = false;
  bool writing_ = false;
  bool stop_reading_ = false;  // end of stream, a bad request, or Connection: close
  asio::steady_timer linger_timer_;
  std::array<char, 4096> scratch_{};
  std::size_t drained_ = 0;
};

void AppInbound::State::acceptNext(const std::shared_ptr<State>& state) {
  if (state->closed || !state->acceptor) return;
  state->acceptor->async_accept([state](beast::error_code ec, tcp::socket socket) {
    if (state->closed) return;
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      state->accept_retry.expires_after(std::chrono::milliseconds(100));  // e.g. out of descriptors
      state->accept_retry.async_wait([state](beast::error_code wait_ec) {
        if (!wait_ec) acceptNext(state);
      });
      return;
    }
    if (state->connections.size() >= state->limits.connections_max) {
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      const std::uint64_t serial = state->next_serial++;
      auto connection = std::make_shared<Connection>(state, std::move(socket), serial);
      state->connections.emplace(serial, connection);
      connection->start();
    }
    acceptNext(state);
  });
}

AppInbound::AppInbound(asio::io_context& io, std::string instance, OnRequest on_request, AppInboundLimits limits)
    : state_(std::make_shared<State>(io, std::move(instance), std::move(on_request), limits)) {}

AppInbound::~AppInbound() { close(); }

void AppInbound::listen(std::uint16_t port) {
  state_->acceptor.emplace(http::listenLoopback(state_->io, port));
  State::acceptNext(state_);
}

std::uint16_t AppInbound::port() const {
  if (!state_->acceptor) return 0;
  beast::error_code ec;
  const auto endpoint = state_->acceptor->local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

void AppInbound::respond(app::RequestId id, int status) {
  const auto it = state_->connections.find(id >> kSequenceBits);
  if (it == state_->connections.end()) return;
  it->second->answered(id & kSequenceMask, status);
}

void AppInbound::close() {
  state_->closed = true;
  beast::error_code ignored;
  if (state_->acceptor) state_->acceptor->close(ignored);
  state_->accept_retry.cancel();
  std::vector<std::shared_ptr<Connection>> open;
  open.reserve(state_->connections.size());
  for (const auto& [serial, connection] : state_->connections) open.push_back(connection);
  for (const auto& c : open) c->shutdown();
}

std::size_t AppInbound::connections() const { return state_->connections.size(); }

}  // namespace meshproof::live
