// The pool of connections to the sidecar's outbound listener (see app_outbound.h).
// An idle connection watches its socket: if the sidecar closes it (or sends
// anything) while idle, it leaves the pool at once instead of failing the next call.
#include "mesh/live/app/app_outbound.h"

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <deque>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace meshproof::live {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// Headers of the connection, not of the call: the pool sets its own.
bool hopByHop(std::string_view name) {
  return name == "host" || name == "connection" || name == "content-length" || name == "transfer-encoding" ||
         name == "keep-alive" || name == "te" || name == "upgrade" || name == "proxy-connection";
}

}  // namespace

struct AppOutbound::State : std::enable_shared_from_this<AppOutbound::State> {
  State(asio::io_context& io_context, std::uint16_t port, OnAnswer callback, AppOutboundLimits pool_limits)
      : io(io_context),
        endpoint(asio::ip::address_v4::loopback(), port),
        on_answer(std::move(callback)),
        limits(pool_limits) {}

  void send(app::CallId call, HttpRequest&& http);
  // A connection finished its call: reuse it (or a new one) for a waiting call,
  // park it, or count it gone.
  void release(const std::shared_ptr<Connection>& c, bool reusable);
  void dropIdle(const std::shared_ptr<Connection>& c);

  asio::io_context& io;
  tcp::endpoint endpoint;
  OnAnswer on_answer;
  AppOutboundLimits limits;
  std::vector<std::shared_ptr<Connection>> idle;  // most recently used last
  std::deque<std::pair<app::CallId, HttpRequest>> waiting;
  std::unordered_set<Connection*> all;  // every connection object alive, for close()
  std::size_t live = 0;                 // connections counted against the limit
  bool closed = false;
};

class AppOutbound::Connection : public std::enable_shared_from_this<AppOutbound::Connection> {
 public:
  explicit Connection(std::shared_ptr<State> state) : state_(std::move(state)), stream_(state_->io) {
    state_->all.insert(this);
  }
  ~Connection() { state_->all.erase(this); }

  void start(app::CallId call, HttpRequest&& http) {
    call_ = call;
    try {
      request_ = {};
      request_.version(11);
      request_.method_string(http.method);
      request_.target(http.path);
      request_.set(bhttp::field::host, http.authority);
      for (const Header& h : http.headers.items())
        if (!hopByHop(h.name)) request_.set(h.name, h.value);
      request_.keep_alive(true);
      request_.prepare_payload();
    } catch (const std::exception&) {
      asio::post(state_->io, [self = shared_from_this()] { self->fail(); });
      return;
    }
    stream_.expires_after(state_->limits.call_timeout);
    if (connected_) return write();
    stream_.async_connect(state_->endpoint, [self = shared_from_this()](beast::error_code ec) {
      if (self->state_->closed) return;
      if (ec) return self->fail();
      beast::error_code ignored;
      self->stream_.socket().set_option(tcp::no_delay(true), ignored);
      self->connected_ = true;
      self->write();
    });
  }

  void watchWhileIdle() {
    idle_ = true;
    const std::uint64_t generation = ++generation_;
    stream_.socket().async_wait(tcp::socket::wait_read, [self = shared_from_this(), generation](beast::error_code ec) {
      if (ec || !self->idle_ || generation != self->generation_ || self->state_->closed) return;
      self->state_->dropIdle(self);  // closed by the sidecar, or garbage
    });
  }

  void wakeFromIdle() {
    idle_ = false;
    ++generation_;
    beast::error_code ignored;
    stream_.socket().cancel(ignored);
  }

  void shutdown() {
    connected_ = false;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

 private:
  void write() {
    bhttp::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (self->state_->closed) return;
      if (ec) return self->fail();
      self->read();
    });
  }

  void read() {
    parser_.emplace();
    parser_->body_limit(state_->limits.response_body_bytes_max);
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (self->state_->closed) return;
      if (ec) return self->fail();
      const auto& res = self->parser_->get();
      // Bytes after the response would be read as the next one: drop the connection.
      const bool reusable = res.keep_alive() && self->buffer_.size() == 0;
      self->stream_.expires_never();
      if (!reusable) self->shutdown();
      self->finish(static_cast<int>(res.result_int()), reusable);
    });
  }

  void fail() {
    shutdown();
    finish(0, false);
  }

  void finish(int status, bool reusable) {
    const app::CallId call = call_;
    call_ = 0;
    const std::shared_ptr<State> state = state_;
    state->release(shared_from_this(), reusable);
    if (!state->closed) state->on_answer(call, status);
  }

  std::shared_ptr<State> state_;
  beast::tcp_stream stream_;
  bool connected_ = false;
  bool idle_ = false;
  std::uint64_t generation_ = 0;  // tells a stale idle watch from the current one
  app::CallId call_ = 0;
  bhttp::request<bhttp::empty_body> request_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
};

void AppOutbound::State::send(app::CallId call, HttpRequest&& http) {
  if (closed) return;
  if (!idle.empty()) {
    std::shared_ptr<Connection> c = std::move(idle.back());
    idle.pop_back();
    c->wakeFromIdle();
    c->start(call, std::move(http));
    return;
  }
  if (live < limits.connections_max) {
    ++live;
    std::make_shared<Connection>(shared_from_this())->start(call, std::move(http));
    return;
  }
  waiting.emplace_back(call, std::move(http));
}

void AppOutbound::State::release(const std::shared_ptr<Connection>& c, bool reusable) {
  if (closed) return;
  if (!reusable) --live;
  if (!waiting.empty()) {
    auto [call, http] = std::move(waiting.front());
    waiting.pop_front();
    if (reusable) return c->start(call, std::move(http));
    ++live;
    std::make_shared<Connection>(shared_from_this())->start(call, std::move(http));
    return;
  }
  if (reusable) {
    idle.push_back(c);
    c->watchWhileIdle();
  }
}

void AppOutbound::State::dropIdle(const std::shared_ptr<Connection>& c) {
  const auto it = std::find(idle.begin(), idle.end(), c);
  if (it == idle.end()) return;
  idle.erase(it);
  --live;
  c->shutdown();
}

AppOutbound::AppOutbound(asio::io_context& io, std::uint16_t sidecar_port, OnAnswer on_answer, AppOutboundLimits limits)
    : state_(std::make_shared<State>(io, sidecar_port, std::move(on_answer), limits)) {}

AppOutbound::~AppOutbound() { close(); }

void AppOutbound::send(app::CallId call, HttpRequest&& http) { state_->send(call, std::move(http)); }

void AppOutbound::close() {
  state_->closed = true;
  state_->waiting.clear();
  const std::vector<Connection*> open(state_->all.begin(), state_->all.end());
  for (Connection* c : open) c->shutdown();
  state_->idle.clear();
}

std::size_t AppOutbound::connectionsOpen() const { return state_->live; }
std::size_t AppOutbound::connectionsIdle() const { return state_->idle.size(); }
std::size_t AppOutbound::callsWaiting() const { return state_->waiting.size(); }

}  // namespace meshproof::live
