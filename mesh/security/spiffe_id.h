// Workload identities as SPIFFE IDs in Istio's form, spiffe://<trustDomain>/ns/<ns>/sa/<sa>:
// strict parsing (with a reason on failure), formatting, and Istio's "principal" form
// (the ID without "spiffe://", e.g. cluster.local/ns/shop/sa/checkout).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace meshproof::security {

inline constexpr std::string_view kSpiffeScheme = "spiffe://";
// SPIFFE-ID spec: a SPIFFE ID is at most 2048 bytes, a trust domain at most 255.
inline constexpr std::size_t kSpiffeIdLengthMax = 2048;
inline constexpr std::size_t kTrustDomainLengthMax = 255;

struct SpiffeId {
  std::string trust_domain;     // e.g. cluster.local
  std::string namespace_;       // Kubernetes namespace
  std::string service_account;  // Kubernetes service account

  // spiffe://<trust_domain>/ns/<namespace>/sa/<service_account>
  std::string uri() const;
  // <trust_domain>/ns/<namespace>/sa/<service_account> (Istio's source.principal)
  std::string principal() const;

  friend bool operator==(const SpiffeId&, const SpiffeId&) = default;
};

struct SpiffeIdParse {
  std::optional<SpiffeId> id;
  std::string error;  // why parsing failed; empty when `id` is set
  explicit operator bool() const { return id.has_value(); }
};

// Parses spiffe://<td>/ns/<ns>/sa/<sa>. Strict: lower-case scheme; trust domain of
// [a-z0-9._-] (no port, user info or upper case); path segments of [A-Za-z0-9._-], none
// empty, "." or ".."; no query, fragment or trailing slash; exactly the ns/sa layout.
SpiffeIdParse parseSpiffeId(std::string_view uri);
// Checks `uri` as parseSpiffeId does without building the ID (a sidecar does it for
// every inbound request): empty when well-formed, with no allocation; else why not.
std::string spiffeIdError(std::string_view uri);
// Parses Istio's principal form <td>/ns/<ns>/sa/<sa> with the same rules.
SpiffeIdParse parsePrincipal(std::string_view principal);

// The principal for a SPIFFE URI (the URI without "spiffe://"); empty when `uri` does
// not start with the scheme. Does not validate the rest.
std::string_view principalOfUri(std::string_view uri);
// The namespace named by a principal's "/ns/<ns>/" segment pair; empty when there is none.
// Allocation-free; a view into `principal`.
std::string_view principalNamespace(std::string_view principal);

}  // namespace meshproof::security
