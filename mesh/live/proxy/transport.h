// The byte stream under one sidecar connection, plaintext or TLS (TlsChannel), with
// the three operations the connections need: the handshake, "read some plaintext
// into this buffer", and "write this whole message". Over TLS a read is one recv of
// ciphertext decrypted in place and a write one record in one send, as in plaintext.
// Handlers take an error_code; the caller's handler keeps the connection (and so the
// transport) alive, as with asio's own operations. One read and one write may be
// outstanding at a time. Reads tell the event loop when they emptied the socket
// (drained_read.h), so the next one waits for data instead of trying first.
#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <memory>
#include <string>
#include <vector>

#include "mesh/live/proxy/drained_read.h"
#include "mesh/live/proxy/tls_channel.h"

namespace meshproof::live {

class Transport {
 public:
  using tcp = boost::asio::ip::tcp;

  explicit Transport(tcp::socket& socket) : socket_(socket), reader_(socket) {}

  // From now on the stream is TLS (before any byte of it was read).
  void startTls(boost::asio::ssl::context& context, bool server, TlsChannel::Verify verify) {
    tls_ = std::make_unique<TlsChannel>(context, server, std::move(verify));
    cipher_in_.resize(kCipherReadBytes);
  }
  bool secure() const { return tls_ != nullptr; }

  // Runs the TLS handshake; `handler(error_code)`. A failed handshake's alert is sent
  // (best effort) before the handler hears of the failure.
  template <class Handler>
  void asyncHandshake(Handler handler) {
    handshakeStep(std::move(handler));
  }

  // Reads what comes next (at least one byte of plaintext) into `plain`; `handler(error_code)`:
  // eof when the peer closed (or sent close_notify).
  template <class Handler>
  void asyncReadSome(boost::beast::flat_buffer& plain, std::size_t size_hint, Handler handler) {
    if (!tls_) {
      const auto space = plain.prepare(size_hint);
      reader_.asyncRead(space, [&plain, handler = std::move(handler)](boost::system::error_code ec,
                                                                             std::size_t n) mutable {
        plain.commit(n);
        handler(ec);
      });
      return;
    }
    if (tls_pending_input_ || tls_->ended() != TlsChannel::Status::kDone) {
      // Ciphertext that came with the handshake's last flight, or the end of the
      // peer's stream that came behind the last plaintext.
      tls_pending_input_ = false;
      const TlsChannel::Status status = tls_->read(plain, control_);
      if (status != TlsChannel::Status::kWantInput) {
        boost::asio::post(socket_.get_executor(), [this, status, handler = std::move(handler)]() mutable {
          handler(errorFor(status));
        });
        return;
      }
    }
    readCipher(plain, std::move(handler));
  }

  // Writes all of `data` (which must stay untouched until the handler runs);
  // `handler(error_code)`. The socket is tried at once (one send): when it takes
  // everything, as it nearly always does, the handler runs before asyncWrite
  // returns, without an asio operation and a posted completion; what it does not
  // take is written by asio as it drains.
  template <class Handler>
  void asyncWrite(const std::string& data, Handler handler) {
    if (!tls_) return writeAll(data, std::move(handler));
    cipher_out_.clear();
    cipher_out_.swap(control_);  // what the read side owes the peer goes first
    if (!tls_->write(data, cipher_out_)) {
      boost::asio::post(socket_.get_executor(), [this, handler = std::move(handler)]() mutable {
        handler(tlsError());
      });
      return;
    }
    writeAll(cipher_out_, std::move(handler));
  }

 private:
  static constexpr std::size_t kCipherReadBytes = 17 * 1024;  // a full TLS record and its header

  template <class Handler>
  void writeAll(const std::string& bytes, Handler handler) {
    boost::system::error_code ec;
    if (!socket_.non_blocking()) socket_.non_blocking(true, ec);  // a full send buffer says so, not blocks
    const std::size_t n = ec ? 0 : socket_.write_some(boost::asio::buffer(bytes), ec);
    if (!ec && n == bytes.size()) return handler(boost::system::error_code());
    if (ec && ec != boost::asio::error::would_block && ec != boost::asio::error::try_again) return handler(ec);
    boost::asio::async_write(socket_, boost::asio::buffer(bytes.data() + n, bytes.size() - n),
                             [handler = std::move(handler)](boost::system::error_code wec, std::size_t) mutable {
                               handler(wec);
                             });
  }

  boost::system::error_code tlsError() const {
    return boost::system::error_code(static_cast<int>(tls_->lastError()), boost::asio::error::get_ssl_category());
  }
  // The socket's end without the peer's close_notify is a truncation (what
  // asio::ssl::stream reports), not a clean end: a body that runs to the end of the
  // connection is not complete.
  boost::system::error_code truncatedOr(boost::system::error_code ec) const {
    if (ec == boost::asio::error::eof) return boost::asio::ssl::error::stream_truncated;
    return ec;
  }
  boost::system::error_code errorFor(TlsChannel::Status status) const {
    if (status == TlsChannel::Status::kClosed) return boost::asio::error::eof;
    if (status == TlsChannel::Status::kError) return tlsError();
    return {};
  }

  template <class Handler>
  void readCipher(boost::beast::flat_buffer& plain, Handler handler) {
    reader_.asyncRead(boost::asio::buffer(cipher_in_),
                            [this, &plain, handler = std::move(handler)](boost::system::error_code ec,
                                                                          std::size_t n) mutable {
                              if (ec) return handler(truncatedOr(ec));
                              if (!tls_->input(cipher_in_.data(), n)) return handler(tlsError());
                              const TlsChannel::Status status = tls_->read(plain, control_);
                              if (status == TlsChannel::Status::kWantInput) {
                                return readCipher(plain, std::move(handler));  // a record in pieces
                              }
                              handler(errorFor(status));
                            });
  }

  template <class Handler>
  void handshakeStep(Handler handler) {
    handshake_out_.clear();
    const TlsChannel::Status status = tls_->handshake(handshake_out_);
    if (!handshake_out_.empty()) {
      boost::asio::async_write(socket_, boost::asio::buffer(handshake_out_),
                               [this, status, handler = std::move(handler)](boost::system::error_code ec,
                                                                            std::size_t) mutable {
                                 if (ec) return handler(ec);
                                 afterHandshakeStep(status, std::move(handler));
                               });
      return;
    }
    afterHandshakeStep(status, std::move(handler));
  }

  template <class Handler>
  void afterHandshakeStep(TlsChannel::Status status, Handler handler) {
    if (status == TlsChannel::Status::kDone) {
      // The peer may have sent data right behind its last handshake message.
      tls_pending_input_ = true;
      std::string().swap(handshake_out_);
      return handler(boost::system::error_code());
    }
    if (status != TlsChannel::Status::kWantInput) return handler(tlsError());
    reader_.asyncRead(boost::asio::buffer(cipher_in_),
                            [this, handler = std::move(handler)](boost::system::error_code ec, std::size_t n) mutable {
                              if (ec) return handler(ec);
                              if (!tls_->input(cipher_in_.data(), n)) return handler(tlsError());
                              handshakeStep(std::move(handler));
                            });
  }

  tcp::socket& socket_;
  DrainedReader reader_;
  std::unique_ptr<TlsChannel> tls_;
  std::vector<char> cipher_in_;
  std::string cipher_out_;     // the records of the message being written
  std::string control_;        // records the read side produced, sent with the next write
  std::string handshake_out_;  // the handshake flight being written
  bool tls_pending_input_ = false;
};

}  // namespace meshproof::live
