// The `changes:` section: mesh resources (traffic, destinations, security policies)
// applied during the run at `at`, each validated like the sections of the same
// names unless `validate: false` asks for it to reach the sidecars unchecked (then
// only its format is checked: misspelt fields are still errors).
#include <map>

#include "mesh/config/mesh_config_loader.h"
#include "mesh/scenario/reader_helpers.h"
#include "mesh/scenario/section_readers.h"

namespace meshproof::scenario {
namespace {

ConfigChange readChange(const NodeReader& node, const Plan& plan) {
  node.expectOnly({"name", "at", "traffic", "destinations", "security", "validate"});
  ConfigChange change;
  change.name = node.required("name").asNonEmptyString();
  change.at = readTimeBeforeEnd(node.required("at"), plan.duration);
  node.readIfPresent("validate", change.validate, &NodeReader::asBool);
  if (!node.has("traffic") && !node.has("destinations") && !node.has("security"))
    node.fail("give traffic, destinations or security: the resources the change applies");
  change.change = config::readMeshChange(node, change.validate ? config::Checks::kFull : config::Checks::kFormatOnly);
  if (change.validate) checkMeshReferences(node, plan);
  return change;
}

}  // namespace

std::vector<ConfigChange> readChanges(const NodeReader& node, const Plan& plan) {
  std::vector<ConfigChange> changes;
  std::map<std::string, int> line_by_name;
  for (const auto& item : node.items()) {
    ConfigChange change = readChange(item, plan);
    const NodeReader name = item.required("name");
    auto [seen, inserted] = line_by_name.emplace(change.name, name.line());
    if (!inserted)
      name.fail("duplicate change name \"" + change.name + "\" (first at line " + std::to_string(seen->second) + ")");
    changes.push_back(std::move(change));
  }
  return changes;
}

}  // namespace meshproof::scenario
