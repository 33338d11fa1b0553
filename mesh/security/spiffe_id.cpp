// SPIFFE ID parsing and formatting, following the SPIFFE-ID specification
// (github.com/spiffe/spiffe standards/SPIFFE-ID.md) restricted to Istio's
// /ns/<namespace>/sa/<service-account> path layout.
#include "mesh/security/spiffe_id.h"

#include <array>

namespace meshproof::security {
namespace {

bool isTrustDomainChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

bool isPathSegmentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

std::string checkTrustDomain(std::string_view td) {
  if (td.empty()) return "empty trust domain";
  if (td.size() > kTrustDomainLengthMax) return "trust domain longer than 255 bytes";
  for (char c : td)
    if (!isTrustDomainChar(c))
      return std::string("trust domain has a character outside [a-z0-9._-]: '") + c + "'";
  return {};
}

std::string checkPathSegment(std::string_view segment) {
  if (segment.empty()) return "empty path segment";
  if (segment == "." || segment == "..") return "path segment is '.' or '..'";
  for (char c : segment)
    if (!isPathSegmentChar(c))
      return std::string("path segment has a character outside [A-Za-z0-9._-]: '") + c + "'";
  return {};
}

SpiffeIdParse failure(std::string reason) { return SpiffeIdParse{std::nullopt, std::move(reason)}; }

struct SpiffeIdParts {
  std::string_view trust_domain, namespace_, service_account;
};

// Splits <td>/ns/<ns>/sa/<sa> (the URI without its scheme) into `parts`: the empty
// string when it is well-formed (no allocation), else why it is not.
std::string splitAfterScheme(std::string_view rest, SpiffeIdParts& parts) {
  const std::size_t slash = rest.find('/');
  const std::string_view td = rest.substr(0, slash);
  if (std::string err = checkTrustDomain(td); !err.empty()) return err;
  if (slash == std::string_view::npos) return "no path: expected /ns/<namespace>/sa/<service-account>";

  std::string_view path = rest.substr(slash + 1);
  std::array<std::string_view, 4> segments;
  std::size_t count = 0;
  while (true) {
    const std::size_t next = path.find('/');
    const std::string_view segment = path.substr(0, next);
    if (std::string err = checkPathSegment(segment); !err.empty()) return err;
    if (count == segments.size()) return "path longer than /ns/<namespace>/sa/<service-account>";
    segments[count++] = segment;
    if (next == std::string_view::npos) break;
    path.remove_prefix(next + 1);
  }
  if (count != 4 || segments[0] != "ns" || segments[2] != "sa")
    return "path is not /ns/<namespace>/sa/<service-account>";
  parts = SpiffeIdParts{td, segments[1], segments[3]};
  return {};
}

SpiffeIdParse parseAfterScheme(std::string_view rest) {
  SpiffeIdParts parts;
  if (std::string err = splitAfterScheme(rest, parts); !err.empty()) return failure(std::move(err));
  return SpiffeIdParse{
      SpiffeId{std::string(parts.trust_domain), std::string(parts.namespace_), std::string(parts.service_account)},
      {}};
}

std::string uriError(std::string_view uri) {
  if (uri.size() > kSpiffeIdLengthMax) return "longer than 2048 bytes";
  if (!uri.starts_with(kSpiffeScheme)) return "scheme is not 'spiffe://'";
  return {};
}

}  // namespace

std::string SpiffeId::principal() const {
  return trust_domain + "/ns/" + namespace_ + "/sa/" + service_account;
}

std::string SpiffeId::uri() const { return std::string(kSpiffeScheme) + principal(); }

SpiffeIdParse parseSpiffeId(std::string_view uri) {
  if (std::string err = uriError(uri); !err.empty()) return failure(std::move(err));
  return parseAfterScheme(uri.substr(kSpiffeScheme.size()));
}

std::string spiffeIdError(std::string_view uri) {
  if (std::string err = uriError(uri); !err.empty()) return err;
  SpiffeIdParts parts;
  return splitAfterScheme(uri.substr(kSpiffeScheme.size()), parts);
}

SpiffeIdParse parsePrincipal(std::string_view principal) {
  if (principal.size() + kSpiffeScheme.size() > kSpiffeIdLengthMax) return failure("longer than 2048 bytes");
  if (principal.starts_with(kSpiffeScheme)) return failure("a principal has no 'spiffe://' scheme");
  return parseAfterScheme(principal);
}

std::string_view principalOfUri(std::string_view uri) {
  if (!uri.starts_with(kSpiffeScheme)) return {};
  return uri.substr(kSpiffeScheme.size());
}

std::string_view principalNamespace(std::string_view principal) {
  // Istio matches source namespaces with the regex ".*/ns/<ns>/.*" on the peer identity
  // (pilot/pkg/security/authz/model/generator.go, srcNamespaceGenerator).
  constexpr std::string_view kMarker = "/ns/";
  const std::size_t at = principal.find(kMarker);
  if (at == std::string_view::npos) return {};
  const std::string_view after = principal.substr(at + kMarker.size());
  const std::size_t end = after.find('/');
  if (end == std::string_view::npos) return {};
  return after.substr(0, end);
}

}  // namespace meshproof::security
