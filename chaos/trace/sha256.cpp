// SHA-256 through OpenSSL's EVP interface.
#include "chaos/trace/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace meshproof::chaos {

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (context_ == nullptr || EVP_DigestInit_ex(context_, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(context_);
    throw std::runtime_error("SHA-256: OpenSSL could not initialise a digest");
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(context_); }

void Sha256::update(std::string_view bytes) {
  if (EVP_DigestUpdate(context_, bytes.data(), bytes.size()) != 1)
    throw std::runtime_error("SHA-256: OpenSSL digest update failed");
}

std::string Sha256::hexDigest() const {
  // Finalise a copy so the running digest can keep growing.
  EVP_MD_CTX* copy = EVP_MD_CTX_new();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const bool ok = copy != nullptr && EVP_MD_CTX_copy_ex(copy, context_) == 1 &&
                  EVP_DigestFinal_ex(copy, digest, &length) == 1;
  EVP_MD_CTX_free(copy);
  if (!ok) throw std::runtime_error("SHA-256: OpenSSL digest finalisation failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

std::string sha256Hex(std::string_view bytes) {
  Sha256 hash;
  hash.update(bytes);
  return hash.hexDigest();
}

}  // namespace meshproof::chaos
