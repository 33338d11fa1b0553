// The progress line of long runs: drawn in place on a terminal at most ten times a
// second, never when standard error is not a terminal or --quiet is given.
#pragma once
#include <chrono>
#include <string>

namespace meshproof::cli {

class ProgressLine {
 public:
  ProgressLine(std::string label, bool enabled);
  // Simulated seconds reached out of the total.
  void update(double simulated_s, double total_s);
  // Erases the line.
  void clear();
  bool enabled() const { return enabled_; }

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace meshproof::cli
