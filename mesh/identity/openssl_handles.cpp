// OpenSSL error text and memory BIOs.
#include "mesh/identity/openssl_handles.h"

#include <openssl/err.h>

namespace meshproof::identity {

std::string takeOpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return {};
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

void check(bool ok, const char* what) {
  if (ok) return;
  const std::string detail = takeOpenSslError();
  throw IdentityError(detail.empty() ? std::string(what) : std::string(what) + ": " + detail);
}

const EVP_MD* sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

}  // namespace meshproof::identity
