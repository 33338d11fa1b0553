// One canary's analysis, as Flagger runs it: every `interval` it judges the canary
// subset's last interval — success rate at least `successRate.min`, p99 latency at
// most `latencyP99.max` — and then:
//   - nothing routed to the canary yet (weight 0, first check): advance to
//     stepWeight without judging (there is nothing to judge);
//   - no requests reached the canary in the interval: hold (inconclusive: neither a
//     passed nor a failed check);
//   - the check passes: advance by stepWeight up to maxWeight; at maxWeight, promote
//     (all traffic to the canary);
//   - the check fails: count it (the weight stays); at `threshold` failed checks, roll
//     back (weight 0).
// Promotion and rollback end the analysis. Each step is one CanaryEvent.
#pragma once
#include <cstdint>
#include <optional>

#include "mesh/core/events.h"
#include "mesh/scenario/plan.h"

namespace meshproof::control {

// What the canary subset's workloads reported over one interval.
struct IntervalMetrics {
  std::uint64_t requests = 0;
  double success_rate_percent = 100;
  DurationNs latency_p99 = 0;
};

// Where an analysis stands (Flagger keeps it in the Canary resource's status, so a
// restarted controller carries on from it).
struct CanaryProgress {
  int weight = 0;
  int iteration = 0;
  int failed_checks = 0;
  bool finished = false;
  bool operator==(const CanaryProgress&) const = default;
};

class CanaryAnalysis {
 public:
  CanaryAnalysis(scenario::Canary spec, int initial_weight, TimeNs start);

  CanaryProgress progress() const { return {weight_, iteration_, failed_checks_, finished_}; }
  // Carries on from `progress` (a restarted controller); the next check is one
  // interval after `now`.
  void restore(const CanaryProgress& progress, TimeNs now);

  const scenario::Canary& spec() const { return spec_; }
  int weight() const { return weight_; }
  bool finished() const { return finished_; }
  // kNever once finished.
  TimeNs nextCheck() const { return finished_ ? kNever : next_check_; }
  // After an outage of the controller: the next check is one interval after `now`.
  void resume(TimeNs now) { next_check_ = now + spec_.interval; }

  CanaryEvent startEvent() const;
  // The check due at nextCheck(); `metrics` empty when no request reached the canary.
  CanaryEvent check(TimeNs now, const std::optional<IntervalMetrics>& metrics);

 private:
  CanaryEvent event(std::string verdict, const std::optional<IntervalMetrics>& metrics, std::string reason) const;
  std::string failure(const IntervalMetrics& metrics) const;

  scenario::Canary spec_;
  int weight_;
  int iteration_ = 0;
  int failed_checks_ = 0;
  bool finished_ = false;
  TimeNs next_check_;
};

}  // namespace meshproof::control
