// Rate-limited, in-place progress output on standard error.
#include "cli/progress_line.h"

#include <unistd.h>

#include <cstdio>

namespace meshproof::cli {

ProgressLine::ProgressLine(std::string label, bool enabled)
    : label_(std::move(label)),
      enabled_(enabled && isatty(STDERR_FILENO)),
      started_(std::chrono::steady_clock::now()),
      last_draw_(started_) {}

void ProgressLine::update(double simulated_s, double total_s) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  const double wall = std::chrono::duration<double>(now - started_).count();
  const double shown = simulated_s < total_s ? simulated_s : total_s;
  const int percent = total_s > 0 ? static_cast<int>(100 * shown / total_s) : 100;
  std::fprintf(stderr, "\r\033[K%s  %3d%%  %.1f / %.1f s simulated  %.1f s wall%s", label_.c_str(), percent, shown,
               total_s, wall, simulated_s > total_s ? "  (draining)" : "");
  std::fflush(stderr);
}

void ProgressLine::clear() {
  if (!enabled_ || !drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace meshproof::cli
