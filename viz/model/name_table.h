// Interned names: every distinct string of a trace (service, instance, subset) is
// stored once and referred to by a small integer, so that a million request lines
// cost a few hash lookups each instead of a dozen string copies. Ids are handed out
// in first-seen order, which is deterministic for a given trace.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace meshproof::viz {

using NameId = std::uint32_t;

class NameTable {
 public:
  NameId intern(std::string_view name) {
    if (const auto it = ids_.find(name); it != ids_.end()) return it->second;
    const auto id = static_cast<NameId>(names_.size());
    names_.emplace_back(name);
    ids_.emplace(names_.back(), id);
    return id;
  }
  // False when the name was never interned.
  bool find(std::string_view name, NameId& id) const {
    const auto it = ids_.find(name);
    if (it == ids_.end()) return false;
    id = it->second;
    return true;
  }
  const std::string& name(NameId id) const { return names_[id]; }
  std::size_t size() const { return names_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> names_;
  // The map keeps its own copies: views into names_ would dangle when the vector
  // reallocates and moves short (in-place) strings.
  std::unordered_map<std::string, NameId, Hash, std::equal_to<>> ids_;
};

}  // namespace meshproof::viz
