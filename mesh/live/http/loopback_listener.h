// Listening sockets of live mode: every listener is on 127.0.0.1 (run_layout.h).
// One place that binds, so every process reports a port it cannot take the same way.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>

namespace meshproof::live::http {

// An acceptor listening on 127.0.0.1:port (0: the kernel picks one), with
// SO_REUSEADDR (a restarted process can take its port back from TIME_WAIT).
// Throws std::runtime_error "cannot listen on 127.0.0.1:PORT: <reason>".
boost::asio::ip::tcp::acceptor listenLoopback(boost::asio::io_context& io, std::uint16_t port);

}  // namespace meshproof::live::http
