// What RE2 (Envoy's regex engine, hence Istio's) refuses although ECMAScript accepts
// it: lookaround assertions and back references. The loader reads regexes with
// std::regex, so it checks these separately to refuse what the sidecar would.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace meshproof::config {

// Why RE2 would refuse `pattern`, or nullopt when it has none of those constructs.
std::optional<std::string> re2Unsupported(std::string_view pattern);

}  // namespace meshproof::config
