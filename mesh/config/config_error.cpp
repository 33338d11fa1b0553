// Formats ConfigError's what() as "<file>:<line>: <field.path>: <message>".
#include "mesh/config/config_error.h"

#include <utility>

namespace meshproof::config {
namespace {

std::string formatWhat(const std::string& file, int line, const std::string& field_path,
                       const std::string& message) {
  std::string out = file + ":" + std::to_string(line) + ": ";
  if (!field_path.empty()) out += field_path + ": ";
  return out + message;
}

}  // namespace

ConfigError::ConfigError(std::string file, int line, std::string field_path, std::string message)
    : std::runtime_error(formatWhat(file, line, field_path, message)),
      file_(std::move(file)),
      line_(line),
      field_path_(std::move(field_path)),
      message_(std::move(message)) {}

}  // namespace meshproof::config
