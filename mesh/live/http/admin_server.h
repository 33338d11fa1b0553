// A small HTTP/1.1 admin server for live-mode processes (the app's /fault port, the
// sidecar's /stats, /config_dump, /ready, /fault, the control plane's admin port):
// single-threaded on the caller's io_context, bound to 127.0.0.1, keep-alive, with
// handlers registered per (method, path). Beast reads and writes the messages.
//
// Replies it makes on its own: 404 no route for the path, 405 the path exists for
// other methods (with Allow), 400 a malformed request, 413 a body over the limit,
// 431 a header block over the limit, 500 a handler that threw (its what() as the
// body) or answered a status outside 100-599. After 400/413/431 the connection is
// closed; otherwise it stays open unless the client asked for close. Connections
// over the limit are closed at once; a connection silent for idle_timeout too.
//
//   http::AdminServer admin(io);
//   admin.route("GET", "/ready", [](const http::AdminRequest&) { return http::textResponse(200, "ready"); });
//   admin.listen(port);  // throws std::runtime_error naming the port
#pragma once
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace meshproof::live::http {

// What a handler sees; the views are valid during the call only.
struct AdminRequest {
  std::string_view method;  // as sent, e.g. "PUT"
  std::string_view path;    // the target up to '?', e.g. "/fault/latency"
  std::string_view query;   // after '?', undecoded; empty when none
  std::string_view body;    // JSON bodies are parsed by the handler
};

struct AdminResponse {
  int status = 200;
  std::string content_type = "text/plain";
  std::string body;
};

// `body` with a trailing newline, as text/plain.
AdminResponse textResponse(int status, std::string_view body);
// `body` serialised (with a trailing newline), as application/json.
AdminResponse jsonResponse(int status, const nlohmann::json& body);

using AdminHandler = std::function<AdminResponse(const AdminRequest&)>;

struct AdminServerLimits {
  std::size_t body_bytes_max = 64 * 1024;
  std::size_t header_bytes_max = 8 * 1024;
  std::size_t connections_max = 64;
  std::chrono::milliseconds idle_timeout{60'000};  // a connection silent this long is closed
};

class AdminServer {
 public:
  explicit AdminServer(boost::asio::io_context& io, AdminServerLimits limits = {});
  ~AdminServer();  // close()
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Registers `handler` for `method` on `path`, replacing an earlier one. `path` is
  // matched exactly, or, ending in "/*", any path below it ("/fault/*" matches
  // "/fault/abort"); an exact route wins over a prefix, a longer prefix over a
  // shorter one. Routes may be added before or after listen().
  void route(std::string method, std::string path, AdminHandler handler);

  // Binds 127.0.0.1:port (0: the kernel picks one) and starts accepting.
  // Throws std::runtime_error "cannot listen on 127.0.0.1:PORT: <reason>".
  void listen(std::uint16_t port);
  // The bound port; 0 before listen().
  std::uint16_t port() const;
  // Stops accepting and closes every connection; no handler is called afterwards.
  void close();

  // The routing alone (no socket): what a request would be answered, 404/405 included.
  AdminResponse dispatch(const AdminRequest& request) const;

 private:
  struct State;
  class Session;
  std::shared_ptr<State> state_;
};

}  // namespace meshproof::live::http
