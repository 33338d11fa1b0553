// JSON string literals written by hand (the trace writer controls every byte it
// emits): quotes, backslashes and control characters escaped, UTF-8 passed through.
#pragma once
#include <string>
#include <string_view>

namespace meshproof::chaos {

// Appends `text` as a quoted JSON string.
void appendJsonString(std::string& out, std::string_view text);

// The most bytes writeJsonString can write for `text`: every byte escaped as \u00XX,
// and the quotes.
constexpr std::size_t jsonStringBound(std::string_view text) { return 6 * text.size() + 2; }
// Writes `text` as a quoted JSON string at `at` (room for jsonStringBound(text)
// bytes); returns the end of what it wrote. appendJsonString writes the same bytes.
char* writeJsonString(char* at, std::string_view text);

}  // namespace meshproof::chaos
