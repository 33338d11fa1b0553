// A W3C trace or span ID as the lower-case hex text the trace and access logs carry,
// held inline: every request event has one of each, two events per hop, and as
// std::string the 32- and 16-digit texts were each a heap allocation (beyond the
// short-string buffer). Up to N characters; more is refused (std::length_error),
// so that readers of a trace can turn it into an error naming the field.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace meshproof {

template <std::size_t N>
class HexId {
  static_assert(N < 256);

 public:
  static constexpr std::size_t kMaxSize = N;

  HexId() = default;
  HexId(std::string_view text) { assign(text); }  // NOLINT: implicit, as from a string
  HexId(const char* text) : HexId(std::string_view(text)) {}
  HexId& operator=(std::string_view text) {
    assign(text);
    return *this;
  }
  HexId& operator=(const char* text) { return *this = std::string_view(text); }

  std::string_view view() const { return {text_.data(), size_}; }
  operator std::string_view() const { return view(); }  // NOLINT
  std::string str() const { return std::string(view()); }
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  friend bool operator==(const HexId& a, const HexId& b) { return a.view() == b.view(); }
  friend bool operator==(const HexId& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const HexId& a, const char* b) { return a.view() == std::string_view(b); }
  friend auto operator<=>(const HexId& a, const HexId& b) { return a.view() <=> b.view(); }
  friend std::ostream& operator<<(std::ostream& out, const HexId& id) { return out << id.view(); }

 private:
  void assign(std::string_view text) {
    if (text.size() > N) throw std::length_error("longer than " + std::to_string(N) + " characters");
    text.copy(text_.data(), text.size());
    size_ = static_cast<std::uint8_t>(text.size());
  }

  std::array<char, N> text_{};
  std::uint8_t size_ = 0;
};

using TraceIdText = HexId<32>;  // 16 bytes
using SpanIdText = HexId<16>;   // 8 bytes

}  // namespace meshproof

template <std::size_t N>
struct std::hash<meshproof::HexId<N>> {
  std::size_t operator()(const meshproof::HexId<N>& id) const noexcept {
    return std::hash<std::string_view>()(id.view());
  }
};
