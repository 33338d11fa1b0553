// NodeReader: typed, validated access to one node of a configuration document. It
// carries the node's field path ("traffic[0].http[1].timeout") and line, so every
// check can throw a ConfigError that names file, line and field. Loaders for each
// section of a scenario are written with it:
//
//   NodeReader r = root.required("destinations").items()[0];
//   r.expectOnly({"service", "loadBalancer"});
//   rule.service = r.required("service").asNonEmptyString();
//   r.readIfPresent("loadBalancer", rule.load_balancer,
//                   [](const NodeReader& n) { return n.asEnum(kLbPolicyNames); });
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "mesh/config/config_error.h"
#include "mesh/config/document.h"
#include "mesh/core/time.h"

namespace meshproof::config {

// The accepted spellings of an enumeration, in the order error messages list them.
template <typename E>
using EnumNames = std::vector<std::pair<std::string_view, E>>;

class NodeReader {
 public:
  // The root of a document (path "", line of its first token).
  explicit NodeReader(const Document& document);
  NodeReader(YAML::Node node, std::string path, int line, std::shared_ptr<const std::string> file_name);

  const std::string& path() const { return path_; }
  int line() const { return line_; }  // 1-based
  const std::string& fileName() const { return *file_name_; }
  const YAML::Node& node() const { return node_; }

  // A ConfigError at this node's line and path; fail() throws it.
  ConfigError error(const std::string& message) const;
  [[noreturn]] void fail(const std::string& message) const;

  bool isNull() const { return node_.IsNull(); }
  bool isMap() const { return node_.IsMap(); }
  bool isList() const { return node_.IsSequence(); }
  bool isScalar() const { return node_.IsScalar(); }
  bool isQuoted() const;  // a quoted scalar: a string even if it reads like a number

  // ---- maps ----
  void expectMap() const;
  // Requires a map whose keys are all in `known_fields`; an unknown key fails at its
  // own line with "unknown field 'x'" plus a did-you-mean suggestion or the list.
  void expectOnly(const std::vector<std::string>& known_fields) const;
  bool has(std::string_view key) const;
  NodeReader required(std::string_view key) const;                 // fails when absent
  std::optional<NodeReader> optional(std::string_view key) const;  // nullopt when absent
  std::vector<std::pair<std::string, NodeReader>> entries() const;  // in file order
  // Applies `read` to the field when present and stores the result in `target`.
  template <typename T, typename Read>
  bool readIfPresent(std::string_view key, T& target, Read&& read) const {
    auto field = optional(key);
    if (!field) return false;
    target = std::invoke(std::forward<Read>(read), *field);
    return true;
  }

  // ---- lists ----
  std::vector<NodeReader> items() const;  // fails unless a list
  std::vector<NodeReader> nonEmptyItems() const;

  // ---- scalars ----
  std::string asString() const;  // any scalar's text; fails on maps, lists, nothing
  std::string asNonEmptyString() const;
  std::vector<std::string> asStringList() const;
  std::int64_t asInt64() const;  // plain integer; a quoted "3" is a string, not 3
  int asInt() const;
  std::int64_t asIntInRange(std::int64_t min, std::int64_t max) const;
  int asNonNegativeInt() const;
  double asNumber() const;  // plain finite number (integer or decimal)
  double asNumberInRange(double min, double max) const;
  double asPercentage() const;  // a number in 0-100
  bool asBool() const;          // true | false
  DurationNs asDuration() const;          // "250ms", "1.5s"; a bare number fails
  DurationNs asPositiveDuration() const;  // as asDuration, and more than 0
  std::int64_t asBandwidthBps() const;    // "10Gbps" -> 10'000'000'000
  template <typename E>
  E asEnum(const EnumNames<E>& names) const {
    const std::string text = asString();
    for (const auto& [name, value] : names)
      if (name == text) return value;
    std::vector<std::string> allowed;
    for (const auto& entry : names) allowed.emplace_back(entry.first);
    failNotOneOf(text, allowed);
  }

  // "the string \"3\"", "\"abc\"", "a map", "a list", "nothing": for type errors.
  std::string describe() const;

 private:
  [[noreturn]] void failNotOneOf(const std::string& text, const std::vector<std::string>& allowed) const;
  [[noreturn]] void failType(std::string_view expected) const;
  std::string childPath(std::string_view key) const;

  YAML::Node node_;
  std::string path_;
  int line_;
  std::shared_ptr<const std::string> file_name_;
};

}  // namespace meshproof::config
