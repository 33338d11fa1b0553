// Reading Istio StringMatch values (exact, prefix, regex, present) and compiling
// regexes once, with deterministic error texts (std::regex_error::what() differs
// between standard libraries).
#include <regex>

#include "mesh/config/re2_syntax.h"
#include "mesh/config/section_readers.h"

namespace meshproof::config {
namespace {

std::string describeRegexError(std::regex_constants::error_type code) {
  namespace rc = std::regex_constants;
  if (code == rc::error_collate) return "invalid collating element";
  if (code == rc::error_ctype) return "invalid character class";
  if (code == rc::error_escape) return "invalid escape";
  if (code == rc::error_backref) return "invalid back reference";
  if (code == rc::error_brack) return "unbalanced [ ]";
  if (code == rc::error_paren) return "unbalanced ( )";
  if (code == rc::error_brace) return "unbalanced { }";
  if (code == rc::error_badbrace) return "invalid repetition count in { }";
  if (code == rc::error_range) return "invalid character range";
  if (code == rc::error_badrepeat) return "nothing to repeat before *, +, ? or {";
  return "too complex";
}

}  // namespace

StringMatch readStringMatch(const NodeReader& node, bool allow_present, Checks checks) {
  std::vector<std::string> kinds{"exact", "prefix", "regex"};
  if (allow_present) kinds.push_back("present");
  node.expectOnly(kinds);
  std::vector<std::string> given;
  for (const auto& [key, value] : node.entries()) given.push_back(key);
  std::string kind_list;
  for (const auto& kind : kinds) kind_list += (kind_list.empty() ? "" : ", ") + kind;
  if (given.empty()) node.fail("give one of " + kind_list);
  if (given.size() > 1) node.fail("give only one of " + kind_list + ", not both '" + given[0] + "' and '" + given[1] + "'");

  StringMatch match;
  const NodeReader value = node.required(given[0]);
  if (given[0] == "present") {
    if (!value.asBool()) value.fail("only 'present: true' is supported; to match any request, omit the header");
    match.kind = StringMatch::Kind::kPresent;
    return match;
  }
  match.value = value.asString();
  if (given[0] == "exact") {
    match.kind = StringMatch::Kind::kExact;
  } else if (given[0] == "prefix") {
    match.kind = StringMatch::Kind::kPrefix;
  } else {
    match.kind = StringMatch::Kind::kRegex;
    try {
      match.regex.emplace(match.value, std::regex::ECMAScript);
    } catch (const std::regex_error& problem) {
      value.fail("invalid regex \"" + match.value + "\": " + describeRegexError(problem.code()));
    }
    if (checks == Checks::kFull)
      if (auto unsupported = re2Unsupported(match.value)) value.fail("regex \"" + match.value + "\": " + *unsupported);
  }
  return match;
}

}  // namespace meshproof::config
