// The application's time to serve one request, without queueing: fixed,
// exponential, or lognormal. Every duration is integer nanoseconds; the lognormal is
// a distribution of the time in nanoseconds (ln(t_ns) ~ N(mu, sigma^2)), which is the
// fit the scenario loader already makes from `serviceTime: {p50, p99}`.
#pragma once
#include "mesh/core/rng.h"
#include "mesh/core/time.h"

namespace meshproof::app {

// z(0.99): the standard normal quantile at 0.99.
inline constexpr double kNormalQuantile99 = 2.3263478740408408;

// One draw never exceeds this: a limit on everything, and no int64 overflow from a
// lognormal tail.
inline constexpr DurationNs kServiceTimeMaxNs = kHour;

class ServiceTime {
 public:
  enum class Kind : std::uint8_t { kFixed, kExponential, kLogNormal };

  // Zero service time: answers as soon as a worker slot is free.
  ServiceTime() = default;

  // Exactly `duration_ns` every time. Throws std::invalid_argument when negative.
  static ServiceTime fixed(DurationNs duration_ns);
  // Exponential with the given mean. Throws std::invalid_argument when negative.
  static ServiceTime exponential(DurationNs mean_ns);
  // exp(N(log_mu, log_sigma^2)) nanoseconds. Throws when log_sigma < 0 or not finite.
  static ServiceTime logNormal(double log_mu, double log_sigma);
  // The lognormal whose median is p50_ns and 99th percentile p99_ns:
  // mu = ln(p50_ns), sigma = ln(p99_ns / p50_ns) / z(0.99).
  // Throws std::invalid_argument unless 0 < p50_ns <= p99_ns.
  static ServiceTime fromPercentiles(DurationNs p50_ns, DurationNs p99_ns);

  // One service time on a CPU running at `cpu_factor` of its normal speed (the draw
  // is divided by it: 0.25 takes four times longer), rounded to the nanosecond and
  // capped at kServiceTimeMaxNs. A fixed time consumes no draw. cpu_factor > 0.
  DurationNs draw(Rng& rng, double cpu_factor = 1.0) const;

  Kind kind() const { return kind_; }
  DurationNs fixedNs() const { return kind_ == Kind::kFixed ? static_cast<DurationNs>(value_ns_) : 0; }
  DurationNs meanNs() const;  // the distribution's mean (lognormal: exp(mu + sigma^2/2))
  double logMu() const { return kind_ == Kind::kLogNormal ? log_mu_ : 0; }
  double logSigma() const { return kind_ == Kind::kLogNormal ? log_sigma_ : 0; }

  bool operator==(const ServiceTime&) const = default;

 private:
  Kind kind_ = Kind::kFixed;
  double value_ns_ = 0;  // kFixed: the time; kExponential: the mean
  double log_mu_ = 0;
  double log_sigma_ = 0;
};

}  // namespace meshproof::app
