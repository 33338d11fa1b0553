// One pass over a whole, plain HTTP/1.1 message; anything else is Beast's.
#include "mesh/live/proxy/http_fast_parse.h"

#include <boost/beast/core/string.hpp>

namespace meshproof::live {
namespace {

constexpr std::uint64_t kFastBodyMax = 64 * 1024;

// RFC 7230 tchar.
struct TokenTable {
  bool token[256] = {};
  constexpr TokenTable() {
    for (int c = '0'; c <= '9'; ++c) token[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) token[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) token[c] = true;
    for (char c : std::string_view("!#$%&'*+-.^_`|~")) token[static_cast<unsigned char>(c)] = true;
  }
};
constexpr TokenTable kTokens;

bool isToken(char c) { return kTokens.token[static_cast<unsigned char>(c)]; }
bool isVisible(char c) { return c > 0x20 && c < 0x7f; }
bool isBlank(char c) { return c == ' ' || c == '\t'; }

// "HTTP/1.1" or "HTTP/1.0" at `p` (8 bytes available): 11 or 10, else 0.
unsigned version(const char* p) {
  if (std::string_view(p, 7) != "HTTP/1.") return 0;
  if (p[7] == '1') return 11;
  if (p[7] == '0') return 10;
  return 0;
}

template <bool isRequest>
FastParse parse(std::string_view data, HttpHead<isRequest>& into, std::size_t& used, std::size_t header_limit,
                std::uint64_t body_limit) {
  const std::size_t head_end = data.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return FastParse::kFallback;  // not all here yet
  const std::size_t head_size = head_end + 4;
  if (head_size > header_limit) return FastParse::kFallback;
  const char* p = data.data();
  const char* const head = p + head_end + 2;  // the empty line that ends the head
  into.clear();
  into.reserve(head_size);  // one allocation for the text, not one per doubling

  // ---- start line ----
  const char* line_end = static_cast<const char*>(std::memchr(p, '\r', static_cast<std::size_t>(head - p)));
  if (line_end == nullptr || line_end[1] != '\n') return FastParse::kFallback;
  if constexpr (isRequest) {
    const char* method = p;
    while (p < line_end && *p >= 'A' && *p <= 'Z') ++p;
    if (p == method || p >= line_end || *p != ' ') return FastParse::kFallback;
    const std::string_view method_text(method, static_cast<std::size_t>(p - method));
    const char* target = ++p;
    while (p < line_end && isVisible(*p)) ++p;
    if (p == target || line_end - p != 9 || *p != ' ') return FastParse::kFallback;
    const unsigned v = version(p + 1);
    if (v == 0) return FastParse::kFallback;
    into.setRequestLine(beast_http::string_to_verb(method_text), method_text,
                        std::string_view(target, static_cast<std::size_t>(p - target)), v);
  } else {
    if (line_end - p < 13 || p[8] != ' ' || p[12] != ' ') return FastParse::kFallback;
    const unsigned v = version(p);
    if (v == 0) return FastParse::kFallback;
    unsigned status = 0;
    for (int i = 9; i < 12; ++i) {
      if (p[i] < '0' || p[i] > '9') return FastParse::kFallback;
      status = status * 10 + static_cast<unsigned>(p[i] - '0');
    }
    if (status < 200 || status == 204 || status == 304) return FastParse::kFallback;  // no body whatever it says
    for (const char* r = p + 13; r < line_end; ++r)
      if (!isVisible(*r) && !isBlank(*r)) return FastParse::kFallback;
    into.setStatusLine(status, std::string_view(p + 13, static_cast<std::size_t>(line_end - p - 13)), v);
  }
  p = line_end + 2;

  // ---- fields ----
  bool has_length = false, close = false, keep_alive_token = false;
  std::uint64_t length = 0;
  while (p < head) {
    const char* name = p;
    while (isToken(*p)) ++p;
    if (p == name || *p != ':') return FastParse::kFallback;
    const std::string_view name_text(name, static_cast<std::size_t>(p - name));
    ++p;
    while (isBlank(*p)) ++p;
    const char* value = p;
    const char* value_end = p;
    for (; *p != '\r'; ++p) {
      if (isVisible(*p)) {
        value_end = p + 1;
      } else if (!isBlank(*p)) {
        return FastParse::kFallback;
      }
    }
    if (p[1] != '\n') return FastParse::kFallback;
    const std::string_view value_text(value, static_cast<std::size_t>(value_end - value));
    p += 2;
    const beast_http::field id = beast_http::string_to_field(name_text);
    switch (id) {
      case beast_http::field::content_length: {
        if (has_length || value_text.empty() || value_text.size() > 18) return FastParse::kFallback;
        for (char c : value_text) {
          if (c < '0' || c > '9') return FastParse::kFallback;
          length = length * 10 + static_cast<std::uint64_t>(c - '0');
        }
        has_length = true;
        break;
      }
      case beast_http::field::transfer_encoding:
      case beast_http::field::upgrade:
        return FastParse::kFallback;
      case beast_http::field::connection:
        if (boost::beast::iequals(value_text, "close")) {
          close = true;
        } else if (boost::beast::iequals(value_text, "keep-alive")) {
          keep_alive_token = true;
        } else {
          return FastParse::kFallback;
        }
        break;
      default:
        break;
    }
    into.addField(id, name_text, value_text);
  }

  // ---- body ----
  if constexpr (!isRequest) {
    if (!has_length) return FastParse::kFallback;  // runs to the end of the connection
  }
  if (length > body_limit || length > kFastBodyMax || head_size + length > data.size()) return FastParse::kFallback;
  into.body().assign(data.data() + head_size, static_cast<std::size_t>(length));
  into.setKeepAlive(into.version() >= 11 ? !close : keep_alive_token && !close);
  used = head_size + static_cast<std::size_t>(length);
  return FastParse::kDone;
}

}  // namespace

FastParse fastParse(std::string_view data, HttpHead<true>& into, std::size_t& used, std::size_t header_limit,
                    std::uint64_t body_limit) {
  return parse<true>(data, into, used, header_limit, body_limit);
}

FastParse fastParse(std::string_view data, HttpHead<false>& into, std::size_t& used, std::size_t header_limit,
                    std::uint64_t body_limit) {
  return parse<false>(data, into, used, header_limit, body_limit);
}

}  // namespace meshproof::live
