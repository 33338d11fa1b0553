// A configuration document: YAML or JSON text parsed into a yaml-cpp tree that keeps
// line marks, with the file name used in error messages. JSON is first checked
// strictly with nlohmann/json (so a JSON file must be real JSON, and a syntax error is
// reported at its line), then read by yaml-cpp, since JSON is YAML flow syntax.
// Duplicate keys in any map are rejected here, for every section alike.
#pragma once
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace meshproof::config {

enum class DocumentFormat { kYaml, kJson };

struct Document {
  std::string file_name;
  DocumentFormat format = DocumentFormat::kYaml;
  YAML::Node root;
};

// By extension: .json is JSON; .yaml and .yml are YAML; otherwise JSON when the
// text starts with '{' or '[' and is valid JSON, else YAML.
DocumentFormat detectFormat(std::string_view text, std::string_view file_name);

// Parses `text`; `file_name` is used for the format and in messages. Throws
// ConfigError on a syntax error, a duplicate key, a non-scalar key, or more than one
// YAML document.
Document parseDocument(std::string_view text, std::string_view file_name);

// Reads and parses a file; an unreadable file throws ConfigError at line 1.
Document readDocumentFile(const std::string& path);

}  // namespace meshproof::config
