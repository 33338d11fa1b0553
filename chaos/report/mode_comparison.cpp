// Live-vs-sim summaries and their comparison.
#include "chaos/report/mode_comparison.h"

#include <cstdio>

#include "chaos/text/numbers.h"

namespace meshproof::chaos {

RunSummary summarize(const RunStatistics& statistics, const std::vector<ExpectationResult>& expectations) {
  RunSummary s;
  for (const auto& [name, stats] : statistics.metrics().services()) {
    ServiceFigures f;
    f.requests = stats.requests();
    f.success_rate = roundedTo(stats.successRatePercent().value_or(100));
    f.p50_ms = roundedTo(stats.latencyQuantileMs(0.5));
    f.p90_ms = roundedTo(stats.latencyQuantileMs(0.9));
    f.p99_ms = roundedTo(stats.latencyQuantileMs(0.99));
    s.services[name] = f;
  }
  for (const auto& r : expectations) s.verdicts.emplace_back(r.name, r.verdict.passed);
  return s;
}

nlohmann::ordered_json summaryJson(const RunSummary& summary) {
  nlohmann::ordered_json j;
  j["services"] = nlohmann::ordered_json::object();
  for (const auto& [name, f] : summary.services)
    j["services"][name] = {{"requests", f.requests}, {"success_rate", f.success_rate}, {"p50_ms", f.p50_ms},
                           {"p90_ms", f.p90_ms}, {"p99_ms", f.p99_ms}};
  j["verdicts"] = nlohmann::ordered_json::array();
  for (const auto& [name, passed] : summary.verdicts) j["verdicts"].push_back({{"name", name}, {"passed", passed}});
  return j;
}

RunSummary summaryFromJson(const nlohmann::json& j) {
  RunSummary s;
  for (const auto& [name, f] : j.at("services").items())
    s.services[name] = ServiceFigures{f.at("requests").get<std::uint64_t>(), f.at("success_rate").get<double>(),
                                      f.at("p50_ms").get<double>(), f.at("p90_ms").get<double>(),
                                      f.at("p99_ms").get<double>()};
  for (const auto& v : j.at("verdicts")) s.verdicts.emplace_back(v.at("name").get<std::string>(), v.at("passed").get<bool>());
  return s;
}

bool verdictsAgree(const RunSummary& live, const RunSummary& sim) { return live.verdicts == sim.verdicts; }

nlohmann::ordered_json comparisonJson(const RunSummary& live, const RunSummary& sim) {
  nlohmann::ordered_json j;
  j["verdicts_agree"] = verdictsAgree(live, sim);
  j["verdicts"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < live.verdicts.size(); ++i)
    j["verdicts"].push_back({{"name", live.verdicts[i].first},
                             {"live", live.verdicts[i].second},
                             {"sim", i < sim.verdicts.size() ? nlohmann::ordered_json(sim.verdicts[i].second)
                                                             : nlohmann::ordered_json()}});
  j["services"] = nlohmann::ordered_json::object();
  auto pair = [](double l, double s) {
    return nlohmann::ordered_json{{"live", l}, {"sim", s}, {"delta", roundedTo(l - s)}};
  };
  for (const auto& [name, l] : live.services) {
    const auto it = sim.services.find(name);
    const ServiceFigures s = it == sim.services.end() ? ServiceFigures{} : it->second;
    j["services"][name] = {{"requests", {{"live", l.requests}, {"sim", s.requests}}},
                           {"success_rate", pair(l.success_rate, s.success_rate)},
                           {"latency_ms",
                            {{"p50", pair(l.p50_ms, s.p50_ms)}, {"p90", pair(l.p90_ms, s.p90_ms)},
                             {"p99", pair(l.p99_ms, s.p99_ms)}}}};
  }
  return j;
}

std::string comparisonText(const RunSummary& live, const RunSummary& sim) {
  std::string out = "\nlive vs sim (same scenario and seed): verdicts ";
  out += verdictsAgree(live, sim) ? "agree\n" : "DISAGREE\n";
  for (std::size_t i = 0; i < live.verdicts.size() && i < sim.verdicts.size(); ++i)
    if (live.verdicts[i].second != sim.verdicts[i].second)
      out += "  " + live.verdicts[i].first + ": live " + (live.verdicts[i].second ? "PASS" : "FAIL") + ", sim " +
             (sim.verdicts[i].second ? "PASS" : "FAIL") + "\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-12s %20s %20s %20s\n", "service", "success % live/sim", "p50 ms live/sim",
                "p99 ms live/sim");
  out += line;
  for (const auto& [name, l] : live.services) {
    const auto it = sim.services.find(name);
    const ServiceFigures s = it == sim.services.end() ? ServiceFigures{} : it->second;
    std::snprintf(line, sizeof line, "%-12s %9.3f/%-10.3f %9.3f/%-10.3f %9.3f/%-10.3f\n", name.c_str(),
                  l.success_rate, s.success_rate, l.p50_ms, s.p50_ms, l.p99_ms, s.p99_ms);
    out += line;
  }
  return out;
}

}  // namespace meshproof::chaos
