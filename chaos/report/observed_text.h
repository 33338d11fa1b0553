// Observed values as one line of text, "successRate=99.5 latencyP99_ms=410.2", for
// the JUnit file and the summary table: keys in their order, strings bare, other
// values as compact JSON.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace meshproof::chaos {

std::string observedText(const nlohmann::ordered_json& observed);

}  // namespace meshproof::chaos
