// Shared checks of the scenario readers: names, references, principals, times.
#include "mesh/scenario/reader_helpers.h"

#include "mesh/config/edit_distance.h"
#include "mesh/config/units.h"

namespace meshproof::scenario {
namespace {

bool isNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool isNameChar(char c) { return isNameStart(c) || c == '-' || c == '_' || c == '.'; }

}  // namespace

std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string readName(const NodeReader& node) {
  std::string name = node.asNonEmptyString();
  bool valid = isNameStart(name.front());
  for (char c : name) valid = valid && isNameChar(c);
  if (!valid)
    node.fail("\"" + name + "\" is not a valid name: use letters, digits, '-', '_' and '.', starting with a letter "
              "or digit");
  return name;
}

void failUnknown(const NodeReader& node, const std::string& message, const std::string& name,
                 const std::vector<std::string>& known) {
  const std::string suggestion = config::didYouMean(name, known);
  if (!suggestion.empty()) node.fail(message + suggestion);
  if (known.empty()) node.fail(message + " (there are none)");
  node.fail(message + " (known: " + joinNames(known) + ")");
}

const Service& findServiceReference(const NodeReader& node, const std::vector<Service>& services) {
  const std::string name = node.asNonEmptyString();
  std::vector<std::string> known;
  for (const auto& service : services) {
    if (service.name == name) return service;
    known.push_back(service.name);
  }
  failUnknown(node, "unknown service \"" + name + "\"", name, known);
}

const Service& readServiceReference(const NodeReader& node, const Plan& plan) {
  return findServiceReference(node, plan.services);
}

std::string readVersionReference(const NodeReader& node, const Service& service) {
  const std::string name = node.asNonEmptyString();
  std::vector<std::string> known;
  for (const auto& version : service.versions) {
    if (version.name == name) return name;
    known.push_back(version.name);
  }
  failUnknown(node, service.name + " has no version \"" + name + "\"", name, known);
}

std::string readZoneReference(const NodeReader& node, const Network& network) {
  const std::string name = node.asNonEmptyString();
  std::vector<std::string> known;
  for (const auto& zone : network.zones) {
    if (zone.name == name) return name;
    known.push_back(zone.name);
  }
  failUnknown(node, "unknown zone \"" + name + "\"", name, known);
}

bool isPrincipal(std::string_view text) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto slash = text.find('/');
    parts.push_back(text.substr(0, slash));
    if (slash == std::string_view::npos) break;
    text.remove_prefix(slash + 1);
  }
  if (parts.size() != 5 || parts[1] != "ns" || parts[3] != "sa") return false;
  for (auto part : parts)
    if (part.empty()) return false;
  return true;
}

std::string readPrincipal(const NodeReader& node) {
  std::string principal = node.asNonEmptyString();
  if (!isPrincipal(principal))
    node.fail("\"" + principal + "\" is not a principal (expected <trustDomain>/ns/<namespace>/sa/<serviceAccount>)");
  return principal;
}

TimeNs readTimeBeforeEnd(const NodeReader& node, DurationNs run_duration) {
  const TimeNs time = node.asDuration();
  if (time >= run_duration)
    node.fail(node.asString() + " is not before the end of the run (duration: " +
              config::formatDuration(run_duration) + ")");
  return time;
}

TimeNs readTimeUpToEnd(const NodeReader& node, DurationNs run_duration) {
  const TimeNs time = node.asDuration();
  if (time > run_duration)
    node.fail(node.asString() + " is after the end of the run (duration: " + config::formatDuration(run_duration) +
              ")");
  return time;
}

}  // namespace meshproof::scenario
