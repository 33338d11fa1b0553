// JSON string escaping (RFC 8259, section 7).
#include "chaos/text/json_string.h"

#include <cstdint>
#include <cstring>

namespace meshproof::chaos {

namespace {
// One lookup per byte instead of three comparisons: the scan below runs over every
// byte of every string of every trace line.
struct EscapeTable {
  bool escape[256] = {};
  constexpr EscapeTable() {
    for (int c = 0; c < 0x20; ++c) escape[c] = true;
    escape[static_cast<unsigned char>('"')] = true;
    escape[static_cast<unsigned char>('\\')] = true;
  }
};
constexpr EscapeTable kEscape;
bool needsEscape(char c) { return kEscape.escape[static_cast<unsigned char>(c)]; }

// Whether any of 8 bytes needs escaping (a byte below 0x20, '"' or '\\'), with the
// classic word tricks (exact for "any"): the plain runs are skipped 8 bytes at a time.
bool wordNeedsEscape(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHighs = 0x8080808080808080ull;
  const std::uint64_t control = (w - kOnes * 0x20) & ~w & kHighs;
  const std::uint64_t q = w ^ (kOnes * static_cast<unsigned char>('"'));
  const std::uint64_t b = w ^ (kOnes * static_cast<unsigned char>('\\'));
  return (control | ((q - kOnes) & ~q & kHighs) | ((b - kOnes) & ~b & kHighs)) != 0;
}
}  // namespace

char* writeJsonString(char* at, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  *at++ = '"';
  // Fast path: names, paths and ids rarely need escaping; copy runs of plain bytes at once.
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start;
    for (std::uint64_t w; end + 8 <= text.size(); end += 8) {
      std::memcpy(&w, text.data() + end, 8);
      if (wordNeedsEscape(w)) break;
    }
    while (end < text.size() && !needsEscape(text[end])) ++end;
    std::memcpy(at, text.data() + start, end - start);
    at += end - start;
    if (end == text.size()) break;
    start = end + 1;
    const char c = text[end];
    *at++ = '\\';
    switch (c) {
      case '"': *at++ = '"'; break;
      case '\\': *at++ = '\\'; break;
      case '\n': *at++ = 'n'; break;
      case '\r': *at++ = 'r'; break;
      case '\t': *at++ = 't'; break;
      case '\b': *at++ = 'b'; break;
      case '\f': *at++ = 'f'; break;
      default:  // another control character
        *at++ = 'u';
        *at++ = '0';
        *at++ = '0';
        *at++ = kHex[(c >> 4) & 0xf];
        *at++ = kHex[c & 0xf];
    }
  }
  *at++ = '"';
  return at;
}

void appendJsonString(std::string& out, std::string_view text) {
  const std::size_t at = out.size();
  out.resize(at + jsonStringBound(text));
  out.resize(static_cast<std::size_t>(writeJsonString(out.data() + at, text) - out.data()));
}

}  // namespace meshproof::chaos
