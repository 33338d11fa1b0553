// Istio's value matching for AuthorizationPolicy fields (principals, namespaces,
// methods, paths): exact "abc", prefix "abc*", suffix "*abc", presence "*" (any
// non-empty value). Compiled once from the policy text; matching never allocates.
// Source: istio.io/docs/reference/config/security/authorization-policy ("Value
// matching") and pilot/pkg/security/authz/matcher/string.go (StringMatcherWithPrefix:
// "*" is checked first and becomes the regex ".+"; then a leading "*", then a trailing
// "*"; a "*" elsewhere is a literal character).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace meshproof::security {

class IstioStringMatch {
 public:
  enum class Kind { kExact, kPrefix, kSuffix, kPresence };

  explicit IstioStringMatch(std::string_view pattern);

  bool matches(std::string_view value) const;
  Kind kind() const { return kind_; }
  // The literal part: the whole value, the prefix or the suffix; empty for presence.
  const std::string& literal() const { return literal_; }

 private:
  Kind kind_;
  std::string literal_;
};

// A field's values, OR'd.
class IstioStringMatchList {
 public:
  IstioStringMatchList() = default;
  explicit IstioStringMatchList(const std::vector<std::string>& patterns);

  bool empty() const { return matches_.empty(); }
  bool anyMatches(std::string_view value) const;

 private:
  std::vector<IstioStringMatch> matches_;
};

}  // namespace meshproof::security
