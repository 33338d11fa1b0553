// JSON string escaping (RFC 8259, section 7).
#include "chaos/text/json_string.h"

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
}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  // Fast path: names, paths and ids rarely need escaping; copy runs of plain bytes at once.
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start;
    while (end < text.size() && !needsEscape(text[end])) ++end;
    out.append(text.data() + start, end - start);
    if (end == text.size()) break;
    start = end + 1;
    const char c = text[end];
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0xf];
          out += kHex[c & 0xf];
        }
    }
  }
  out.push_back('"');
}

}  // namespace meshproof::chaos
