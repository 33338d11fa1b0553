// NodeReader: type checks and conversions of yaml-cpp nodes, each failure reported
// as a ConfigError at the node's file, line and field path.
#include "mesh/config/node_reader.h"

#include <charconv>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "mesh/config/edit_distance.h"
#include "mesh/config/units.h"

namespace meshproof::config {
namespace {

int markLine(const YAML::Node& node, int fallback) {
  if (!node.IsDefined()) return fallback;
  const int line = node.Mark().line;
  return line >= 0 ? line + 1 : fallback;
}

std::string joinList(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

// Whole numbers without a decimal point, others with up to 15 significant digits.
std::string formatNumber(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<long long>(value));
  std::ostringstream out;
  out << std::setprecision(15) << value;
  return out.str();
}

// "0-100", or "-5 to 5" when a dash would be ambiguous.
std::string formatRange(double min, double max) {
  return formatNumber(min) + (min < 0 ? " to " : "-") + formatNumber(max);
}

bool isPlainInteger(std::string_view text) {
  if (!text.empty() && text[0] == '-') text.remove_prefix(1);
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

NodeReader::NodeReader(const Document& document)
    : node_(document.root),
      path_(),
      line_(markLine(document.root, 1)),
      file_name_(std::make_shared<const std::string>(document.file_name)) {}

NodeReader::NodeReader(YAML::Node node, std::string path, int line, std::shared_ptr<const std::string> file_name)
    : node_(std::move(node)), path_(std::move(path)), line_(line), file_name_(std::move(file_name)) {}

ConfigError NodeReader::error(const std::string& message) const {
  return ConfigError(*file_name_, line_, path_.empty() ? "(top level)" : path_, message);
}

void NodeReader::fail(const std::string& message) const { throw error(message); }

bool NodeReader::isQuoted() const { return node_.IsScalar() && node_.Tag() == "!"; }

std::string NodeReader::describe() const {
  if (!node_.IsDefined() || node_.IsNull()) return "nothing";
  if (node_.IsMap()) return "a map";
  if (node_.IsSequence()) return "a list";
  if (isQuoted()) return "the string \"" + node_.Scalar() + "\"";
  return "\"" + node_.Scalar() + "\"";
}

void NodeReader::failType(std::string_view expected) const {
  fail("expected " + std::string(expected) + ", got " + describe());
}

void NodeReader::failNotOneOf(const std::string& text, const std::vector<std::string>& allowed) const {
  fail("\"" + text + "\" is not one of " + joinList(allowed) + didYouMean(text, allowed));
}

std::string NodeReader::childPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

// ---- maps ---------------------------------------------------------------------------

void NodeReader::expectMap() const {
  if (!node_.IsMap()) failType("a map");
}

void NodeReader::expectOnly(const std::vector<std::string>& known_fields) const {
  expectMap();
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const std::string key = it->first.Scalar();
    bool known = false;
    for (const auto& field : known_fields) known = known || field == key;
    if (known) continue;
    std::string message = "unknown field '" + key + "'";
    const std::string suggestion = didYouMean(key, known_fields);
    message += suggestion.empty() ? "; expected one of: " + joinList(known_fields) : suggestion;
    throw ConfigError(*file_name_, markLine(it->first, line_), childPath(key), message);
  }
}

bool NodeReader::has(std::string_view key) const { return optional(key).has_value(); }

std::optional<NodeReader> NodeReader::optional(std::string_view key) const {
  expectMap();
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (it->first.Scalar() != key) continue;
    const int key_line = markLine(it->first, line_);
    // An empty value ("timeout:") has no token of its own: report it at its key.
    const int line = it->second.IsNull() ? key_line : markLine(it->second, key_line);
    return NodeReader(it->second, childPath(key), line, file_name_);
  }
  return std::nullopt;
}

NodeReader NodeReader::required(std::string_view key) const {
  if (auto field = optional(key)) return *field;
  fail("required field '" + std::string(key) + "' is missing");
}

std::vector<std::pair<std::string, NodeReader>> NodeReader::entries() const {
  expectMap();
  std::vector<std::pair<std::string, NodeReader>> out;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const std::string key = it->first.Scalar();
    const int key_line = markLine(it->first, line_);
    const int line = it->second.IsNull() ? key_line : markLine(it->second, key_line);
    out.emplace_back(key, NodeReader(it->second, childPath(key), line, file_name_));
  }
  return out;
}

