// The admin server: the accept loop, one keep-alive session per connection, and
// the routing table (see admin_server.h).
#include "mesh/live/http/admin_server.h"

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_set>
#include <utility>
#include <vector>

#include "mesh/live/http/http_errors.h"
#include "mesh/live/http/loopback_listener.h"

namespace meshproof::live::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// After an error reply the server stops reading requests but drains what the
// client still sends for a while, so that closing does not reset the connection
// before the client has read the reply.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kLingerBytesMax = 1 << 20;

struct Routed {
  AdminResponse response;
  std::string allow;  // for a 405: the methods the path has
};

}  // namespace

AdminResponse textResponse(int status, std::string_view body) {
  AdminResponse r;
  r.status = status;
  r.body.reserve(body.size() + 1);
  r.body.append(body);
  r.body.push_back('\n');
  return r;
}

AdminResponse jsonResponse(int status, const nlohmann::json& body) {
  AdminResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump();
  r.body.push_back('\n');
  return r;
}

struct AdminServer::State {
  struct Route {
    std::string method;
    std::string path;  // without the '*' of a prefix route
    bool prefix = false;
    AdminHandler handler;
  };

  State(asio::io_context& io_context, AdminServerLimits server_limits)
      : io(io_context), limits(server_limits), accept_retry(io_context) {}

  Routed dispatch(const AdminRequest& request) const;
  static void acceptNext(const std::shared_ptr<State>& state);

  asio::io_context& io;
  AdminServerLimits limits;
  std::vector<Route> routes;
  std::optional<tcp::acceptor> acceptor;
  asio::steady_timer accept_retry;  // after a failed accept (e.g. out of descriptors)
  std::unordered_set<Session*> sessions;
  bool closed = false;
};

Routed AdminServer::State::dispatch(const AdminRequest& request) const {
  // The routes for this path: the exact ones, else those of the longest prefix.
  const Route* chosen = nullptr;
  std::string allow;
  auto consider = [&](const Route& r) {
    if (r.method == request.method) chosen = &r;
    if (!allow.empty()) allow += ", ";
    allow += r.method;
  };
  for (const Route& r : routes)
    if (!r.prefix && r.path == request.path) consider(r);
  if (allow.empty()) {
    std::size_t best = 0;
    for (const Route& r : routes)
      if (r.prefix && request.path.substr(0, r.path.size()) == r.path) best = std::max(best, r.path.size());
    for (const Route& r : routes)
      if (r.prefix && best > 0 && r.path.size() == best && request.path.substr(0, best) == r.path) consider(r);
  }
  if (allow.empty()) return {textResponse(404, "no route for " + std::string(request.path)), {}};
  if (!chosen)
    return {textResponse(405, "method " + std::string(request.method) + " not allowed on " + std::string(request.path) +
                                  " (allowed: " + allow + ")"),
            allow};
  try {
    return {chosen->handler(request), {}};
  } catch (const std::exception& e) {
    return {textResponse(500, e.what()), {}};
  } catch (...) {
    return {textResponse(500, "handler failed"), {}};
  }
}

// One connection: read a request, answer it, repeat while keep-alive holds.
class AdminServer::Session : public std::enable_shared_from_this<AdminServer::Session> {
 public:
  Session(std::shared_ptr<State> state, tcp::socket socket) : state_(std::move(state)), stream_(std::move(socket)) {
    state_->sessions.insert(this);
  }
  ~Session() { state_->sessions.erase(this); }

  void start() { read(); }

  void shutdown() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(state_->limits.body_bytes_max);
    parser_->header_limit(static_cast<std::uint32_t>(state_->limits.header_bytes_max));
    stream_.expires_after(state_->limits.idle_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
  }

