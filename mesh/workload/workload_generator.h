// The built-in load generator for one workload entry (SCENARIO.md `workload`): open
// loop (Poisson or constant arrivals at a rate) or closed loop (clients that send,
// wait for the answer, think, and send again), between `start` and `stop`. It is a
// state machine like the sidecar: the node polls Send actions, reports answers, and
// every request ends as one ClientRequestEvent (lost when the run ends first).
#pragma once
#include <cstdint>
#include <map>
#include <queue>
#include <vector>

#include "mesh/core/action_queue.h"
#include "mesh/core/clock.h"
#include "mesh/core/events.h"
#include "mesh/core/rng.h"
#include "mesh/scenario/plan.h"

namespace meshproof::workload {

struct ClientSend {
  std::uint64_t request = 0;  // unique within this generator
  HttpRequest http;
};

class WorkloadGenerator {
 public:
  WorkloadGenerator(const scenario::Workload& workload, const Clock& clock, const Rng& rng, EventSink& sink);

  TimeNs nextDeadline() const;
  void advance();
  bool pollAction(ClientSend& out);
  bool hasActions() const { return !actions_.empty(); }
  // The answer to a request (status 0: none, e.g. a reset with no reply).
  void answered(std::uint64_t request, int status, ResponseFlags flags);
  // The run is over: every request still waiting is reported lost.
  void finish();

  std::size_t outstanding() const { return outstanding_.size(); }
  std::uint64_t sent() const { return sent_; }
  const scenario::Workload& workload() const { return workload_; }

 private:
  struct Outstanding {
    TimeNs start = 0;
    int client = -1;  // closed loop: which client sent it
    TraceIdText trace_id;
  };
  void send(int client);
  void scheduleNextArrival();

  const scenario::Workload& workload_;
  const Clock& clock_;
  Rng rng_;
  Rng trace_rng_;
  EventSink& sink_;
  bool open_loop_;
  TimeNs next_arrival_ = kNever;
  // Closed loop: when each idle client sends next (ordered by time, then client).
  std::priority_queue<std::pair<TimeNs, int>, std::vector<std::pair<TimeNs, int>>, std::greater<>> clients_;
  std::map<std::uint64_t, Outstanding> outstanding_;
  ActionQueue<ClientSend> actions_;
  std::uint64_t next_request_ = 1;
  std::uint64_t sent_ = 0;
};

}  // namespace meshproof::workload
