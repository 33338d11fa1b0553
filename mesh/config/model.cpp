// Behaviour that belongs to the configuration values themselves.
#include "mesh/config/model.h"

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

}  // namespace meshproof::config
