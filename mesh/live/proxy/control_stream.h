// The sidecar's end of its stream to the control plane (live mode): a TCP
// connection to the control plane's stream port carrying framed JSON messages
// (mesh/live/control/stream_codec.h). It connects when asked, queues writes, and
// reports what arrives and when the stream goes down; the agent decides when to
// connect again.
#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "mesh/control/messages.h"

namespace meshproof::live {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class ControlStream {
 public:
  struct Events {
    std::function<void()> up;
    std::function<void()> down;
    std::function<void(std::string_view payload)> message;
  };
  ControlStream(asio::io_context& io, std::uint16_t port, Events events);
  ~ControlStream();

  void connect();
  void send(const control::ToControlPlane& message);
  bool isUp() const { return up_; }

 private:
  void read();
  void write();
  void down();

  asio::io_context& io_;
  std::uint16_t port_;
  Events events_;
  std::shared_ptr<tcp::socket> socket_;
  std::string in_;
  std::deque<std::string> out_;
  bool writing_ = false;
  bool up_ = false;
  std::uint64_t generation_ = 0;  // bumped per connection, so late callbacks of an old one are ignored
  char chunk_[16384];
};

}  // namespace meshproof::live
