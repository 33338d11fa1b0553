// The scenario loader: the top level of a scenario file (name, description, seed,
// duration), then every section in dependency order — mesh, network, services and
// their instances, cross-references from the mesh sections, canaries, changes, workload,
// changes, faults, expectations — so each reader can check its references.
#include "mesh/scenario/scenario_loader.h"

#include <limits>

#include "mesh/config/mesh_config_loader.h"
#include "mesh/scenario/section_readers.h"

namespace meshproof::scenario {

Plan readScenario(const config::Document& document) {
  const NodeReader root(document);
  root.expectOnly(config::scenarioTopLevelFields());
  Plan plan;
  plan.name = root.required("name").asNonEmptyString();
  root.readIfPresent("description", plan.description, &NodeReader::asString);
  if (auto seed = root.optional("seed"))
    plan.seed = static_cast<std::uint64_t>(seed->asIntInRange(0, std::numeric_limits<std::int64_t>::max()));
  plan.duration = root.required("duration").asPositiveDuration();
  plan.mesh = config::readMeshConfig(root);

  if (auto network = root.optional("network")) plan.network = readNetwork(*network);
  const NodeReader services = root.required("services");
  plan.services = readServices(services, plan.network);
  checkCalls(services, plan.services);
  plan.instances = expandInstances(services, plan.services);
  checkMeshReferences(root, plan);

  if (auto canaries = root.optional("canaries")) plan.canaries = readCanaries(*canaries, plan);
  if (auto changes = root.optional("changes")) plan.changes = readChanges(*changes, plan);
  if (auto workload = root.optional("workload")) plan.workload = readWorkload(*workload, plan);
  if (auto faults = root.optional("faults")) plan.faults = readFaults(*faults, plan);
  if (auto expect = root.optional("expect")) plan.expectations = readExpectations(*expect, plan);
  return plan;
}

Plan loadScenarioText(std::string_view text, std::string_view file_name) {
  return readScenario(config::parseDocument(text, file_name));
}

Plan loadScenarioFile(const std::string& path) { return readScenario(config::readDocumentFile(path)); }

}  // namespace meshproof::scenario
