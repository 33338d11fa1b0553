// Service-time factories and draws (see service_time.h).
#include "mesh/app/service_time.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace meshproof::app {

ServiceTime ServiceTime::fixed(DurationNs duration_ns) {
  if (duration_ns < 0) throw std::invalid_argument("fixed service time must not be negative");
  ServiceTime t;
  t.kind_ = Kind::kFixed;
  t.value_ns_ = static_cast<double>(duration_ns);
  return t;
}

ServiceTime ServiceTime::exponential(DurationNs mean_ns) {
  if (mean_ns < 0) throw std::invalid_argument("exponential service time mean must not be negative");
  ServiceTime t;
  t.kind_ = Kind::kExponential;
  t.value_ns_ = static_cast<double>(mean_ns);
  return t;
}

ServiceTime ServiceTime::logNormal(double log_mu, double log_sigma) {
  if (!std::isfinite(log_mu) || !std::isfinite(log_sigma) || log_sigma < 0)
    throw std::invalid_argument("lognormal service time needs a finite mu and a finite sigma >= 0");
  ServiceTime t;
  t.kind_ = Kind::kLogNormal;
  t.log_mu_ = log_mu;
  t.log_sigma_ = log_sigma;
  return t;
}

ServiceTime ServiceTime::fromPercentiles(DurationNs p50_ns, DurationNs p99_ns) {
  if (p50_ns <= 0 || p99_ns < p50_ns) throw std::invalid_argument("service time percentiles need 0 < p50 <= p99");
  const double p50 = static_cast<double>(p50_ns);
  const double p99 = static_cast<double>(p99_ns);
  return logNormal(std::log(p50), std::log(p99 / p50) / kNormalQuantile99);
}

DurationNs ServiceTime::draw(Rng& rng, double cpu_factor) const {
  double ns = 0;
  switch (kind_) {
    case Kind::kFixed:
      ns = value_ns_;
      break;
    case Kind::kExponential:
      ns = rng.exponential(value_ns_);
      break;
    case Kind::kLogNormal:
      ns = rng.lognormal(log_mu_, log_sigma_);
      break;
  }
  ns /= cpu_factor;
  if (!(ns > 0)) return 0;  // also a NaN from a nonsensical factor
  return static_cast<DurationNs>(std::llround(std::min(ns, static_cast<double>(kServiceTimeMaxNs))));
}

DurationNs ServiceTime::meanNs() const {
  double mean = value_ns_;
  if (kind_ == Kind::kLogNormal) mean = std::exp(log_mu_ + log_sigma_ * log_sigma_ / 2);
  return static_cast<DurationNs>(std::llround(std::min(mean, static_cast<double>(kServiceTimeMaxNs))));
}

}  // namespace meshproof::app
