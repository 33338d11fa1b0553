// A scenario asks for something a driver cannot do (a fault live mode cannot inject,
// say); the message names the field, e.g. "faults[3].type: bandwidth ...", so the
// command line can point at its line in the file (exit status 2).
#pragma once
#include <stdexcept>
#include <string>

namespace meshproof::scenario {

class UnsupportedScenario : public std::runtime_error {
 public:
  UnsupportedScenario(std::string field_path, const std::string& message)
      : std::runtime_error(field_path + ": " + message), field_path_(std::move(field_path)) {}
  // e.g. "faults[3].type".
  const std::string& fieldPath() const { return field_path_; }

 private:
  std::string field_path_;
};

}  // namespace meshproof::scenario
