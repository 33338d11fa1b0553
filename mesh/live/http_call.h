// One HTTP/1.1 request on loopback, answered or not: asynchronous fire-and-forget
// (a registry report, a fault switched on) with an optional callback, and a blocking
// variant with a timeout for start-up checks (/ready) before the run begins.
#pragma once
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace meshproof::live {

struct HttpCallResult {
  int status = 0;  // 0: no answer (refused, reset, timed out)
  std::string body;
};

// `done` (may be empty) is called once on `io` with the outcome.
void httpCall(boost::asio::io_context& io, std::uint16_t port, const std::string& method, const std::string& target,
              std::string body, std::function<void(const HttpCallResult&)> done = {});

// Blocks up to `timeout`.
HttpCallResult httpCallNow(std::uint16_t port, const std::string& method, const std::string& target,
                           std::string body = {}, std::chrono::milliseconds timeout = std::chrono::milliseconds(1000));

}  // namespace meshproof::live
