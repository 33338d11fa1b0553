// Parsing documents: format detection, syntax errors with lines for YAML and JSON,
// duplicate keys anywhere in the tree, one document per file.
#include <gtest/gtest.h>

#include <string>

#include "mesh/config/config_error.h"
#include "mesh/config/document.h"

namespace meshproof::config {
namespace {

std::string parseError(const std::string& text, const std::string& file_name) {
  try {
    (void)parseDocument(text, file_name);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "(parsed)";
}

TEST(Document, FormatByExtensionThenContent) {
  EXPECT_EQ(detectFormat("a: 1", "x.json"), DocumentFormat::kJson);
  EXPECT_EQ(detectFormat("{}", "x.yaml"), DocumentFormat::kYaml);
  EXPECT_EQ(detectFormat("{}", "x.yml"), DocumentFormat::kYaml);
  EXPECT_EQ(detectFormat("  {\"a\": 1}", "x"), DocumentFormat::kJson);
  EXPECT_EQ(detectFormat("{a: 1}", "x"), DocumentFormat::kYaml);  // YAML flow, not JSON
  EXPECT_EQ(detectFormat("a: 1", "x"), DocumentFormat::kYaml);
}

TEST(Document, JsonIsCheckedStrictly) {
  // Valid YAML flow syntax, but not JSON: the .json file must be real JSON.
  EXPECT_EQ(parseError("{\"a\": 1,\n \"b\": 'x'}", "x.json"),
            "x.json:2: invalid JSON: syntax error while parsing value - invalid literal; last read: '\"b\": ''");
  EXPECT_EQ(parseError("{\"a\": 1,\n\n \"b\": [1, 2}\n", "x.json"),
            "x.json:3: invalid JSON: syntax error while parsing array - unexpected '}'; expected ']'");
  EXPECT_EQ(parseError("{\"a\": 1", "x.json"),
            "x.json:1: invalid JSON: syntax error while parsing object - unexpected end of input; expected '}'");
}

TEST(Document, JsonWithTabsAndEscapesReadsLikeJson) {
  const Document document = parseDocument("{\n\t\"a\":\t\"x\\/y\\tz\",\r\n\t\"b\": [1,\t2]\n}", "x.json");
  EXPECT_EQ(document.format, DocumentFormat::kJson);
  EXPECT_EQ(document.root["a"].Scalar(), "x/y\tz");
  EXPECT_EQ(document.root["b"][1].Scalar(), "2");
  EXPECT_EQ(document.root["b"].Mark().line + 1, 3);
}

TEST(Document, JsonSurrogatePairsBecomeUtf8) {
  const Document document = parseDocument(R"({"a": "\ud83d\ude00 caf\u00e9", "b": "\\ud83d"})", "x.json");
  EXPECT_EQ(document.root["a"].Scalar(), "\xF0\x9F\x98\x80 caf\xC3\xA9");
  EXPECT_EQ(document.root["b"].Scalar(), "\\ud83d");  // an escaped backslash, not an escape
}

TEST(Document, DuplicateKeysAnywhere) {
  EXPECT_EQ(parseError("a:\n  - {x: 1, y: 2, x: 3}\n", "d.yaml"),
            "d.yaml:2: a[0].x: duplicate key 'x' (first at line 2)");
  EXPECT_EQ(parseError("services: []\nfaults: []\nservices: []\n", "d.yaml"),
            "d.yaml:3: services: duplicate key 'services' (first at line 1)");
}

TEST(Document, ComplexKeysAreRejected) {
  EXPECT_EQ(parseError("? [a, b]\n: 1\n", "k.yaml"), "k.yaml:1: map keys must be plain names");
}

TEST(Document, OneDocumentPerFile) {
  EXPECT_EQ(parseError("a: 1\n---\nb: 2\n", "m.yaml"),
            "m.yaml:3: a configuration file holds one YAML document, this one has 2");
}

TEST(Document, YamlSyntaxErrorLine) {
  EXPECT_EQ(parseError("a: 1\nb: [1, 2\nc: 3\n", "s.yaml"), "s.yaml:3: invalid YAML: end of sequence flow not found");
}

TEST(Document, FileIsReadFromDisk) {
  const Document document = readDocumentFile(std::string(MESHPROOF_TEST_DATA) + "/config/full_mesh.json");
  EXPECT_EQ(document.format, DocumentFormat::kJson);
  EXPECT_EQ(document.root["name"].Scalar(), "full-mesh");
}

}  // namespace
}  // namespace meshproof::config
