// The control plane's durable state as files in the run directory.
#include "mesh/live/control/control_state_file.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace meshproof::live {
namespace {

const char* const kStateFile = "control-plane.state.json";
const char* const kRegistryDir = "registry";

// The file's text, or nullopt when there is none.
std::optional<std::string> readText(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json parse(const std::string& file, const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw std::runtime_error(file + ": not a JSON object");
  return j;
}

}  // namespace

std::optional<SavedControlPlane> readControlPlaneState(const RunLayout& layout) {
  const std::string file = layout.path(kStateFile);
  const std::optional<std::string> text = readText(file);
  if (!text) return std::nullopt;
  try {
    const nlohmann::json j = parse(file, *text);
    SavedControlPlane saved;
    saved.starts = j.at("starts").get<unsigned>();
    saved.ca_revoked = j.at("ca_revoked").get<bool>();
    saved.state.version = j.at("version").get<std::uint64_t>();
    saved.state.changes_applied = j.at("changes_applied").get<std::size_t>();
    for (const auto& c : j.at("canaries"))
      saved.state.canaries.push_back({c.at("weight").get<int>(), c.at("iteration").get<int>(),
                                      c.at("failed_checks").get<int>(), c.at("finished").get<bool>()});
    for (const auto& node : j.at("certified")) saved.state.certified.insert(node.get<std::string>());
    for (const auto& [instance, ready] : j.at("ready").items()) saved.state.ready[instance] = ready.get<bool>();
    return saved;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(file + ": " + e.what());
  }
}

void writeControlPlaneState(const RunLayout& layout, const SavedControlPlane& saved) {
  nlohmann::ordered_json j;
  j["starts"] = saved.starts;
  j["ca_revoked"] = saved.ca_revoked;
  j["version"] = saved.state.version;
  j["changes_applied"] = saved.state.changes_applied;
  j["canaries"] = nlohmann::ordered_json::array();
  for (const auto& c : saved.state.canaries)
    j["canaries"].push_back(
        {{"weight", c.weight}, {"iteration", c.iteration}, {"failed_checks", c.failed_checks}, {"finished", c.finished}});
  j["certified"] = saved.state.certified;
  j["ready"] = saved.state.ready;
  writeFileWhole(layout.path(kStateFile), j.dump(1) + "\n");
}

std::optional<identity::CertificateAuthority> readCa(const RunLayout& layout, const std::string& trust_domain,
                                                     Rng serials) {
  const std::optional<std::string> key = readText(layout.path("ca-key.pem"));
  if (!key) return std::nullopt;
  const std::optional<std::string> root = readText(layout.path("ca.pem"));
  if (!root) throw std::runtime_error(layout.path("ca.pem") + ": missing beside ca-key.pem");
  try {
    return identity::CertificateAuthority(trust_domain, identity::WorkloadKey::fromPem(*key),
                                          identity::Certificate::fromPem(*root), serials);
  } catch (const std::exception& e) {
    throw std::runtime_error(layout.path("ca-key.pem") + ": " + e.what());
  }
}

void writeCa(const RunLayout& layout, const identity::CertificateAuthority& ca) {
  writeFileWhole(layout.path("ca-key.pem"), ca.key().privatePem(), 0600);  // first: ca.pem is what readers wait for
  writeFileWhole(layout.path("ca.pem"), ca.root()->pem());
}

void writeReadiness(const RunLayout& layout, const std::string& instance, bool ready, const std::string& reason) {
  const std::string dir = layout.path(kRegistryDir);
  ::mkdir(dir.c_str(), 0755);  // there already, or made here
  writeFileWhole(dir + "/" + instance + ".json", nlohmann::json{{"ready", ready}, {"reason", reason}}.dump() + "\n");
}

std::map<std::string, std::pair<bool, std::string>> readReadiness(const RunLayout& layout) {
  std::map<std::string, std::pair<bool, std::string>> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(layout.path(kRegistryDir), ec)) {
    if (entry.path().extension() != ".json") continue;  // a writer's .tmp
    const std::string file = entry.path().string();
    const std::optional<std::string> text = readText(file);
    if (!text) continue;  // renamed away meanwhile
    try {
      const nlohmann::json j = parse(file, *text);
      out[entry.path().stem().string()] = {j.at("ready").get<bool>(), j.value("reason", std::string())};
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(file + ": " + e.what());
    }
  }
  return out;
}

}  // namespace meshproof::live
