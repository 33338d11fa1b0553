// Parsing what the mesh needs out of an X.509 certificate with OpenSSL.
#include "mesh/identity/certificate.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cctype>

namespace meshproof::identity {
namespace {

TimeNs wallOf(const ASN1_TIME* time) {
  struct tm parts {};
  check(ASN1_TIME_to_tm(time, &parts) == 1, "reading a certificate date");
  // Days from civil (proleptic Gregorian), as timegm does, without the C library's clock.
  const int y = parts.tm_year + 1900 - (parts.tm_mon < 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mon = parts.tm_mon + 1;
  const int doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + parts.tm_mday - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  const std::int64_t seconds = days * 86400 + parts.tm_hour * 3600 + parts.tm_min * 60 + parts.tm_sec;
  return seconds * kSecond;
}

std::string spiffeIdOf(X509* x509) {
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x509, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return {};
  std::string found;
  for (int i = 0; i < sk_GENERAL_NAME_num(names) && found.empty(); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type != GEN_URI) continue;
    const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
    std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                     static_cast<std::size_t>(ASN1_STRING_length(uri)));
    if (text.rfind("spiffe://", 0) == 0) found = std::move(text);
  }
  GENERAL_NAMES_free(names);
  return found;
}

std::string serialHexOf(X509* x509) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x509), nullptr);
  check(bn != nullptr, "reading a certificate serial number");
  char* hex = BN_bn2hex(bn);
  std::string text = hex ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  const auto first = text.find_first_not_of('0');
  return first == std::string::npos ? "0" : text.substr(first);
}

}  // namespace

std::int64_t wallSeconds(TimeNs wall) { return wall >= 0 ? wall / kSecond : -((-wall + kSecond - 1) / kSecond); }

Certificate::Certificate(X509Ptr x509) : x509_(std::move(x509)) {
  spiffe_id_ = spiffeIdOf(x509_.get());
  serial_hex_ = serialHexOf(x509_.get());
  not_before_ = wallOf(X509_get0_notBefore(x509_.get()));
  not_after_ = wallOf(X509_get0_notAfter(x509_.get()));
  is_ca_ = X509_check_ca(x509_.get()) != 0;
}

std::shared_ptr<const Certificate> Certificate::adopt(X509Ptr x509) {
  if (!x509) throw IdentityError("no certificate");
  return std::shared_ptr<const Certificate>(new Certificate(std::move(x509)));
}

std::shared_ptr<const Certificate> Certificate::fromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  check(bio != nullptr, "reading a PEM certificate");
  X509Ptr x509(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  check(x509 != nullptr, "reading a PEM certificate");
  return adopt(std::move(x509));
}

std::string Certificate::pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(bio && PEM_write_bio_X509(bio.get(), x509_.get()) == 1, "writing a PEM certificate");
  return bioText(bio.get());
}

}  // namespace meshproof::identity