  void onRead(beast::error_code ec) {
    if (state_->closed) return;
    if (ec) {
      const int status = statusForReadError(ec);
      if (status == 0) return shutdown();
      const char* what = status == 413   ? "request body over the limit"
                         : status == 431 ? "request header over the limit"
                                         : "malformed request";
      return reply(textResponse(status, std::string(what) + " (" + ec.message() + ")"), {}, 11, false);
    }
    const auto& req = parser_->get();
    const std::string_view target = req.target();
    const auto q = target.find('?');
    AdminRequest request;
    request.method = req.method_string();
    request.path = target.substr(0, q);
    request.query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
    request.body = req.body();
    Routed routed = state_->dispatch(request);
    reply(std::move(routed.response), routed.allow, req.version(), req.keep_alive());
  }

  void reply(AdminResponse r, const std::string& allow, unsigned version, bool keep_alive) {
    response_ = {};
    response_.version(version);
    if (r.status < 100 || r.status > 599)
      r = textResponse(500, "handler answered an invalid status " + std::to_string(r.status));
    response_.result(static_cast<unsigned>(r.status));
    response_.set(bhttp::field::content_type, r.content_type);
    if (!allow.empty()) response_.set(bhttp::field::allow, allow);
    response_.keep_alive(keep_alive);
    // 1xx, 204 and 304 answers carry no body (Beast refuses to frame one).
    if (r.status < 200 || r.status == 204 || r.status == 304) r.body.clear();
    response_.body() = std::move(r.body);
    response_.prepare_payload();
    stream_.expires_after(state_->limits.idle_timeout);
    bhttp::async_write(stream_, response_, [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
      if (self->state_->closed) return;
      if (ec) return self->shutdown();
      if (keep_alive) return self->read();
      self->linger();
    });
  }

  // Half-closes, then reads and discards until the client closes (or a limit).
  void linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    drain();
  }
  void drain() {
    stream_.async_read_some(asio::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->state_->closed || self->drained_ > kLingerBytesMax) return self->shutdown();
      self->drain();
    });
  }

  std::shared_ptr<State> state_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
  std::array<char, 4096> scratch_{};
  std::size_t drained_ = 0;
};

void AdminServer::State::acceptNext(const std::shared_ptr<State>& state) {
  if (state->closed || !state->acceptor) return;
  state->acceptor->async_accept([state](beast::error_code ec, tcp::socket socket) {
    if (state->closed) return;
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      // Out of descriptors or similar: try again shortly rather than spin.
      state->accept_retry.expires_after(std::chrono::milliseconds(100));
      state->accept_retry.async_wait([state](beast::error_code wait_ec) {
        if (!wait_ec) acceptNext(state);
      });
      return;
    }
    if (state->sessions.size() >= state->limits.connections_max) {
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      std::make_shared<Session>(state, std::move(socket))->start();
    }
    acceptNext(state);
  });
}

AdminServer::AdminServer(asio::io_context& io, AdminServerLimits limits)
    : state_(std::make_shared<State>(io, limits)) {}

AdminServer::~AdminServer() { close(); }

void AdminServer::route(std::string method, std::string path, AdminHandler handler) {
  State::Route r;
  r.prefix = path.size() >= 2 && path.compare(path.size() - 2, 2, "/*") == 0;
  if (r.prefix) path.pop_back();
  r.method = std::move(method);
  r.path = std::move(path);
  r.handler = std::move(handler);
  for (auto& existing : state_->routes)
    if (existing.method == r.method && existing.path == r.path && existing.prefix == r.prefix) {
      existing = std::move(r);
      return;
    }
  state_->routes.push_back(std::move(r));
}

void AdminServer::listen(std::uint16_t port) {
  state_->acceptor.emplace(listenLoopback(state_->io, port));
  state_->closed = false;
  State::acceptNext(state_);
}

std::uint16_t AdminServer::port() const {
  if (!state_->acceptor) return 0;
  beast::error_code ec;
  const auto endpoint = state_->acceptor->local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

void AdminServer::close() {
  state_->closed = true;
  beast::error_code ignored;
  if (state_->acceptor) state_->acceptor->close(ignored);
  state_->accept_retry.cancel();
  const std::vector<Session*> open(state_->sessions.begin(), state_->sessions.end());
  for (Session* s : open) s->shutdown();
}

AdminResponse AdminServer::dispatch(const AdminRequest& request) const { return state_->dispatch(request).response; }

}  // namespace meshproof::live::http
