// OpenSSL between memory BIOs.
#include "mesh/live/proxy/tls_channel.h"

#include <openssl/err.h>

#include <stdexcept>

namespace meshproof::live {
namespace {

// The SSL ex_data slot holding the TlsChannel, for the verify callback.
int channelIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// OpenSSL wants the thread's error queue empty before an SSL call whose failure
// SSL_get_error judges. ERR_clear_error wipes all sixteen slots every time (~800
// instructions, twice a request); the queue is nearly always empty already, and a
// look says so for a fraction of that.
void clearErrors() {
  if (ERR_peek_error() != 0) ERR_clear_error();
}

}  // namespace

TlsChannel::TlsChannel(boost::asio::ssl::context& context, bool server, Verify verify) : verify_(std::move(verify)) {
  ssl_ = SSL_new(context.native_handle());
  in_ = BIO_new(BIO_s_mem());
  out_ = BIO_new(BIO_s_mem());
  if (ssl_ == nullptr || in_ == nullptr || out_ == nullptr) {
    BIO_free(in_);
    BIO_free(out_);
    SSL_free(ssl_);
    throw std::runtime_error("cannot set up a TLS connection (out of memory)");
  }
  BIO_set_mem_eof_return(in_, -1);  // an empty input is "retry later", not the end
  SSL_set_bio(ssl_, in_, out_);
  if (server) {
    SSL_set_accept_state(ssl_);
  } else {
    SSL_set_connect_state(ssl_);
  }
  SSL_set_ex_data(ssl_, channelIndex(), this);
  if (verify_) SSL_set_verify(ssl_, SSL_get_verify_mode(ssl_), &TlsChannel::verifyThunk);
}

TlsChannel::~TlsChannel() { SSL_free(ssl_); }

int TlsChannel::verifyThunk(int preverified, X509_STORE_CTX* store) {
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* self = ssl != nullptr ? static_cast<TlsChannel*>(SSL_get_ex_data(ssl, channelIndex())) : nullptr;
  if (self == nullptr || !self->verify_) return preverified;
  boost::asio::ssl::verify_context context(store);
  return self->verify_(preverified != 0, context) ? 1 : 0;
}

bool TlsChannel::input(const char* data, std::size_t size) {
  while (size > 0) {
    const int n = BIO_write(in_, data, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
    if (n <= 0) {
      fail();
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Records the failure's OpenSSL error and leaves the thread's queue empty, so that
// no later, unrelated error report picks it up.
void TlsChannel::fail() {
  last_error_ = ERR_peek_error();
  if (last_error_ == 0) last_error_ = ERR_PACK(ERR_LIB_SSL, 0, SSL_R_UNEXPECTED_MESSAGE);
  ERR_clear_error();
}

void TlsChannel::drain(std::string& out) {
  const std::size_t pending = BIO_ctrl_pending(out_);
  if (pending == 0) return;
  const std::size_t at = out.size();
  out.resize(at + pending);
  const int n = BIO_read(out_, out.data() + at, static_cast<int>(pending));
  out.resize(at + static_cast<std::size_t>(n > 0 ? n : 0));
}

TlsChannel::Status TlsChannel::handshake(std::string& out) {
  clearErrors();
  const int r = SSL_do_handshake(ssl_);
  const int error = r == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl_, r);
  drain(out);
  if (r == 1) return Status::kDone;
  if (error == SSL_ERROR_WANT_READ) return Status::kWantInput;
  fail();
  return Status::kError;
}

TlsChannel::Status TlsChannel::read(boost::beast::flat_buffer& plain, std::string& out) {
  if (ended_ != Status::kDone) return ended_;
  bool got = false;
  for (;;) {
    const auto space = plain.prepare(16 * 1024);
    clearErrors();
    const int n = SSL_read(ssl_, space.data(), static_cast<int>(space.size()));
    if (n > 0) {
      plain.commit(static_cast<std::size_t>(n));
      got = true;
      // Nothing left to decrypt: no need for the call that would say so.
      if (BIO_ctrl_pending(in_) == 0 && SSL_pending(ssl_) == 0) break;
      continue;
    }
    const int error = SSL_get_error(ssl_, n);
    drain(out);
    if (error == SSL_ERROR_WANT_READ) return got ? Status::kDone : Status::kWantInput;
    // The end of the peer's stream, maybe right behind plaintext: that plaintext
    // first, the end at the next read (ended()).
    if (error == SSL_ERROR_ZERO_RETURN) {
      ended_ = Status::kClosed;
    } else {
      fail();
      ended_ = Status::kError;
    }
    return got ? Status::kDone : ended_;
  }
  drain(out);
  return Status::kDone;
}

bool TlsChannel::write(std::string_view data, std::string& out) {
  while (!data.empty()) {
    clearErrors();
    const int n = SSL_write(ssl_, data.data(), static_cast<int>(std::min<std::size_t>(data.size(), 1 << 30)));
    if (n <= 0) {
      fail();
      drain(out);
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  drain(out);
  return true;
}

}  // namespace meshproof::live
