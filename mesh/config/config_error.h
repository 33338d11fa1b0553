// ConfigError: the one exception a configuration loader throws for unusable input.
// It names the file, the 1-based line and the field path, so that
// what() reads "<file>:<line>: <field.path>: <message>" (or "<file>:<line>: <message>"
// when no field is involved, e.g. a syntax error).
#pragma once
#include <stdexcept>
#include <string>

namespace meshproof::config {

class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, int line, std::string field_path, std::string message);

  const std::string& file() const { return file_; }
  int line() const { return line_; }                  // 1-based
  const std::string& fieldPath() const { return field_path_; }  // empty: not about one field
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  int line_;
  std::string field_path_;
  std::string message_;
};

}  // namespace meshproof::config
