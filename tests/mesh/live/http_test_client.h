// A blocking HTTP/1.1 test client for live-mode servers: one loopback connection,
// whole requests or raw bytes out, Beast-parsed replies in, and a receive timeout
// on every read so that a test never hangs on a silent server (asio's blocking reads
// wait again after SO_RCVTIMEO, so the reads are asynchronous, run for the timeout).
#pragma once
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace meshproof::live::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

inline double millisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Reply {
  int status = 0;  // 0: no reply (error or timeout)
  std::string body;
  std::string header(const std::string& name) const {
    for (const auto& [n, v] : headers)
      if (n == name) return v;
    return {};
  }
  bool keep_alive = false;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::size_t wire_bytes = 0;  // the whole response as it came: status line, fields, body
};

// A blocking HTTP/1.1 client on one connection; every read gives up after
// `timeout`, so a test never hangs on a silent server.
class Client {
 public:
  explicit Client(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000))
      : socket_(io_), timeout_(timeout) {
    boost::system::error_code ec;
    socket_.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), ec);
    connected_ = !ec;
    if (!connected_) return;
    socket_.set_option(tcp::no_delay(true));
  }
  bool connected() const { return connected_; }

  void send(const std::string& method, const std::string& target, const std::string& body = {},
            const std::vector<std::pair<std::string, std::string>>& headers = {}, bool keep_alive = true) {
    bhttp::request<bhttp::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, "api");
    for (const auto& [n, v] : headers) req.set(n, v);
    req.keep_alive(keep_alive);
    req.body() = body;
    req.prepare_payload();
    boost::system::error_code ec;
    bhttp::write(socket_, req, ec);
  }
  void sendRaw(const std::string& bytes) {
    boost::system::error_code ec;
    asio::write(socket_, asio::buffer(bytes), ec);
  }
  Reply receive() {
    Reply r;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(1 << 20);
    const auto ec = readWithinTimeout([&](auto handler) { bhttp::async_read(socket_, buffer_, parser, handler); });
    if (ec) return r;
    const auto& res = parser.get();
    r.status = static_cast<int>(res.result_int());
    r.wire_bytes = read_;
    r.body = res.body();
    r.keep_alive = res.keep_alive();
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers.emplace_back(name, std::string(f.value()));
    }
    return r;
  }
  Reply request(const std::string& method, const std::string& target, const std::string& body = {},
                const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    send(method, target, body, headers);
    return receive();
  }
  // True when the server has closed the connection (a read ends without data).
  bool closedByPeer() {
    char byte;
    const auto ec = readWithinTimeout([&](auto handler) { socket_.async_read_some(asio::buffer(&byte, 1), handler); });
    return read_ == 0 && (ec == asio::error::eof || ec == asio::error::connection_reset);
  }

 private:
  // Runs the read `start(handler)` begins until it completes, or cancels it after the
  // timeout (then timed_out).
  template <class Start>
  boost::system::error_code readWithinTimeout(Start start) {
    boost::system::error_code result;
    bool done = false;
    read_ = 0;
    io_.restart();
    start([&](boost::system::error_code ec, std::size_t n) {
      result = ec;
      read_ = n;
      done = true;
    });
    io_.run_for(timeout_);
    if (done) return result;
    socket_.cancel();
    io_.restart();
    io_.run();
    return asio::error::timed_out;
  }

  asio::io_context io_;
  tcp::socket socket_;
  std::chrono::milliseconds timeout_;
  std::size_t read_ = 0;  // bytes the last read got
  beast::flat_buffer buffer_;
  bool connected_ = false;
};

inline Reply get(std::uint16_t port, const std::string& target) { return Client(port).request("GET", target); }

}  // namespace meshproof::live::testing
