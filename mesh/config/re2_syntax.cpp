// A scan for the ECMAScript constructs RE2 lacks, outside character classes.
#include "mesh/config/re2_syntax.h"

namespace meshproof::config {

std::optional<std::string> re2Unsupported(std::string_view pattern) {
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      if (i + 1 < pattern.size() && !in_class && pattern[i + 1] >= '1' && pattern[i + 1] <= '9')
        return "back reference \\" + std::string(1, pattern[i + 1]) +
               " is not supported by RE2 (the sidecar's regex engine)";
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;  // "[]...]": a literal ]
      continue;
    }
    if (c == '(' && pattern.substr(i, 3) == "(?=") return "lookahead (?= is not supported by RE2 (the sidecar's regex engine)";
    if (c == '(' && pattern.substr(i, 3) == "(?!") return "lookahead (?! is not supported by RE2 (the sidecar's regex engine)";
    if (c == '(' && (pattern.substr(i, 4) == "(?<=" || pattern.substr(i, 4) == "(?<!"))
      return "lookbehind " + std::string(pattern.substr(i, 4)) + " is not supported by RE2 (the sidecar's regex engine)";
  }
  return std::nullopt;
}

}  // namespace meshproof::config
