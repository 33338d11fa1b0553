// Flagger's analysis loop for one canary.
#include "mesh/control/canary_analysis.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace meshproof::control {
namespace {

std::string fixed3(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

}  // namespace

CanaryAnalysis::CanaryAnalysis(scenario::Canary spec, int initial_weight, TimeNs start)
    : spec_(std::move(spec)), weight_(initial_weight), next_check_(start + spec_.interval) {}

void CanaryAnalysis::restore(const CanaryProgress& progress, TimeNs now) {
  weight_ = progress.weight;
  iteration_ = progress.iteration;
  failed_checks_ = progress.failed_checks;
  finished_ = progress.finished;
  resume(now);
}

CanaryEvent CanaryAnalysis::event(std::string verdict, const std::optional<IntervalMetrics>& metrics,
                                  std::string reason) const {
  CanaryEvent e;
  e.service = spec_.service;
  e.stable = spec_.stable;
  e.canary = spec_.canary;
  e.iteration = iteration_;
  e.weight = weight_;
  e.verdict = std::move(verdict);
  if (metrics) {
    e.success_rate = std::round(metrics->success_rate_percent * 1000.0) / 1000.0;
    e.latency_p99 = metrics->latency_p99;
  }
  e.failed_checks = failed_checks_;
  e.reason = std::move(reason);
  return e;
}

CanaryEvent CanaryAnalysis::startEvent() const {
  return event("start", std::nullopt, "analysis of " + spec_.canary + " against " + spec_.stable);
}

std::string CanaryAnalysis::failure(const IntervalMetrics& m) const {
  if (spec_.min_success_rate_percent && m.success_rate_percent < *spec_.min_success_rate_percent)
    return "success rate " + fixed3(m.success_rate_percent) + "% < " + fixed3(*spec_.min_success_rate_percent) + "%";
  if (spec_.max_latency_p99 && m.latency_p99 > *spec_.max_latency_p99)
    return "p99 " + fixed3(toMillis(m.latency_p99)) + " ms > " + fixed3(toMillis(*spec_.max_latency_p99)) + " ms";
  return {};
}

CanaryEvent CanaryAnalysis::check(TimeNs now, const std::optional<IntervalMetrics>& metrics) {
  next_check_ = now + spec_.interval;
  ++iteration_;
  if (weight_ == 0 && iteration_ == 1) {
    weight_ = std::min(spec_.step_weight_percent, spec_.max_weight_percent);
    return event("advance", metrics, "nothing routed to the canary yet");
  }
  if (!metrics || metrics->requests == 0) return event("hold", std::nullopt, "no traffic to judge");
  const std::string problem = failure(*metrics);
  if (!problem.empty()) {
    ++failed_checks_;
    if (failed_checks_ >= spec_.threshold) {
      weight_ = 0;
      finished_ = true;
      return event("rolled-back", metrics, problem);
    }
    return event("failed-check", metrics, problem);
  }
  if (weight_ >= spec_.max_weight_percent) {
    weight_ = 100;
    finished_ = true;
    return event("promoted", metrics, "");
  }
  weight_ = std::min(weight_ + spec_.step_weight_percent, spec_.max_weight_percent);
  return event("advance", metrics, "");
}

}  // namespace meshproof::control
