// Renders the terminal summary.
#include "chaos/report/summary_table.h"

#include <algorithm>
#include <array>

#include "chaos/report/observed_text.h"
#include "chaos/text/numbers.h"

namespace meshproof::chaos {
namespace {

constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kReset = "\x1b[0m";

std::string padRight(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}
std::string padLeft(const std::string& text, std::size_t width) {
  return text.size() < width ? std::string(width - text.size(), ' ') + text : text;
}

std::string serviceTable(const RunStatistics& statistics) {
  using Row = std::array<std::string, 6>;
  std::vector<Row> rows{{"service", "requests", "success %", "p50 ms", "p99 ms", "flags"}};
  for (const auto& [name, stats] : statistics.metrics().services()) {
    std::string flags;
    for (const auto& count : stats.flagCounts()) {
      if (count.count == 0) continue;
      if (!flags.empty()) flags += ' ';
      flags += std::string(count.name) + "=" + std::to_string(count.count);
    }
    const auto rate = stats.successRatePercent();
    rows.push_back({name, std::to_string(stats.requests()), rate ? fixedText(*rate) : "-",
                    fixedText(stats.latencyQuantileMs(0.50)), fixedText(stats.latencyQuantileMs(0.99)),
                    flags.empty() ? "-" : flags});
  }
  std::array<std::size_t, 6> widths{};
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    std::string line = padRight(row[0], widths[0]);
    for (std::size_t c = 1; c < 5; ++c) line += "  " + padLeft(row[c], widths[c]);
    line += "  " + row[5];
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string formatSummaryTable(const RunInfo& info, const RunStatistics& statistics,
                               const std::vector<ExpectationResult>& expectations, const SummaryOptions& options) {
  const ClientTotals& clients = statistics.clients();
  std::string out = info.scenario + " (seed " + std::to_string(info.seed) + ", " + info.mode + ", " +
                    fixedText(toSeconds(info.simulated)) + " s)\n";
  out += "requests: " + std::to_string(clients.total) + " total, " + std::to_string(clients.succeeded) +
         " succeeded, " + std::to_string(clients.failed) + " failed, " + std::to_string(clients.lost) + " lost\n\n";
  out += serviceTable(statistics);
  if (!expectations.empty()) out += "\n";
  std::size_t name_width = 0;
  std::size_t type_width = 0;
  for (const auto& result : expectations) {
    name_width = std::max(name_width, result.name.size());
    type_width = std::max(type_width, result.type.size());
  }
  std::size_t passed = 0;
  for (const auto& result : expectations) {
    const Verdict& v = result.verdict;
    if (v.passed) ++passed;
    std::string verdict = v.passed ? "PASS" : "FAIL";
    if (options.colour) verdict = std::string(v.passed ? kGreen : kRed) + verdict + std::string(kReset);
    std::string line = verdict + "  " + padRight(result.name, name_width) + "  " +
                       padRight(result.type, type_width) + "  " + observedText(v.observed);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
    if (!v.passed) out += "      " + v.reason + "\n";
  }
  out += "\n" + std::to_string(passed) + " of " + std::to_string(expectations.size()) + " expectations held\n";
  return out;
}

}  // namespace meshproof::chaos
