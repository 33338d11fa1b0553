// Binding a loopback listener with a clear error (see loopback_listener.h).
#include "mesh/live/http/loopback_listener.h"

#include <boost/asio/socket_base.hpp>
#include <stdexcept>
#include <string>

namespace meshproof::live::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

tcp::acceptor listenLoopback(asio::io_context& io, std::uint16_t port) {
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + ec.message());
  return acceptor;
}

}  // namespace meshproof::live::http
