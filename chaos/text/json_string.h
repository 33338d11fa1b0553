// JSON string literals written by hand (the trace writer controls every byte it
// emits): quotes, backslashes and control characters escaped, UTF-8 passed through.
#pragma once
#include <string>
#include <string_view>

namespace meshproof::chaos {

// Appends `text` as a quoted JSON string.
void appendJsonString(std::string& out, std::string_view text);

}  // namespace meshproof::chaos
