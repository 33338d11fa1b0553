// A legacy EC_KEY copy of an EC key for X509_set_pubkey's direct encoder. EC_KEY is
// deprecated in OpenSSL 3 but kept through 3.x; OpenSSL 3.2+ caches its decoders and
// would not need this.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "mesh/identity/public_key_info.h"

#include <openssl/ec.h>
#include <openssl/evp.h>

#include "mesh/identity/openssl_handles.h"

namespace meshproof::identity {
namespace {

// `key` itself when OpenSSL encodes it directly already (a legacy key, or not EC),
// else a legacy-held copy of it (EC_KEY carries the whole key pair) in `holder`.
EVP_PKEY* directlyEncodable(EVP_PKEY* key, PkeyPtr& holder) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC || EVP_PKEY_get0_provider(key) == nullptr) return key;
  EC_KEY* ec = EVP_PKEY_get1_EC_KEY(key);
  if (ec == nullptr) {  // not exportable to a legacy key: OpenSSL's encoder path
    takeOpenSslError();
    return key;
  }
  holder.reset(EVP_PKEY_new());
  if (holder == nullptr || EVP_PKEY_assign_EC_KEY(holder.get(), ec) != 1) {
    EC_KEY_free(ec);
    check(false, "copying an EC key");
  }
  return holder.get();
}

}  // namespace

void setCertificatePublicKey(X509* cert, EVP_PKEY* key) {
  PkeyPtr holder;
  check(X509_set_pubkey(cert, directlyEncodable(key, holder)) == 1, "setting a certificate's public key");
}

void setRequestPublicKey(X509_REQ* request, EVP_PKEY* key) {
  PkeyPtr holder;
  check(X509_REQ_set_pubkey(request, directlyEncodable(key, holder)) == 1, "setting a request's public key");
}

}  // namespace meshproof::identity
