// Owning handles for OpenSSL objects (unique_ptr with the matching free function) and
// the text of OpenSSL's error queue. Internal to mesh/identity and its drivers.
#pragma once
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace meshproof::identity {

template <typename T, void (*Free)(T*)>
struct OpenSslFree {
  void operator()(T* p) const { Free(p); }
};

using X509Ptr = std::unique_ptr<X509, OpenSslFree<X509, X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, OpenSslFree<X509_REQ, X509_REQ_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslFree<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using StorePtr = std::unique_ptr<X509_STORE, OpenSslFree<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpenSslFree<X509_STORE_CTX, X509_STORE_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslFree<BIO, BIO_free_all>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslFree<X509_EXTENSION, X509_EXTENSION_free>>;

// Something OpenSSL refused (bad PEM, a failed signature), with its error queue's text.
class IdentityError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The oldest entry of OpenSSL's error queue as text (and the queue cleared); empty
// when the queue is empty.
std::string takeOpenSslError();

// Throws IdentityError("<what>: <OpenSSL's error>") unless ok.
void check(bool ok, const char* what);

// The contents of a memory BIO.
std::string bioText(BIO* bio);

// SHA-256, fetched from OpenSSL's default provider once: OpenSSL 3 looks an
// algorithm up by name on every implicit use (EVP_sha256() in a signing call),
// which costs more than the signature itself.
const EVP_MD* sha256();

}  // namespace meshproof::identity
