// One application process as a sans-I/O state machine: the workload behind a
// sidecar. Thread-per-request: a delivered request waits FIFO for one of
// `concurrency` worker slots, spends its service time (drawn when service starts,
// divided by the CPU factor, plus a latency fault's delay), then fails with 500 at
// the error rate or makes its downstream calls one after the other, and answers
// 200 when the last call is answered. The slot is held from service start to the
// answer. A failed non-optional call (see callSucceeded) answers 500 at once.
//
// Driven like the Sidecar: the driver feeds inputs (the methods below), calls
// advance() when the clock reaches nextDeadline() (which may already be now, e.g.
// after a zero service time), and after either carries out every pollAction().
#pragma once
#include <cstdint>
#include <queue>
#include <string>
#include <vector>

#include "mesh/core/action_queue.h"
#include "mesh/app/app_actions.h"
#include "mesh/app/app_faults.h"
#include "mesh/app/behavior.h"
#include "mesh/app/ring_queue.h"
#include "mesh/core/clock.h"
#include "mesh/core/rng.h"

namespace meshproof::app {

struct AppCounters {
  std::uint64_t received = 0;          // requests delivered while running
  std::uint64_t served = 0;            // answers sent, any status
  std::uint64_t errors = 0;            // answers other than 200 (error rate, failed calls, aborts)
  std::uint64_t aborted = 0;           // answers made by the abort fault (also in errors)
  std::uint64_t calls_made = 0;        // downstream calls sent
  std::uint64_t calls_failed = 0;      // downstream calls answered without success, optional or not
  std::uint64_t dropped_by_crash = 0;  // requests in service or queued when the process crashed
};

// Unlimited concurrency still stops here (the worker index lives in a CallId's
// low bits); further requests queue.
inline constexpr std::uint32_t kWorkerBits = 24;
inline constexpr std::uint32_t kWorkersMax = std::uint32_t{1} << kWorkerBits;

class AppInstance {
 public:
  // `clock` must outlive the instance. Random streams are forked from
  // rng.fork(instance + "/app"): a fresh instance with the same rng replays the
  // same draws, so give a restarted process its own rng if that matters.
  AppInstance(Behavior behavior, std::string instance, const Clock& clock, const Rng& rng);
  AppInstance(const AppInstance&) = delete;
  AppInstance& operator=(const AppInstance&) = delete;

  // ---- inputs ----
  // A request delivered by the sidecar; answered later with Respond{id, status}.
  void request(RequestId id, HttpRequest http);
  // The sidecar's final answer to a call this app made (0 = no answer). Unknown or
  // already answered ids are ignored.
  void callAnswered(CallId id, int status);

  // ---- faults (SCENARIO.md latency, abort, cpu) ----
  // Applies to requests starting service from now on.
  void setLatencyFault(DurationNs delay_ns, DurationNs jitter_ns) { faults_.setLatency(delay_ns, jitter_ns); }
  void clearLatencyFault() { faults_.clearLatency(); }
  // Applies to requests arriving from now on; an aborted request takes no slot.
  void setAbortFault(int http_status, double percentage) { faults_.setAbort(http_status, percentage); }
  void clearAbortFault() { faults_.clearAbort(); }
  // Applies to requests starting service from now on; 1 = normal speed.
  void setCpuFactor(double factor) { faults_.setCpuFactor(factor); }
  // The process dies: everything in service, queued or not yet polled is dropped
  // and never answered; later inputs are ignored. The driver resets the
  // connections and makes a fresh AppInstance on restart.
  void crash();

  // ---- time and actions ----
  // The earliest service completion; kNever when none (or crashed).
  TimeNs nextDeadline() const;
  // Runs every service completion due at clock.now(), earliest first, ties in the
  // order the requests started service.
  void advance();
  bool pollAction(AppAction& out);
  bool hasActions() const { return !actions_.empty(); }

  // ---- observation ----
  std::size_t busy() const { return busy_; }          // slots held (in service or awaiting a call)
  std::size_t queued() const { return waiting_.size(); }  // requests waiting for a slot
  const AppCounters& counters() const { return counters_; }
  bool crashed() const { return crashed_; }
  const std::string& name() const { return instance_; }
  const Behavior& behavior() const { return behavior_; }
  const AppFaults& faults() const { return faults_; }

 private:
  struct Worker {
    bool busy = false;
    RequestId request = 0;
    bool has_traceparent = false;
    std::string traceparent;
    std::size_t next_call = 0;
    CallId awaiting = 0;  // the outstanding call; 0 while in service
  };
  struct Waiting {
    RequestId request = 0;
    bool has_traceparent = false;
    std::string traceparent;
  };
  struct Completion {
    TimeNs at = 0;
    std::uint64_t start_sequence = 0;
    std::uint32_t worker = 0;
  };
  struct CompletesLater {
    bool operator()(const Completion& a, const Completion& b) const {
      return a.at != b.at ? a.at > b.at : a.start_sequence > b.start_sequence;
    }
  };

  bool slotFree() const { return busy_ < slot_limit_; }
  Worker& startService(RequestId request);
  void onServiceDone(Worker& worker);
  void callNextOrAnswer(Worker& worker);
  void answer(Worker& worker, int status);
  void respond(RequestId request, int status);
  std::uint32_t indexOf(const Worker& worker) const { return static_cast<std::uint32_t>(&worker - workers_.data()); }

  Behavior behavior_;
  std::string instance_;
  const Clock& clock_;
  Rng service_rng_;        // service-time draws
  Rng error_rng_;          // error-rate draws
  Rng abort_rng_;          // abort-fault draws
  Rng latency_rng_;        // latency-fault jitter draws
  AppFaults faults_;
  std::size_t slot_limit_;

  std::vector<Worker> workers_;       // indexed by worker; grows to the peak concurrency
  std::vector<std::uint32_t> idle_;   // free worker indices, reused last-in first-out
  std::size_t busy_ = 0;
  RingQueue<Waiting> waiting_;
  std::priority_queue<Completion, std::vector<Completion>, CompletesLater> completions_;
  std::uint64_t next_start_sequence_ = 0;
  std::uint64_t next_call_sequence_ = 1;

  ActionQueue<AppAction> actions_;
  AppCounters counters_;
  bool crashed_ = false;
};

}  // namespace meshproof::app
