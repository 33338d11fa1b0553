// The application's HTTP/1.1 listener: the port its sidecar sends requests to.
// Every request read from a connection is handed on with a RequestId; its answer
// comes back later through respond(id, status), possibly out of order, and goes
// out on the connection it came from, in request order (pipelining). Connections
// stay open (keep-alive) until the client closes or asks for close.
#pragma once
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "mesh/app/app_actions.h"
#include "mesh/core/http.h"

namespace meshproof::live {

struct AppInboundLimits {
  std::size_t connections_max = 10'000;      // more are closed at once
  std::size_t pipeline_depth_max = 256;      // unanswered requests per connection before it stops reading
  std::size_t body_bytes_max = 1 << 20;      // 413 over it (the body itself is ignored)
  std::size_t header_bytes_max = 16 * 1024;  // 431 over it
};

class AppInbound {
 public:
  // Called once per request read; `http` has method, target, authority (the Host
  // header) and every header with its name lower-cased. Must not call close().
  using OnRequest = std::function<void(app::RequestId id, HttpRequest&& http)>;

  // `instance` names the answers (x-app-instance header).
  AppInbound(boost::asio::io_context& io, std::string instance, OnRequest on_request, AppInboundLimits limits = {});
  ~AppInbound();  // close()
  AppInbound(const AppInbound&) = delete;
  AppInbound& operator=(const AppInbound&) = delete;

  // Binds 127.0.0.1:port (0: any) and starts accepting. Throws std::runtime_error
  // "cannot listen on 127.0.0.1:PORT: <reason>".
  void listen(std::uint16_t port);
  std::uint16_t port() const;  // 0 before listen()
  // Answers request `id` with `status` and a short text body. Ignored when its
  // connection has gone or the id is unknown.
  void respond(app::RequestId id, int status);
  // Stops accepting and closes every connection; on_request is not called again.
  void close();

  std::size_t connections() const;

 private:
  struct State;
  class Connection;
  std::shared_ptr<State> state_;
};

}  // namespace meshproof::live
