// Writes the JUnit XML report.
#include "chaos/report/junit_xml.h"

#include "chaos/report/observed_text.h"
#include "chaos/text/numbers.h"

namespace meshproof::chaos {
namespace {

std::string attribute(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + escapeXml(value) + "\"";
}

std::string property(std::string_view name, std::string_view value) {
  return "      <property" + attribute("name", name) + attribute("value", value) + "/>\n";
}

}  // namespace

std::string escapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters even escaped; show them as '?'.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') out += '?';
        else out += c;
    }
  }
  return out;
}

std::string formatJunitXml(const RunInfo& info, const std::vector<ExpectationResult>& expectations) {
  std::size_t failures = 0;
  for (const auto& result : expectations)
    if (!result.verdict.passed) ++failures;
  const std::string counts = attribute("tests", std::to_string(expectations.size())) +
                             attribute("failures", std::to_string(failures)) + attribute("errors", "0");
  const std::string time = attribute("time", fixedText(info.wall_s));

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + attribute("name", "meshproof") + counts + time + ">\n";
  out += "  <testsuite" + attribute("name", info.scenario) + counts + attribute("skipped", "0") + time + ">\n";
  out += "    <properties>\n";
  out += property("seed", std::to_string(info.seed));
  out += property("mode", info.mode);
  out += property("simulated_s", fixedText(toSeconds(info.simulated)));
  out += property("trace_sha256", info.trace_sha256);
  out += "    </properties>\n";
  for (const auto& result : expectations) {
    const Verdict& v = result.verdict;
    const std::string observed = "observed: " + observedText(v.observed);
    out += "    <testcase" + attribute("name", result.name) + attribute("classname", info.scenario) + ">\n";
    if (!v.passed) {
      std::string body = v.reason + "\n" + observed;
      if (v.decided_at) body += "\nat: " + fixedText(toSeconds(*v.decided_at)) + " s";
      out += "      <failure" + attribute("message", v.reason) + attribute("type", result.type) + ">" +
             escapeXml(body) + "</failure>\n";
    }
    std::string system_out = observed;
    if (!v.note.empty()) system_out += "\nnote: " + v.note;
    out += "      <system-out>" + escapeXml(system_out) + "</system-out>\n";
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace meshproof::chaos
