// Connect, framed reads and queued writes of the sidecar's control stream.
#include "mesh/live/proxy/control_stream.h"

#include <boost/asio/write.hpp>

#include "mesh/live/control/stream_codec.h"

namespace meshproof::live {

ControlStream::ControlStream(asio::io_context& io, std::uint16_t port, Events events)
    : io_(io), port_(port), events_(std::move(events)) {}

ControlStream::~ControlStream() {
  if (socket_) {
    boost::system::error_code ignored;
    socket_->close(ignored);
  }
}

void ControlStream::connect() {
  ++generation_;
  socket_ = std::make_shared<tcp::socket>(io_);
  in_.clear();
  out_.clear();
  writing_ = false;
  const std::uint64_t generation = generation_;
  socket_->async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), port_),
                         [this, generation](boost::system::error_code ec) {
                           if (generation != generation_) return;
                           if (ec) return down();
                           up_ = true;
                           events_.up();
                           read();
                           write();
                         });
}

void ControlStream::read() {
  const std::uint64_t generation = generation_;
  socket_->async_read_some(asio::buffer(chunk_), [this, generation](boost::system::error_code ec, std::size_t n) {
    if (generation != generation_) return;
    if (ec) return down();
    in_.append(chunk_, n);
    try {
      takeFrames(in_, [this](std::string_view payload) { events_.message(payload); });
    } catch (const CodecError&) {
      return down();
    }
    if (generation == generation_ && up_) read();
  });
}

void ControlStream::send(const control::ToControlPlane& message) {
  if (!up_) return;
  out_.push_back(frame(encodeMessage(message)));
  write();
}

void ControlStream::write() {
  if (writing_ || out_.empty() || !up_) return;
  writing_ = true;
  const std::uint64_t generation = generation_;
  asio::async_write(*socket_, asio::buffer(out_.front()), [this, generation](boost::system::error_code ec, std::size_t) {
    if (generation != generation_) return;
    writing_ = false;
    if (ec) return down();
    out_.pop_front();
    write();
  });
}

void ControlStream::down() {
  ++generation_;
  up_ = false;
  boost::system::error_code ignored;
  if (socket_) socket_->close(ignored);
  events_.down();
}

}  // namespace meshproof::live
