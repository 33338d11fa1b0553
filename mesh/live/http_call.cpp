// One-shot loopback HTTP requests with Beast.
#include "mesh/live/http_call.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <memory>

namespace meshproof::live {
namespace {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;
using tcp = asio::ip::tcp;

struct Call {
  explicit Call(asio::io_context& io) : socket(io), timer(io) {}
  tcp::socket socket;
  asio::steady_timer timer;
  beast_http::request<beast_http::string_body> request;
  boost::beast::flat_buffer buffer;
  beast_http::response<beast_http::string_body> response;
  std::function<void(const HttpCallResult&)> done;
  bool finished = false;

  void finish(int status) {
    if (finished) return;
    finished = true;
    boost::system::error_code ignored;
    timer.cancel();
    socket.close(ignored);
    if (done) done(HttpCallResult{status, status != 0 ? response.body() : std::string()});
  }
};

}  // namespace

void httpCall(asio::io_context& io, std::uint16_t port, const std::string& method, const std::string& target,
              std::string body, std::function<void(const HttpCallResult&)> done) {
  auto call = std::make_shared<Call>(io);
  call->done = std::move(done);
  call->request = {beast_http::string_to_verb(method), target, 11};
  call->request.set(beast_http::field::host, "127.0.0.1");
  if (!body.empty()) call->request.set(beast_http::field::content_type, "application/json");
  call->request.body() = std::move(body);
  call->request.keep_alive(false);
  call->request.prepare_payload();
  call->timer.expires_after(std::chrono::seconds(10));
  call->timer.async_wait([call](boost::system::error_code ec) {
    if (!ec) call->finish(0);
  });
  call->socket.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), [call](boost::system::error_code ec) {
    if (ec) return call->finish(0);
    beast_http::async_write(call->socket, call->request, [call](boost::system::error_code wec, std::size_t) {
      if (wec) return call->finish(0);
      beast_http::async_read(call->socket, call->buffer, call->response, [call](boost::system::error_code rec, std::size_t) {
        call->finish(rec ? 0 : static_cast<int>(call->response.result_int()));
      });
    });
  });
}

HttpCallResult httpCallNow(std::uint16_t port, const std::string& method, const std::string& target, std::string body,
                           std::chrono::milliseconds timeout) {
  asio::io_context io;
  HttpCallResult result;
  httpCall(io, port, method, target, std::move(body), [&result](const HttpCallResult& r) { result = r; });
  io.run_for(timeout);
  return result;
}

}  // namespace meshproof::live
