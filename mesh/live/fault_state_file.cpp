// The faults-in-force file of an instance: kept by the fault driver, read back by a
// process that starts again.
#include "mesh/live/fault_state_file.h"

#include <fstream>
#include <sstream>

namespace meshproof::live {

std::string faultStateFile(const std::string& run_dir, const std::string& instance) {
  return run_dir + "/" + instance + ".faults.json";
}

std::string faultStateFile(const RunLayout& layout, const std::string& instance) {
  return faultStateFile(layout.dir, instance);
}

void FaultState::put(const std::string& instance, const std::string& process, const std::string& route,
                     nlohmann::json body) {
  by_instance_[instance][process][route] = std::move(body);
}

void FaultState::remove(const std::string& instance, const std::string& process, const std::string& route) {
  auto it = by_instance_.find(instance);
  if (it == by_instance_.end() || !it->second.contains(process)) return;
  it->second[process].erase(route);
  if (it->second[process].empty()) it->second.erase(process);
}

const nlohmann::json* FaultState::find(const std::string& instance, const std::string& process,
                                       const std::string& route) const {
  auto it = by_instance_.find(instance);
  if (it == by_instance_.end()) return nullptr;
  auto p = it->second.find(process);
  if (p == it->second.end()) return nullptr;
  auto r = p->find(route);
  return r == p->end() ? nullptr : &*r;
}

void FaultState::save(const RunLayout& layout, const std::string& instance) const {
  auto it = by_instance_.find(instance);
  const nlohmann::json state = it == by_instance_.end() ? nlohmann::json::object() : it->second;
  writeFileWhole(faultStateFile(layout, instance), state.dump() + "\n");
}

std::vector<std::string> applySavedFaults(const std::string& file, const std::string& process,
                                          const http::AdminServer& admin) {
  std::ifstream in(file);
  if (!in) return {};  // no fault was ever in force on this instance
  std::stringstream text;
  text << in.rdbuf();
  const auto state = nlohmann::json::parse(text.str(), nullptr, false);
  if (state.is_discarded() || !state.is_object()) return {file + ": not a JSON object"};
  std::vector<std::string> problems;
  const auto part = state.find(process);
  if (part == state.end()) return problems;
  if (!part->is_object()) return {file + ": \"" + process + "\" is not an object"};
  for (const auto& [route, body] : part->items()) {
    const std::string serialised = body.dump();
    const http::AdminResponse answer = admin.dispatch({"PUT", route, "", serialised});
    if (answer.status != 200) {
      std::string said = answer.body;
      while (!said.empty() && said.back() == '\n') said.pop_back();
      problems.push_back(file + ": PUT " + route + " " + serialised + " answered " + std::to_string(answer.status) +
                         ": " + said);
    }
  }
  return problems;
}

}  // namespace meshproof::live
