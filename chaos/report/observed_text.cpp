// Flattens observed values into key=value text.
#include "chaos/report/observed_text.h"

namespace meshproof::chaos {

std::string observedText(const nlohmann::ordered_json& observed) {
  std::string out;
  for (const auto& [key, value] : observed.items()) {
    if (!out.empty()) out += ' ';
    out += key;
    out += '=';
    out += value.is_string() ? value.get<std::string>()
                             : value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
  return out;
}

}  // namespace meshproof::chaos
