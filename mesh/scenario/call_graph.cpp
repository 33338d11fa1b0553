// Checks the downstream calls of every version: each names a known service, and the
// calls between services form no cycle (a -> b -> a would make the application
// model recurse forever). Services are visited in file order, calls in order, so
// the cycle reported is always the same one.
#include <optional>

#include "mesh/scenario/reader_helpers.h"
#include "mesh/scenario/section_readers.h"

namespace meshproof::scenario {
namespace {

struct CallEdge {
  std::size_t callee;
  NodeReader at;  // the call's `service` field
};

class CycleFinder {
 public:
  explicit CycleFinder(const std::vector<std::vector<CallEdge>>& edges, const std::vector<Service>& services)
      : edges_(edges), services_(services), state_(services.size(), State::kUnvisited) {}

  void check() {
    for (std::size_t s = 0; s < services_.size(); ++s)
      if (state_[s] == State::kUnvisited) visit(s);
  }

 private:
  enum class State { kUnvisited, kOnPath, kDone };

  void visit(std::size_t service) {
    state_[service] = State::kOnPath;
    path_.push_back(service);
    for (const auto& edge : edges_[service]) {
      if (state_[edge.callee] == State::kOnPath) failCycle(edge);
      if (state_[edge.callee] == State::kUnvisited) visit(edge.callee);
    }
    path_.pop_back();
    state_[service] = State::kDone;
  }

  [[noreturn]] void failCycle(const CallEdge& closing) const {
    std::size_t start = 0;
    while (path_[start] != closing.callee) ++start;
    std::string cycle;
    for (std::size_t i = start; i < path_.size(); ++i) cycle += services_[path_[i]].name + " -> ";
    cycle += services_[closing.callee].name;
    closing.at.fail("calls form a cycle: " + cycle + " (a request would recurse forever)");
  }

  const std::vector<std::vector<CallEdge>>& edges_;
  const std::vector<Service>& services_;
  std::vector<State> state_;
  std::vector<std::size_t> path_;
};

std::size_t indexOf(const Service& service, const std::vector<Service>& services) {
  return static_cast<std::size_t>(&service - services.data());
}

}  // namespace

void checkCalls(const NodeReader& services_node, const std::vector<Service>& services) {
  std::vector<std::vector<CallEdge>> edges(services.size());
  const auto service_nodes = services_node.items();
  for (std::size_t s = 0; s < services.size(); ++s) {
    for (const auto& version_node : service_nodes[s].required("versions").items()) {
      const auto calls = version_node.required("behavior").optional("calls");
      if (!calls) continue;
      for (const auto& call : calls->items()) {
        const NodeReader callee_node = call.required("service");
        const Service& callee = findServiceReference(callee_node, services);
        edges[s].push_back(CallEdge{indexOf(callee, services), callee_node});
      }
    }
  }
  CycleFinder(edges, services).check();
}

}  // namespace meshproof::scenario
