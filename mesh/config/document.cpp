// Parsing YAML and JSON text into one yaml-cpp tree with line marks, plus the checks
// yaml-cpp does not make itself (duplicate keys, one document per file).
#include "mesh/config/document.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "mesh/config/config_error.h"

namespace meshproof::config {
namespace {

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

int lineAtByte(std::string_view text, std::size_t byte) {
  if (byte > text.size()) byte = text.size();
  int line = 1;
  for (std::size_t i = 0; i < byte; ++i)
    if (text[i] == '\n') ++line;
  return line;
}

// nlohmann's messages read "[json.exception.parse_error.101] parse error at line 3,
// column 5: syntax error while parsing ..."; keep the part after the position.
std::string jsonMessage(const nlohmann::json::parse_error& error) {
  std::string message = error.what();
  const std::string_view marker = ": syntax error";
  if (auto at = message.find(marker); at != std::string::npos) return message.substr(at + 2);
  if (auto bracket = message.find("] "); bracket != std::string::npos) message = message.substr(bracket + 2);
  return message;
}

void checkJson(std::string_view text, const std::string& file_name) {
  try {
    const nlohmann::json parsed = nlohmann::json::parse(text.begin(), text.end());
    (void)parsed;
  } catch (const nlohmann::json::parse_error& error) {
    // `byte` is 1-based and points just past the offending character.
    const std::size_t offset = error.byte == 0 ? 0 : error.byte - 1;
    throw ConfigError(file_name, lineAtByte(text, offset), "", "invalid JSON: " + jsonMessage(error));
  }
}

int hexValue(std::string_view hex) {
  int value = 0;
  for (char c : hex) {
    value *= 16;
    if (c >= '0' && c <= '9') value += c - '0';
    else if (c >= 'a' && c <= 'f') value += c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') value += c - 'A' + 10;
  }
  return value;
}

void appendUtf8(std::string& out, std::uint32_t code_point) {
  out += static_cast<char>(0xF0 | (code_point >> 18));
  out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
  out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
  out += static_cast<char>(0x80 | (code_point & 0x3F));
}

// Prepares validated JSON for yaml-cpp without moving any line: tabs and carriage
// returns (never raw inside JSON strings) become spaces, and UTF-16 surrogate pairs
// ("\ud83d\ude00", which yaml-cpp rejects) become the UTF-8 bytes they encode.
std::string jsonAsYaml(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '\t' || c == '\r') {
      out += ' ';
    } else if (c != '\\' || i + 1 >= json.size()) {
      out += c;
    } else if (json[i + 1] == 'u' && i + 12 <= json.size() && json[i + 6] == '\\' && json[i + 7] == 'u' &&
               hexValue(json.substr(i + 2, 4)) >= 0xD800 && hexValue(json.substr(i + 2, 4)) <= 0xDBFF) {
      const std::uint32_t high = static_cast<std::uint32_t>(hexValue(json.substr(i + 2, 4)));
      const std::uint32_t low = static_cast<std::uint32_t>(hexValue(json.substr(i + 8, 4)));
      appendUtf8(out, 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00));
      i += 11;
    } else {
      out += c;  // any other escape is copied whole, so "\\u" stays text
      out += json[++i];
    }
  }
  return out;
}

std::string joinPath(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// Walks the tree: every map key must be a scalar and appear once per map.
void checkKeys(const YAML::Node& node, const std::string& path, const std::string& file_name) {
  if (node.IsMap()) {
    std::map<std::string, int> first_line_by_key;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const int line = it->first.Mark().line + 1;
      if (!it->first.IsScalar())
        throw ConfigError(file_name, line, path, "map keys must be plain names");
      const std::string key = it->first.Scalar();
      const std::string key_path = joinPath(path, key);
      auto [seen, inserted] = first_line_by_key.emplace(key, line);
      if (!inserted)
        throw ConfigError(file_name, line, key_path,
                          "duplicate key '" + key + "' (first at line " + std::to_string(seen->second) + ")");
      checkKeys(it->second, key_path, file_name);
    }
  } else if (node.IsSequence()) {
    std::size_t index = 0;
    for (const auto& item : node) checkKeys(item, path + "[" + std::to_string(index++) + "]", file_name);
  }
}

}  // namespace

DocumentFormat detectFormat(std::string_view text, std::string_view file_name) {
  if (endsWith(file_name, ".json")) return DocumentFormat::kJson;
  if (endsWith(file_name, ".yaml") || endsWith(file_name, ".yml")) return DocumentFormat::kYaml;
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (text[first] != '{' && text[first] != '[')) return DocumentFormat::kYaml;
  return nlohmann::json::accept(text.begin(), text.end()) ? DocumentFormat::kJson : DocumentFormat::kYaml;
}

Document parseDocument(std::string_view text, std::string_view file_name) {
  Document document;
  document.file_name = std::string(file_name);
  document.format = detectFormat(text, file_name);
  std::string yaml_text(text);
  if (document.format == DocumentFormat::kJson) {
    checkJson(text, document.file_name);
    yaml_text = jsonAsYaml(text);
  }
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(yaml_text);
  } catch (const YAML::Exception& error) {
    throw ConfigError(document.file_name, error.mark.line + 1, "", "invalid YAML: " + error.msg);
  }
  if (documents.size() > 1)
    throw ConfigError(document.file_name, documents[1].Mark().line + 1, "",
                      "a configuration file holds one YAML document, this one has " +
                          std::to_string(documents.size()));
  document.root = documents.empty() ? YAML::Node() : documents.front();
  checkKeys(document.root, "", document.file_name);
  return document;
}

Document readDocumentFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, 1, "", std::string("cannot read the file: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError(path, 1, "", "cannot read the file");
  return parseDocument(text.str(), path);
}

}  // namespace meshproof::config
