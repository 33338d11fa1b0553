// The application's downstream calls: HTTP/1.1 requests to its own sidecar's
// outbound listener (127.0.0.1:<outbound>), Host = the called service, over a small
// pool of keep-alive connections, one request at a time each. Each call's answer
// is its response status, or 0 when the connection failed, was reset or closed
// before a response, or the safety bound ran out (the sidecar owns real timeouts).
#pragma once
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "mesh/app/app_actions.h"
#include "mesh/core/http.h"

namespace meshproof::live {

struct AppOutboundLimits {
  std::size_t connections_max = 256;              // further calls wait for a free connection
  std::chrono::seconds call_timeout{300};         // safety bound on one call, connect to last byte
  std::size_t response_body_bytes_max = 8 << 20;  // a larger response counts as failed (0)
};

class AppOutbound {
 public:
  // Called once per call sent, never from within send().
  using OnAnswer = std::function<void(app::CallId call, int status)>;

  AppOutbound(boost::asio::io_context& io, std::uint16_t sidecar_port, OnAnswer on_answer,
              AppOutboundLimits limits = {});
  ~AppOutbound();  // close()
  AppOutbound(const AppOutbound&) = delete;
  AppOutbound& operator=(const AppOutbound&) = delete;

  // Sends `http` (method, path, authority as Host, headers; no body) on an idle
  // connection, a new one, or, at the limit, once one is free.
  void send(app::CallId call, HttpRequest&& http);
  // Closes every connection; calls in flight or waiting are never answered.
  void close();

  std::size_t connectionsOpen() const;  // connecting, busy or idle
  std::size_t connectionsIdle() const;
  std::size_t callsWaiting() const;

 private:
  struct State;
  class Connection;
  std::shared_ptr<State> state_;
};

}  // namespace meshproof::live
