// Small checks shared by the scenario section readers: names, references to
// services, versions and zones (failing with a did-you-mean), SPIFFE principals, and
// points in time that must fall inside the run.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "mesh/config/node_reader.h"
#include "mesh/scenario/plan.h"

namespace meshproof::scenario {

using config::NodeReader;

// A name used in instance names and identities: letters, digits, '-', '_' and '.',
// starting with a letter or digit.
std::string readName(const NodeReader& node);

// Fails at `node` with `message` ("unknown service \"x\"") plus a did-you-mean for
// `name`, or the list of known names when none is close.
[[noreturn]] void failUnknown(const NodeReader& node, const std::string& message, const std::string& name,
                              const std::vector<std::string>& known);

// The service the string at `node` names; fails when unknown.
const Service& readServiceReference(const NodeReader& node, const Plan& plan);
const Service& findServiceReference(const NodeReader& node, const std::vector<Service>& services);
// The version of `service` the string at `node` names; fails when unknown.
std::string readVersionReference(const NodeReader& node, const Service& service);
// The zone the string at `node` names; fails when unknown.
std::string readZoneReference(const NodeReader& node, const Network& network);

// "trustdomain/ns/<namespace>/sa/<service account>", every part non-empty.
bool isPrincipal(std::string_view text);
std::string readPrincipal(const NodeReader& node);

// A duration from the start of the run that must be before its end (fault `at`,
// expectation `after`) or at most its end (workload `stop`, window `to`).
TimeNs readTimeBeforeEnd(const NodeReader& node, DurationNs run_duration);
TimeNs readTimeUpToEnd(const NodeReader& node, DurationNs run_duration);

// "a, b, c".
std::string joinNames(const std::vector<std::string>& names);

}  // namespace meshproof::scenario