// ---- lists --------------------------------------------------------------------------

std::vector<NodeReader> NodeReader::items() const {
  if (!node_.IsSequence()) failType("a list");
  std::vector<NodeReader> out;
  std::size_t index = 0;
  for (const auto& item : node_) {
    out.emplace_back(item, path_ + "[" + std::to_string(index) + "]", markLine(item, line_), file_name_);
    ++index;
  }
  return out;
}

std::vector<NodeReader> NodeReader::nonEmptyItems() const {
  auto out = items();
  if (out.empty()) fail("must not be empty");
  return out;
}

// ---- scalars ------------------------------------------------------------------------

std::string NodeReader::asString() const {
  if (!node_.IsScalar()) failType("a string");
  return node_.Scalar();
}

std::string NodeReader::asNonEmptyString() const {
  std::string text = asString();
  if (text.empty()) fail("must not be empty");
  return text;
}

std::vector<std::string> NodeReader::asStringList() const {
  std::vector<std::string> out;
  for (const auto& item : items()) out.push_back(item.asString());
  return out;
}

std::int64_t NodeReader::asInt64() const {
  if (!node_.IsScalar() || isQuoted() || !isPlainInteger(node_.Scalar())) failType("an integer");
  const std::string& text = node_.Scalar();
  std::int64_t value = 0;
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (status != std::errc() || end != text.data() + text.size()) fail(text + " is too large");
  return value;
}

std::int64_t NodeReader::asIntInRange(std::int64_t min, std::int64_t max) const {
  const std::int64_t value = asInt64();
  if (value >= min && value <= max) return value;
  const bool unbounded_above = max >= std::numeric_limits<int>::max();
  if (value < min && unbounded_above) fail(node_.Scalar() + " must be at least " + std::to_string(min));
  fail(node_.Scalar() + " is outside " + formatRange(static_cast<double>(min), static_cast<double>(max)));
}

int NodeReader::asInt() const {
  return static_cast<int>(asIntInRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

int NodeReader::asNonNegativeInt() const {
  return static_cast<int>(asIntInRange(0, std::numeric_limits<int>::max()));
}

double NodeReader::asNumber() const {
  if (!node_.IsScalar() || isQuoted()) failType("a number");
  const std::string& text = node_.Scalar();
  double value = 0;
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || status != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    failType("a number");
  return value;
}

double NodeReader::asNumberInRange(double min, double max) const {
  const double value = asNumber();
  if (value < min || value > max) {
    fail(node_.Scalar() + " is outside " + formatRange(min, max));
  }
  return value;
}

double NodeReader::asPercentage() const { return asNumberInRange(0, 100); }

bool NodeReader::asBool() const {
  if (node_.IsScalar() && !isQuoted()) {
    const std::string& text = node_.Scalar();
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
  }
  failType("true or false");
}

DurationNs NodeReader::asDuration() const {
  if (!node_.IsScalar()) failType("a duration such as 10s or 250ms");
  try {
    return parseDuration(node_.Scalar());
  } catch (const ValueError& problem) {
    fail(problem.what());
  }
}

DurationNs NodeReader::asPositiveDuration() const {
  const DurationNs duration = asDuration();
  if (duration <= 0) fail("must be longer than 0s");
  return duration;
}

std::int64_t NodeReader::asBandwidthBps() const {
  if (!node_.IsScalar()) failType("a bandwidth such as 10Gbps or 500kbps");
  try {
    return parseBandwidthBps(node_.Scalar());
  } catch (const ValueError& problem) {
    fail(problem.what());
  }
}

}  // namespace meshproof::config
