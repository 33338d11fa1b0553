// Header lookup and the response-flag names.
#include "mesh/core/http.h"

#include <algorithm>

namespace meshproof {
namespace {
char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lowerAscii(c);
  return out;
}

// Whether a stored (lower-case) name is `name` in any case: no lowered copy to compare.
bool sameName(const std::string& stored, std::string_view name) {
  if (stored.size() != name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (stored[i] != lowerAscii(name[i])) return false;
  return true;
}
}  // namespace

Headers::Headers(std::initializer_list<Header> items) {
  for (const auto& h : items) set(h.name, h.value);
}

const std::string* Headers::find(std::string_view name) const {
  for (const auto& h : items_)
    if (h.name == name) return &h.value;
  return nullptr;
}

void Headers::set(std::string_view name, std::string_view value) {
  for (auto& h : items_) {
    if (sameName(h.name, name)) {
      h.value.assign(value);
      return;
    }
  }
  items_.push_back(Header{lower(name), std::string(value)});
}

void Headers::setOwned(std::string_view name, std::string value) {
  for (auto& h : items_) {
    if (sameName(h.name, name)) {
      h.value = std::move(value);
      return;
    }
  }
  items_.push_back(Header{lower(name), std::move(value)});
}

void Headers::remove(std::string_view name) {
  items_.erase(std::remove_if(items_.begin(), items_.end(), [&](const Header& h) { return sameName(h.name, name); }),
               items_.end());
}

const std::vector<ResponseFlag>& allResponseFlags() {
  static const std::vector<ResponseFlag> flags = {
      kNoHealthyUpstream,  kUpstreamConnectionFailure, kUpstreamOverflow, kUpstreamRetryLimitExceeded,
      kUpstreamRequestTimeout, kDelayInjected, kFaultInjected, kRbacDenied, kMtlsRejected,
      kUpstreamConnectionTermination, kUpstreamRemoteReset, kLocalReset, kNoRouteFound,
      kDownstreamConnectionTermination};
  return flags;
}

std::string_view responseFlagName(ResponseFlag flag) {
  switch (flag) {
    case kUpstreamConnectionFailure: return "UF";
    case kUpstreamOverflow: return "UO";
    case kNoHealthyUpstream: return "UH";
    case kUpstreamRetryLimitExceeded: return "URX";
    case kUpstreamRequestTimeout: return "UT";
    case kDelayInjected: return "DI";
    case kFaultInjected: return "FI";
    case kRbacDenied: return "RBAC";
    case kMtlsRejected: return "UMTLS";
    case kUpstreamConnectionTermination: return "UC";
    case kUpstreamRemoteReset: return "UR";
    case kLocalReset: return "LR";
    case kNoRouteFound: return "NR";
    case kDownstreamConnectionTermination: return "DC";
    case kNoFlags: break;
  }
  return "?";
}

std::string responseFlagsToString(ResponseFlags flags) {
  std::string out;
  for (ResponseFlag f : allResponseFlags()) {
    if (flags & f) {
      if (!out.empty()) out += ',';
      out += responseFlagName(f);
    }
  }
  return out.empty() ? "-" : out;
}

}  // namespace meshproof
