// A socket read that tells the event loop when it has emptied the socket.
//
// asio (Boost 1.74) tries every read on the socket at once ("speculatively") and
// takes a socket to be empty only when a read returns 0 bytes, that is never on a
// live connection. A sidecar reads a message, answers it and reads again: that next
// read finds nothing (a recv failing with EAGAIN, ~370 ns here) and only then waits
// for epoll. That is one wasted system call per message and connection, 1.4 per
// request on one hop, where haproxy makes none.
//
// DrainedReader's read is asio's own reactor operation with one difference: a read that
// returns fewer bytes than it had room for tells the reactor that the socket is empty
// (asio's done_and_exhausted), so the next read waits for the reactor's next event on
// the socket instead of trying first. The socket is registered edge-triggered, and
// every arrival after a read that emptied it is such an event; a read that filled its
// buffer leaves the next one speculative, as asio does.
//
// It reaches into asio's detail namespace, so it is built only for the asio it was
// written against (Boost 1.74, Debian 12's) on epoll; elsewhere it is async_read_some.
#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <boost/version.hpp>
#include <cstdint>
#include <utility>

#if BOOST_VERSION == 107400 && defined(BOOST_ASIO_HAS_EPOLL) && !defined(BOOST_ASIO_DISABLE_EPOLL)
#define MESHPROOF_DRAINED_READ 1
#include <sys/socket.h>

#include <boost/asio/detail/reactor.hpp>
#include <boost/asio/detail/reactor_op.hpp>
#include <boost/asio/error.hpp>
#include <cerrno>
#include <memory>
#endif

namespace meshproof::live {

// The recv calls the drained reads of this thread made (a test's window on them).
inline thread_local std::uint64_t drained_read_attempts = 0;

#ifdef MESHPROOF_DRAINED_READ

namespace drained_read_detail {

namespace asio_detail = boost::asio::detail;
using tcp = boost::asio::ip::tcp;

// The socket's reactor registration, a protected member of basic_socket, reached
// through a pointer to member formed in a derived class (never instantiated).
struct SocketInternals : tcp::socket {
  static auto& of(tcp::socket& socket) { return (socket.*(&SocketInternals::impl_)).get_implementation(); }
};

template <class Handler>
class ReadOp : public asio_detail::reactor_op {
 public:
  ReadOp(int fd, boost::asio::mutable_buffer buffer, Handler handler)
      : reactor_op(boost::system::error_code(), &ReadOp::perform, &ReadOp::complete),
        fd_(fd),
        buffer_(buffer),
        handler_(std::move(handler)) {}

 private:
  static status perform(reactor_op* base) {
    auto* op = static_cast<ReadOp*>(base);
    for (;;) {
      ++drained_read_attempts;
      const ssize_t n = ::recv(op->fd_, op->buffer_.data(), op->buffer_.size(), 0);
      if (n > 0) {
        op->bytes_transferred_ = static_cast<std::size_t>(n);
        return static_cast<std::size_t>(n) < op->buffer_.size() ? done_and_exhausted : done;
      }
      if (n == 0) {
        op->ec_ = boost::asio::error::eof;
        return done_and_exhausted;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return not_done;
      op->ec_ = boost::system::error_code(errno, boost::asio::error::get_system_category());
      return done;
    }
  }
  // owner == nullptr: the io_context is being destroyed and the handler is not called.
  static void complete(void* owner, asio_detail::operation* base, const boost::system::error_code&, std::size_t) {
    std::unique_ptr<ReadOp> op(static_cast<ReadOp*>(base));
    if (owner == nullptr) return;
    Handler handler(std::move(op->handler_));
    const boost::system::error_code ec = op->ec_;
    const std::size_t n = op->bytes_transferred_;
    op.reset();
    handler(ec, n);
  }

  int fd_;
  boost::asio::mutable_buffer buffer_;
  Handler handler_;
};

}  // namespace drained_read_detail

#endif  // MESHPROOF_DRAINED_READ

// Reads on one socket. Each read takes at least one byte into `buffer` (not empty);
// `handler(error_code, bytes)`, eof when the peer has closed, operation_aborted when
// the socket is closed first: as socket.async_read_some, on a socket of the thread's
// own io_context. The reactor is looked up once, not at every read (asio's service
// registry takes a lock).
class DrainedReader {
 public:
  explicit DrainedReader(boost::asio::ip::tcp::socket& socket)
      : socket_(socket)
#ifdef MESHPROOF_DRAINED_READ
        ,
        reactor_(boost::asio::use_service<boost::asio::detail::reactor>(
            boost::asio::query(socket.get_executor(), boost::asio::execution::context)))
#endif
  {
  }

  template <class Handler>
  void asyncRead(boost::asio::mutable_buffer buffer, Handler handler) {
#ifdef MESHPROOF_DRAINED_READ
    boost::system::error_code ec;
    if (socket_.is_open() && !socket_.non_blocking()) socket_.non_blocking(true, ec);
    // A closed socket, or one that cannot be made non-blocking: asio's own read reports it.
    if (ec || !socket_.is_open()) return socket_.async_read_some(buffer, std::move(handler));
    auto& impl = drained_read_detail::SocketInternals::of(socket_);
    auto* op = new drained_read_detail::ReadOp<Handler>(impl.socket_, buffer, std::move(handler));
    reactor_.start_op(boost::asio::detail::reactor::read_op, impl.socket_, impl.reactor_data_, op, false, true);
#else
    socket_.async_read_some(buffer, std::move(handler));
#endif
  }

 private:
  boost::asio::ip::tcp::socket& socket_;
#ifdef MESHPROOF_DRAINED_READ
  boost::asio::detail::reactor& reactor_;
#endif
};

}  // namespace meshproof::live
