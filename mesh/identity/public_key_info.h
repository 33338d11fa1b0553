// Public keys into certificates and certificate requests without OpenSSL 3.0's slow
// path. X509_set_pubkey and X509_REQ_set_pubkey encode a provider-held key to DER
// through a new OSSL_ENCODER context and decode it back through a new OSSL_DECODER
// context on every call: two thirds of the time of issuing a workload certificate
// (1.5 ms of 2.3 with the CSR). An EC key held as a legacy EC_KEY goes through
// OpenSSL's direct encoder instead, to the same SubjectPublicKeyInfo bytes.
#pragma once
#include <openssl/x509.h>

namespace meshproof::identity {

// X509_set_pubkey(cert, key), by the direct encoder when `key` is an EC key.
void setCertificatePublicKey(X509* cert, EVP_PKEY* key);
// X509_REQ_set_pubkey(request, key), by the direct encoder when `key` is an EC key.
void setRequestPublicKey(X509_REQ* request, EVP_PKEY* key);

}  // namespace meshproof::identity
