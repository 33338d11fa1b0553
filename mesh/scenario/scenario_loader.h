// Loading a whole scenario file (SCENARIO.md) from YAML or JSON into a validated
// Plan: the file is parsed once, the mesh sections are read by mesh/config, the
// rest here, and every cross-reference (services, versions, zones, instances,
// canaries) is checked. Every problem throws config::ConfigError, whose what() reads
// "<file>:<line>: <field.path>: <message>", e.g.
//   shop.yaml:31: traffic[0].http[1].route[1].subset: unknown version "v3" of checkout; did you mean 'v2'?
#pragma once
#include <string>
#include <string_view>

#include "mesh/config/config_error.h"
#include "mesh/config/document.h"
#include "mesh/scenario/plan.h"

namespace meshproof::scenario {

// Reads and validates an already parsed scenario document.
Plan readScenario(const config::Document& document);

// Parses `text` (format by file_name's extension, else by content) and reads it.
Plan loadScenarioText(std::string_view text, std::string_view file_name);

// Reads the file at `path`; messages name the file as given.
Plan loadScenarioFile(const std::string& path);

}  // namespace meshproof::scenario
