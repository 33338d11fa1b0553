// Istio's exact/prefix/suffix/presence value matching (see istio_string_match.h).
#include "mesh/security/istio_string_match.h"

namespace meshproof::security {

IstioStringMatch::IstioStringMatch(std::string_view pattern) {
  if (pattern == "*") {
    kind_ = Kind::kPresence;
  } else if (pattern.starts_with('*')) {
    kind_ = Kind::kSuffix;
    literal_ = pattern.substr(1);
  } else if (pattern.ends_with('*')) {
    kind_ = Kind::kPrefix;
    literal_ = pattern.substr(0, pattern.size() - 1);
  } else {
    kind_ = Kind::kExact;
    literal_ = pattern;
  }
}

bool IstioStringMatch::matches(std::string_view value) const {
  switch (kind_) {
    case Kind::kExact: return value == literal_;
    case Kind::kPrefix: return value.starts_with(literal_);
    case Kind::kSuffix: return value.ends_with(literal_);
    case Kind::kPresence: return !value.empty();
  }
  return false;
}

IstioStringMatchList::IstioStringMatchList(const std::vector<std::string>& patterns) {
  matches_.reserve(patterns.size());
  for (const auto& p : patterns) matches_.emplace_back(p);
}

bool IstioStringMatchList::anyMatches(std::string_view value) const {
  for (const auto& m : matches_)
    if (m.matches(value)) return true;
  return false;
}

}  // namespace meshproof::security
