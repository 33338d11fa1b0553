// Behaviour that belongs to the configuration values themselves.
#include "mesh/config/model.h"

#include <algorithm>
#include <utility>

namespace meshproof::config {

bool StringMatch::matches(const std::string* actual) const {
  if (kind == Kind::kPresent) return actual != nullptr;
  if (actual == nullptr) return false;
  switch (kind) {
    case Kind::kExact: return *actual == value;
    case Kind::kPrefix: return actual->compare(0, value.size(), value) == 0;
    case Kind::kRegex: return regex && std::regex_match(*actual, *regex);
    case Kind::kPresent: break;
  }
  return false;
}

bool StringMatch::operator==(const StringMatch& other) const {
  return kind == other.kind && value == other.value && regex.has_value() == other.regex.has_value();
}

RetryPolicy defaultRetryPolicy() {
  RetryPolicy p;
  p.attempts = 2;
  p.retry_on.connect_failure = true;
  p.retry_on.refused_stream = true;
  p.retry_on.retriable_status_codes = true;
  p.retry_on.status_codes = {503};
  return p;
}

const VirtualService* MeshConfig::virtualService(const std::string& service) const {
  for (const auto& vs : traffic)
    if (vs.service == service) return &vs;
  return nullptr;
}

const DestinationRule* MeshConfig::destinationRule(const std::string& service) const {
  for (const auto& dr : destinations)
    if (dr.service == service) return &dr;
  return nullptr;
}

namespace {

template <typename T, typename Key>
void replaceOrAdd(std::vector<T>& into, const std::vector<T>& from, Key key) {
  for (const T& item : from) {
    auto it = std::find_if(into.begin(), into.end(), [&](const T& existing) { return key(existing) == key(item); });
    if (it != into.end()) {
      *it = item;
    } else {
      into.push_back(item);
    }
  }
}

}  // namespace

void applyChange(MeshConfig& config, const MeshChange& change) {
  replaceOrAdd(config.traffic, change.traffic, [](const VirtualService& v) { return v.service; });
  replaceOrAdd(config.destinations, change.destinations, [](const DestinationRule& d) { return d.service; });
  replaceOrAdd(config.security.peer_authentication, change.peer_authentication,
               [](const PeerAuthentication& p) { return std::pair(p.namespace_, p.service); });
  replaceOrAdd(config.security.authorization, change.authorization,
               [](const AuthorizationPolicy& a) { return a.name; });
}

}  // namespace meshproof::config
