// The reusable NodeReader helpers: paths and lines of nested nodes, type checks that
// never fall back to defaults, ranges, enums and units, in YAML and JSON.
#include <gtest/gtest.h>

#include <string>

#include "mesh/config/node_reader.h"

namespace meshproof::config {
namespace {

enum class Color { kRed, kGreen };
const EnumNames<Color> kColorNames{{"RED", Color::kRed}, {"GREEN", Color::kGreen}};

// Runs `read` on the root of `text` and returns the ConfigError's what(), or "(ok)".
template <typename Read>
std::string errorOf(const std::string& text, Read read, const std::string& file_name = "n.yaml") {
  const Document document = parseDocument(text, file_name);
  try {
    read(NodeReader(document));
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "(ok)";
}

TEST(NodeReader, PathsAndLinesOfNestedNodes) {
  const Document document = parseDocument("a:\n  b:\n    - x: 1\n    - x: 2\n      y: [7, 8]\n", "n.yaml");
  const NodeReader root(document);
  const NodeReader second = root.required("a").required("b").items()[1];
  EXPECT_EQ(second.path(), "a.b[1]");
  EXPECT_EQ(second.line(), 4);
  const NodeReader y1 = second.required("y").items()[1];
  EXPECT_EQ(y1.path(), "a.b[1].y[1]");
  EXPECT_EQ(y1.line(), 5);
  EXPECT_EQ(y1.asInt(), 8);
  EXPECT_EQ(y1.fileName(), "n.yaml");
}

TEST(NodeReader, LinesInJsonPointAtTheField) {
  const std::string text = "{\n  \"a\": {\n    \"b\": 1,\n    \"c\": \"x\"\n  }\n}\n";
  EXPECT_EQ(errorOf(text, [](const NodeReader& r) { r.required("a").required("c").asInt(); }, "n.json"),
            "n.json:4: a.c: expected an integer, got the string \"x\"");
}

TEST(NodeReader, EntriesKeepFileOrder) {
  const Document document = parseDocument("m: {z: 1, a: 2, k: 3}\n", "n.yaml");
  const auto entries = NodeReader(document).required("m").entries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].first, "z");
  EXPECT_EQ(entries[1].first, "a");
  EXPECT_EQ(entries[2].second.path(), "m.k");
  EXPECT_EQ(entries[2].second.asInt(), 3);
}

TEST(NodeReader, OptionalAndReadIfPresent) {
  const Document document = parseDocument("present: 5\n", "n.yaml");
  const NodeReader root(document);
  EXPECT_TRUE(root.has("present"));
  EXPECT_FALSE(root.has("absent"));
  EXPECT_FALSE(root.optional("absent").has_value());
  int value = -1;
  EXPECT_FALSE(root.readIfPresent("absent", value, &NodeReader::asInt));
  EXPECT_EQ(value, -1);
  EXPECT_TRUE(root.readIfPresent("present", value, &NodeReader::asInt));
  EXPECT_EQ(value, 5);
  EXPECT_EQ(errorOf("a: 1\n", [](const NodeReader& r) { r.required("b"); }),
            "n.yaml:1: (top level): required field 'b' is missing");
}

TEST(NodeReader, Integers) {
  EXPECT_EQ(errorOf("v: 1.5\n", [](const NodeReader& r) { r.required("v").asInt(); }),
            "n.yaml:1: v: expected an integer, got \"1.5\"");
  EXPECT_EQ(errorOf("v: 3000000000\n", [](const NodeReader& r) { r.required("v").asInt(); }),
            "n.yaml:1: v: 3000000000 is outside -2147483648 to 2147483647");
  EXPECT_EQ(errorOf("v: -1\n", [](const NodeReader& r) { r.required("v").asNonNegativeInt(); }),
            "n.yaml:1: v: -1 must be at least 0");
  EXPECT_EQ(errorOf("v: 99999999999999999999\n", [](const NodeReader& r) { r.required("v").asInt64(); }),
            "n.yaml:1: v: 99999999999999999999 is too large");
  EXPECT_EQ(errorOf("v: [1]\n", [](const NodeReader& r) { r.required("v").asInt(); }),
            "n.yaml:1: v: expected an integer, got a list");
  const Document document = parseDocument("v: -42\n", "n.yaml");
  EXPECT_EQ(NodeReader(document).required("v").asInt64(), -42);
}

TEST(NodeReader, Numbers) {
  const Document document = parseDocument("a: 2.5\nb: 7\nc: 1e2\n", "n.yaml");
  const NodeReader root(document);
  EXPECT_EQ(root.required("a").asNumber(), 2.5);
  EXPECT_EQ(root.required("b").asNumber(), 7.0);
  EXPECT_EQ(root.required("c").asPercentage(), 100.0);
  EXPECT_EQ(errorOf("v: .nan\n", [](const NodeReader& r) { r.required("v").asNumber(); }),
            "n.yaml:1: v: expected a number, got \".nan\"");
  EXPECT_EQ(errorOf("v: -0.5\n", [](const NodeReader& r) { r.required("v").asPercentage(); }),
            "n.yaml:1: v: -0.5 is outside 0-100");
  EXPECT_EQ(errorOf("v: 2.5\n", [](const NodeReader& r) { r.required("v").asNumberInRange(0.5, 1.25); }),
            "n.yaml:1: v: 2.5 is outside 0.5-1.25");
}

TEST(NodeReader, Booleans) {
  const Document document = parseDocument("a: true\nb: False\n", "n.yaml");
  EXPECT_TRUE(NodeReader(document).required("a").asBool());
  EXPECT_FALSE(NodeReader(document).required("b").asBool());
  EXPECT_EQ(errorOf("v: yes\n", [](const NodeReader& r) { r.required("v").asBool(); }),
            "n.yaml:1: v: expected true or false, got \"yes\"");
  EXPECT_EQ(errorOf("v: \"true\"\n", [](const NodeReader& r) { r.required("v").asBool(); }),
            "n.yaml:1: v: expected true or false, got the string \"true\"");
}

TEST(NodeReader, Strings) {
  const Document document = parseDocument("a: v1\nb: 2\nc: [x, y]\n", "n.yaml");
  const NodeReader root(document);
  EXPECT_EQ(root.required("a").asString(), "v1");
  EXPECT_EQ(root.required("b").asString(), "2");  // a plain scalar reads as its text
  EXPECT_EQ(root.required("c").asStringList(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(errorOf("v: \"\"\n", [](const NodeReader& r) { r.required("v").asNonEmptyString(); }),
            "n.yaml:1: v: must not be empty");
  EXPECT_EQ(errorOf("v: {a: 1}\n", [](const NodeReader& r) { r.required("v").asString(); }),
            "n.yaml:1: v: expected a string, got a map");
}

TEST(NodeReader, Enums) {
  const Document document = parseDocument("c: GREEN\n", "n.yaml");
  EXPECT_EQ(NodeReader(document).required("c").asEnum(kColorNames), Color::kGreen);
  EXPECT_EQ(errorOf("c: BLUE\n", [](const NodeReader& r) { r.required("c").asEnum(kColorNames); }),
            "n.yaml:1: c: \"BLUE\" is not one of RED, GREEN");
  EXPECT_EQ(errorOf("c: red\n", [](const NodeReader& r) { r.required("c").asEnum(kColorNames); }),
            "n.yaml:1: c: \"red\" is not one of RED, GREEN; did you mean 'RED'?");
}

TEST(NodeReader, DurationsAndBandwidths) {
  const Document document = parseDocument("d: 1.5s\nb: 10Gbps\nz: 0s\n", "n.yaml");
  const NodeReader root(document);
  EXPECT_EQ(root.required("d").asDuration(), 1'500'000'000);
  EXPECT_EQ(root.required("b").asBandwidthBps(), 10'000'000'000);
  EXPECT_EQ(root.required("z").asDuration(), 0);
  EXPECT_EQ(errorOf("z: 0s\n", [](const NodeReader& r) { r.required("z").asPositiveDuration(); }),
            "n.yaml:1: z: must be longer than 0s");
  EXPECT_EQ(errorOf("b: 10\n", [](const NodeReader& r) { r.required("b").asBandwidthBps(); }),
            "n.yaml:1: b: \"10\" has no unit (use e.g. 10Gbps, 500kbps)");
  EXPECT_EQ(errorOf("d: [1s]\n", [](const NodeReader& r) { r.required("d").asDuration(); }),
            "n.yaml:1: d: expected a duration such as 10s or 250ms, got a list");
}

TEST(NodeReader, Lists) {
  EXPECT_EQ(errorOf("l: []\n", [](const NodeReader& r) { r.required("l").nonEmptyItems(); }),
            "n.yaml:1: l: must not be empty");
  EXPECT_EQ(errorOf("l: {a: 1}\n", [](const NodeReader& r) { r.required("l").items(); }),
            "n.yaml:1: l: expected a list, got a map");
}

TEST(NodeReader, ExpectOnlyReportsTheUnknownKeyAtItsLine) {
  const auto check = [](const NodeReader& r) { r.required("m").expectOnly({"alpha", "beta"}); };
  EXPECT_EQ(errorOf("m:\n  alpha: 1\n  bta: 2\n", check), "n.yaml:3: m.bta: unknown field 'bta'; did you mean 'beta'?");
  EXPECT_EQ(errorOf("m:\n  gamma: 1\n", check),
            "n.yaml:2: m.gamma: unknown field 'gamma'; expected one of: alpha, beta");
  EXPECT_EQ(errorOf("m:\n  alpha: 1\n  beta: 2\n", check), "(ok)");
  EXPECT_EQ(errorOf("m: 3\n", check), "n.yaml:1: m: expected a map, got \"3\"");
}

TEST(NodeReader, FailUsesThePathAndLine) {
  EXPECT_EQ(errorOf("a:\n  b: 1\n", [](const NodeReader& r) { r.required("a").required("b").fail("custom"); }),
            "n.yaml:2: a.b: custom");
}

}  // namespace
}  // namespace meshproof::config
