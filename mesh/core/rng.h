// The Rng seam: a seeded xoshiro256** generator, forkable by stable name so that
// adding a component never shifts another component's stream. Distributions are our
// own (std:: distributions differ across standard libraries), so a seed gives the
// same draws on every build.
#pragma once
#include <cstdint>
#include <string_view>

namespace meshproof {

// 64-bit FNV-1a followed by a SplitMix64 finaliser: a stable hash for names.
std::uint64_t stableHash(std::string_view s, std::uint64_t seed = 0);

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  // An independent stream named `name`, derived from this stream's seed (not from
  // its current position): forking does not consume draws, and the same name always
  // gives the same stream.
  Rng fork(std::string_view name) const;

  std::uint64_t next();
  // Uniform in [0, 1) with 53 bits.
  double uniform01();
  // Uniform integer in [0, n), unbiased (Lemire's method). n > 0.
  std::uint64_t below(std::uint64_t n);
  // True with probability percent/100 (percent in 0..100).
  bool chancePercent(double percent);
  // Exponential with the given mean.
  double exponential(double mean);
  // Standard normal (Box-Muller, one value per call).
  double normal();
  // exp(N(mu, sigma^2)).
  double lognormal(double mu, double sigma);

  std::uint64_t seed() const { return seed_; }

 private:
  std::uint64_t seed_;
  std::uint64_t s_[4];
};

}  // namespace meshproof
