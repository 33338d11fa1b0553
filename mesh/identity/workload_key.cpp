// ECDSA P-256 keys and PKCS#10 requests with a SPIFFE URI SAN, through OpenSSL.
#include "mesh/identity/workload_key.h"

#include <openssl/ec.h>
#include <openssl/pem.h>

#include "mesh/identity/public_key_info.h"

namespace meshproof::identity {

namespace {

// One key-generation context, set up once (OpenSSL 3 fetches the EC implementation by
// name for every new context, see sha256()).
EVP_PKEY_CTX* p256Generator() {
  static EVP_PKEY_CTX* const ctx = [] {
    EVP_PKEY_CTX* c = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    check(c != nullptr && EVP_PKEY_keygen_init(c) == 1 && EVP_PKEY_CTX_set_group_name(c, "P-256") == 1,
          "preparing ECDSA P-256 key generation");
    return c;
  }();
  return ctx;
}

}  // namespace

WorkloadKey WorkloadKey::generate() {
  EVP_PKEY* raw = nullptr;
  check(EVP_PKEY_keygen(p256Generator(), &raw) == 1, "generating an ECDSA P-256 key");
  return WorkloadKey(PkeyPtr(raw));
}

WorkloadKey WorkloadKey::fromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  check(bio != nullptr, "reading a PEM private key");
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  check(key != nullptr, "reading a PEM private key");
  return WorkloadKey(std::move(key));
}

bool WorkloadKey::matches(X509* certificate) const {
  const bool ok = X509_check_private_key(certificate, key_.get()) == 1;
  takeOpenSslError();
  return ok;
}

std::string WorkloadKey::privatePem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(bio && PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "writing a PEM private key");
  return bioText(bio.get());
}

CertificateRequest::CertificateRequest(X509ReqPtr req) : req_(std::move(req)) {
  STACK_OF(X509_EXTENSION)* extensions = X509_REQ_get_extensions(req_.get());
  if (extensions == nullptr) return;
  const int index = X509v3_get_ext_by_NID(extensions, NID_subject_alt_name, -1);
  if (index >= 0) {
    auto* names = static_cast<GENERAL_NAMES*>(X509V3_EXT_d2i(X509v3_get_ext(extensions, index)));
    for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
      if (name->type != GEN_URI) continue;
      spiffe_id_.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.uniformResourceIdentifier)),
                        static_cast<std::size_t>(ASN1_STRING_length(name->d.uniformResourceIdentifier)));
      break;
    }
    GENERAL_NAMES_free(names);
  }
  sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);
}

std::shared_ptr<const CertificateRequest> CertificateRequest::create(const WorkloadKey& key,
                                                                     const std::string& spiffe_uri) {
  X509ReqPtr req(X509_REQ_new());
  check(req != nullptr, "creating a certificate request");
  check(X509_REQ_set_version(req.get(), 0) == 1, "setting the request version");
  setRequestPublicKey(req.get(), key.pkey());
  STACK_OF(X509_EXTENSION)* extensions = sk_X509_EXTENSION_new_null();
  const std::string san = "URI:" + spiffe_uri;
  ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, san.c_str()));
  check(ext != nullptr, "encoding the requested SPIFFE ID");
  sk_X509_EXTENSION_push(extensions, ext.get());
  const bool added = X509_REQ_add_extensions(req.get(), extensions) == 1;
  sk_X509_EXTENSION_free(extensions);
  check(added, "adding the SPIFFE ID to the request");
  check(X509_REQ_sign(req.get(), key.pkey(), sha256()) > 0, "signing the certificate request");
  return std::shared_ptr<const CertificateRequest>(new CertificateRequest(std::move(req)));
}

std::shared_ptr<const CertificateRequest> CertificateRequest::fromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  check(bio != nullptr, "reading a PEM certificate request");
  X509ReqPtr req(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  check(req != nullptr, "reading a PEM certificate request");
  return std::shared_ptr<const CertificateRequest>(new CertificateRequest(std::move(req)));
}

bool CertificateRequest::signatureValid() const {
  EVP_PKEY* key = X509_REQ_get0_pubkey(req_.get());
  const bool ok = key != nullptr && X509_REQ_verify(req_.get(), key) == 1;
  takeOpenSslError();
  return ok;
}

std::string CertificateRequest::pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(bio && PEM_write_bio_X509_REQ(bio.get(), req_.get()) == 1, "writing a PEM certificate request");
  return bioText(bio.get());
}

}  // namespace meshproof::identity
