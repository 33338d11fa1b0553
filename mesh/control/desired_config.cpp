// Building a snapshot's configuration from its recipe.
#include "mesh/control/desired_config.h"

#include <algorithm>

#include "mesh/control/canary_routing.h"

namespace meshproof::control {

config::MeshConfig withChanges(const config::MeshConfig& base, const std::vector<scenario::ConfigChange>& changes,
                               std::size_t changes_applied) {
  config::MeshConfig config = base;
  for (std::size_t i = 0; i < std::min(changes_applied, changes.size()); ++i) config::applyChange(config, changes[i].change);
  return config;
}

std::shared_ptr<const config::MeshConfig> withCanaryWeights(const config::MeshConfig& desired,
                                                            const std::vector<scenario::Canary>& canaries,
                                                            const std::map<std::string, int>& weights) {
  auto config = std::make_shared<config::MeshConfig>(desired);
  for (const auto& canary : canaries)
    if (auto it = weights.find(canary.service); it != weights.end()) setCanaryWeight(*config, canary, it->second);
  return config;
}

std::shared_ptr<const config::MeshConfig> buildConfig(const config::MeshConfig& base,
                                                      const std::vector<scenario::ConfigChange>& changes,
                                                      const std::vector<scenario::Canary>& canaries,
                                                      const ConfigRecipe& recipe) {
  return withCanaryWeights(withChanges(base, changes, recipe.changes_applied), canaries, recipe.canary_weights);
}

}  // namespace meshproof::control
