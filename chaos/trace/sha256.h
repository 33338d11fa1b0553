// A running SHA-256 (OpenSSL EVP) over bytes fed in pieces; the digest can be read
// at any moment without ending the stream.
#pragma once
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace meshproof::chaos {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  // Lower-case hex digest of every byte fed so far.
  std::string hexDigest() const;

 private:
  evp_md_ctx_st* context_;
};

// Lower-case hex SHA-256 of `bytes`.
std::string sha256Hex(std::string_view bytes);

}  // namespace meshproof::chaos
