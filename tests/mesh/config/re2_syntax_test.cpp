// The ECMAScript constructs RE2 refuses (lookaround, back references) are found
// outside character classes and escapes, and nothing else is flagged.
#include "mesh/config/re2_syntax.h"

#include <gtest/gtest.h>

namespace meshproof::config {
namespace {

TEST(Re2Syntax, RefusesLookaroundAndBackReferences) {
  EXPECT_EQ(re2Unsupported("/pay(?=ment)"), "lookahead (?= is not supported by RE2 (the sidecar's regex engine)");
  EXPECT_EQ(re2Unsupported("^(?!/admin)"), "lookahead (?! is not supported by RE2 (the sidecar's regex engine)");
  EXPECT_EQ(re2Unsupported("(?<=v)1"), "lookbehind (?<= is not supported by RE2 (the sidecar's regex engine)");
  EXPECT_EQ(re2Unsupported("(a)\\1"), "back reference \\1 is not supported by RE2 (the sidecar's regex engine)");
}

TEST(Re2Syntax, AcceptsWhatRe2Accepts) {
  for (const char* ok : {"/items/[0-9]+", "^/api/v[12]/.*$", "(?:non)?capturing", "[(?=]", "\\(?=", "\\\\", "a{2,3}",
                         "[]1]", "\\d+\\.\\d+", "x|y"})
    EXPECT_EQ(re2Unsupported(ok), std::nullopt) << ok;
}

}  // namespace
}  // namespace meshproof::config
