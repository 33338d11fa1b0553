// The configuration a snapshot carries, as a recipe: the scenario's mesh sections,
// then the first `changes_applied` of its changes (in file order, as the control
// plane applied them at their times), then each canary's current weight. The control
// plane builds snapshots from it, and live mode sends the recipe on the wire (every
// process holds the scenario) and rebuilds the very same configuration from it.
#pragma once
#include <map>
#include <memory>
#include <string>

#include "mesh/config/model.h"
#include "mesh/scenario/plan.h"

namespace meshproof::control {

struct ConfigRecipe {
  std::size_t changes_applied = 0;
  std::map<std::string, int> canary_weights;  // service -> the canary's weight, 0-100
  bool operator==(const ConfigRecipe&) const = default;
};

// The mesh sections with the first `changes_applied` changes applied.
config::MeshConfig withChanges(const config::MeshConfig& base, const std::vector<scenario::ConfigChange>& changes,
                               std::size_t changes_applied);

// `desired` (mesh sections and changes) with the canaries' weights.
std::shared_ptr<const config::MeshConfig> withCanaryWeights(const config::MeshConfig& desired,
                                                            const std::vector<scenario::Canary>& canaries,
                                                            const std::map<std::string, int>& weights);

// withCanaryWeights(withChanges(...)) for a recipe.
std::shared_ptr<const config::MeshConfig> buildConfig(const config::MeshConfig& base,
                                                      const std::vector<scenario::ConfigChange>& changes,
                                                      const std::vector<scenario::Canary>& canaries,
                                                      const ConfigRecipe& recipe);

}  // namespace meshproof::control
