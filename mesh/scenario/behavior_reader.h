// Reading a version's `behavior:` (the application model), and the HTTP method and
// path checks that workload entries share with calls. Internal to mesh/scenario.
#pragma once
#include <string>

#include "mesh/config/node_reader.h"
#include "mesh/scenario/plan.h"

namespace meshproof::scenario {

using config::NodeReader;

Behavior readBehavior(const NodeReader& node);
std::string readHttpMethod(const NodeReader& node);  // an upper-case token: GET, POST, ...
std::string readHttpPath(const NodeReader& node);    // starts with '/'

}  // namespace meshproof::scenario
