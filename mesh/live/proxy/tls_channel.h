// TLS for the sidecar's connections without asio::ssl::stream: OpenSSL works between
// two memory BIOs, and the connection moves the bytes itself. Ciphertext read from
// the socket (one recv, however many records it holds) goes in with input(); read()
// decrypts all of it into the connection's plaintext buffer; write() encrypts one
// whole message into one record (up to 16 KiB) appended to the connection's output,
// which leaves in one send. asio::ssl::stream does the same through a BIO pair, but
// every read and write is a chain of composed operations (a handler per step, a
// zero-length read to post the completion, timers to serialize reads and writes):
// on a pooled connection carrying one small request after another that machinery
// cost more than the cryptography.
//
// Peers are judged as before: the verify callback given (TlsContexts::verifier) is
// called from OpenSSL's verification with asio's verify_context, and a refused
// certificate fails the handshake with the alert OpenSSL writes (handshake() leaves
// it in the output, to be sent before closing).
#pragma once
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/verify_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <functional>
#include <string>
#include <string_view>

namespace meshproof::live {

class TlsChannel {
 public:
  enum class Status {
    kDone,       // handshake finished / plaintext produced
    kWantInput,  // needs more ciphertext from the socket
    kClosed,     // the peer sent close_notify
    kError,      // a protocol or verification failure
  };
  using Verify = std::function<bool(bool, boost::asio::ssl::verify_context&)>;

  TlsChannel(boost::asio::ssl::context& context, bool server, Verify verify);
  ~TlsChannel();
  TlsChannel(const TlsChannel&) = delete;
  TlsChannel& operator=(const TlsChannel&) = delete;

  SSL* native() const { return ssl_; }

  // Ciphertext read from the socket; false when OpenSSL could not take it (out of memory).
  bool input(const char* data, std::size_t size);
  // Advances the handshake; what OpenSSL has to send is appended to `out`.
  Status handshake(std::string& out);
  // Decrypts the input into `plain` (kDone when it produced some, kWantInput when it
  // needs more). Anything OpenSSL must send meanwhile (an alert, a key update) is
  // appended to `out`.
  Status read(boost::beast::flat_buffer& plain, std::string& out);
  // Encrypts `data`, appending the records to `out`; false on failure.
  bool write(std::string_view data, std::string& out);
  // kClosed or kError once the peer's stream has ended (close_notify or a failure
  // read behind the last plaintext, which read() returned first); kDone before.
  Status ended() const { return ended_; }
  // The OpenSSL error of the last failure (0: none), for an error_code.
  unsigned long lastError() const { return last_error_; }

 private:
  static int verifyThunk(int preverified, X509_STORE_CTX* store);
  void drain(std::string& out);

  SSL* ssl_ = nullptr;
  BIO* in_ = nullptr;   // ciphertext from the peer (owned by ssl_)
  BIO* out_ = nullptr;  // ciphertext to the peer (owned by ssl_)
  Verify verify_;
  void fail();

  unsigned long last_error_ = 0;
  Status ended_ = Status::kDone;
};

}  // namespace meshproof::live
