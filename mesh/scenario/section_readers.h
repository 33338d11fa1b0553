// Readers of the scenario sections that mesh/config does not read, one per file,
// each turning its node into plan.h values and validating it against the sections
// read before it (passed in as the partly built Plan). Internal to mesh/scenario:
// other code uses scenario_loader.h.
#pragma once
#include <vector>

#include "mesh/config/node_reader.h"
#include "mesh/scenario/plan.h"

namespace meshproof::scenario {

using config::NodeReader;

Network readNetwork(const NodeReader& node);  // `network:`
// `services:`: names, defaults, zones (must be in `network`), behavior; calls to
// unknown services and call cycles are checked by checkCalls once all are read.
std::vector<Service> readServices(const NodeReader& node, const Network& network);
void checkCalls(const NodeReader& services_node, const std::vector<Service>& services);
// Expands the versions' replicas into named instances; two instances with the same
// name (service "a-b" v1 and service "a" version "b-v1") fail at the later version.
std::vector<Instance> expandInstances(const NodeReader& services_node, const std::vector<Service>& services);

// The mesh sections against the services and zones: traffic, destinations and
// security name known services, versions and zones.
void checkMeshReferences(const NodeReader& root, const Plan& plan);

std::vector<Canary> readCanaries(const NodeReader& node, const Plan& plan);       // `canaries:`
std::vector<ConfigChange> readChanges(const NodeReader& node, const Plan& plan);  // `changes:`
std::vector<Workload> readWorkload(const NodeReader& node, const Plan& plan);     // `workload:`
Target readTarget(const NodeReader& node, const Plan& plan);                      // a fault target
std::vector<Fault> readFaults(const NodeReader& node, const Plan& plan);          // `faults:`
std::vector<Expectation> readExpectations(const NodeReader& node, const Plan& plan);  // `expect:`

}  // namespace meshproof::scenario
