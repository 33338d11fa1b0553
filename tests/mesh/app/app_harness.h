// Test harness for the application model: a manual clock, an AppInstance built
// from a Behavior, and helpers that step the clock from deadline to deadline and
// collect the actions with the time they were taken.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "mesh/app/app_instance.h"
#include "mesh/core/clock.h"

namespace meshproof::app::testing {

inline constexpr const char* kTraceparentValue = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

struct TimedRespond {
  TimeNs at;
  RequestId request;
  int status;
  bool operator==(const TimedRespond&) const = default;
};

// Readable gtest failure messages: {10ms #1 200}.
inline void PrintTo(const TimedRespond& r, std::ostream* os) {
  *os << "{" << toMillis(r.at) << "ms #" << r.request << " " << r.status << "}";
}

inline Behavior fixedBehavior(DurationNs service_ns, std::uint32_t concurrency = 0,
                              std::vector<DownstreamCall> calls = {}) {
  Behavior b;
  b.service_time = ServiceTime::fixed(service_ns);
  b.concurrency = concurrency;
  b.calls = std::move(calls);
  return b;
}

class AppHarness {
 public:
  explicit AppHarness(Behavior behavior, std::uint64_t seed = 1)
      : app(std::move(behavior), "payments-v1-0", clock, Rng(seed)) {}

  void send(RequestId id, bool with_traceparent = true) {
    HttpRequest r;
    r.method = "POST";
    r.path = "/pay";
    r.authority = "payments";
    if (with_traceparent) r.headers.set("traceparent", kTraceparentValue);
    app.request(id, std::move(r));
    collect();
  }

  void answer(CallId id, int status) {
    app.callAnswered(id, status);
    collect();
  }

  // Steps the clock through every deadline up to `t`, then to `t`.
  void runUntil(TimeNs t) {
    while (app.nextDeadline() <= t) {
      clock.set(std::max(clock.now(), app.nextDeadline()));
      app.advance();
      collect();
    }
    clock.set(t);
  }

  // Moves out the actions collected so far.
  std::vector<TimedRespond> takeResponds() { return std::exchange(responds, {}); }
  std::vector<Call> takeCalls() { return std::exchange(calls, {}); }

  ManualClock clock;
  AppInstance app;
  std::vector<TimedRespond> responds;
  std::vector<Call> calls;

 private:
  void collect() {
    AppAction a;
    while (app.pollAction(a)) {
      if (auto* r = std::get_if<Respond>(&a)) responds.push_back({clock.now(), r->request, r->status});
      if (auto* c = std::get_if<Call>(&a)) calls.push_back(std::move(*c));
    }
  }
};

}  // namespace meshproof::app::testing
