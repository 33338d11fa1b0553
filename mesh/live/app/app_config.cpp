// Loading an application process's configuration from the run directory (see
// app_config.h).
#include "mesh/live/app/app_config.h"

#include <exception>

#include "mesh/app/scenario_behavior.h"
#include "mesh/config/config_error.h"
#include "mesh/live/run_layout.h"
#include "mesh/scenario/scenario_loader.h"

namespace meshproof::live {

namespace {

std::string instanceNames(const scenario::Plan& plan) {
  std::string names;
  for (const auto& inst : plan.instances) {
    if (names.size() > 200) return names + ", ...";
    names += (names.empty() ? "" : ", ") + inst.name;
  }
  return names.empty() ? "none" : names;
}

}  // namespace

AppConfig loadAppConfig(const std::string& run_dir, const std::string& instance, std::optional<std::uint64_t> seed) {
  const std::string plan_file = run_dir + "/plan.yaml";
  scenario::Plan plan;
  try {
    plan = scenario::loadScenarioFile(plan_file);
  } catch (const config::ConfigError& e) {
    throw AppConfigError(e.what());
  } catch (const std::exception& e) {
    throw AppConfigError(plan_file + ": " + e.what());
  }
  RunLayout layout;
  try {
    layout = RunLayout::read(run_dir);
  } catch (const std::exception& e) {
    throw AppConfigError(e.what());
  }

  const scenario::Instance* inst = plan.instance(instance);
  if (!inst)
    throw AppConfigError(plan_file + ": no instance \"" + instance + "\" (instances: " + instanceNames(plan) + ")");
  const NodePorts* ports = layout.node(instance);
  const std::string layout_file = layout.path("run.json");
  if (!ports) throw AppConfigError(layout_file + ": nodes: no node \"" + instance + "\"");
  if (ports->app == 0) throw AppConfigError(layout_file + ": nodes." + instance + ".app: no port (0)");
  if (ports->app_admin == 0) throw AppConfigError(layout_file + ": nodes." + instance + ".app_admin: no port (0)");
  if (ports->outbound == 0 && !plan.service(inst->service)->version(inst->version)->behavior.calls.empty())
    throw AppConfigError(layout_file + ": nodes." + instance + ".outbound: no port (0), but " + instance +
                         " makes downstream calls");

  AppConfig config;
  config.instance = instance;
  config.behavior = app::behaviorFromScenario(plan.service(inst->service)->version(inst->version)->behavior);
  config.seed = seed.value_or(plan.seed);
  config.t0 = layout.t0;
  config.app_port = ports->app;
  config.outbound_port = ports->outbound;
  config.admin_port = ports->app_admin;
  return config;
}

}  // namespace meshproof::live
