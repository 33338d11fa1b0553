// Arrival processes and end-to-end accounting of workload requests.
#include "mesh/workload/workload_generator.h"

#include <cmath>

#include "mesh/telemetry/trace_context.h"

namespace meshproof::workload {

WorkloadGenerator::WorkloadGenerator(const scenario::Workload& workload, const Clock& clock, const Rng& rng,
                                     EventSink& sink)
    : workload_(workload),
      clock_(clock),
      rng_(rng.fork("workload/" + workload.name)),
      trace_rng_(rng_.fork("trace")),
      sink_(sink),
      open_loop_(std::holds_alternative<scenario::OpenLoop>(workload.load)) {
  if (open_loop_) {
    const auto& open = std::get<scenario::OpenLoop>(workload_.load);
    // Constant arrivals start at `start`; a Poisson process has its first arrival one
    // exponential gap after it (memorylessness: no arrival is special).
    next_arrival_ = workload_.start;
    if (open.rate_per_s <= 0) {
      next_arrival_ = kNever;
    } else if (open.arrival == scenario::Arrival::kPoisson) {
      scheduleNextArrival();
    }
  } else {
    const auto& closed = std::get<scenario::ClosedLoop>(workload_.load);
    for (int c = 0; c < closed.clients; ++c) clients_.push({workload_.start, c});
  }
}

TimeNs WorkloadGenerator::nextDeadline() const {
  TimeNs next = open_loop_ ? next_arrival_ : (clients_.empty() ? kNever : clients_.top().first);
  return next < workload_.stop ? next : kNever;
}

void WorkloadGenerator::scheduleNextArrival() {
  const auto& open = std::get<scenario::OpenLoop>(workload_.load);
  const double mean_ns = 1e9 / open.rate_per_s;
  const double gap = open.arrival == scenario::Arrival::kPoisson ? rng_.exponential(mean_ns) : mean_ns;
  next_arrival_ += std::max<DurationNs>(1, static_cast<DurationNs>(std::llround(gap)));
}

void WorkloadGenerator::advance() {
  const TimeNs now = clock_.now();
  if (open_loop_) {
    while (next_arrival_ <= now && next_arrival_ < workload_.stop) {
      send(-1);
      scheduleNextArrival();
    }
    return;
  }
  while (!clients_.empty() && clients_.top().first <= now && clients_.top().first < workload_.stop) {
    const int client = clients_.top().second;
    clients_.pop();
    send(client);
  }
}

void WorkloadGenerator::send(int client) {
  const std::uint64_t id = next_request_++;
  ClientSend s;
  s.request = id;
  s.http.method = workload_.method;
  s.http.path = workload_.path;
  s.http.authority = workload_.target;
  for (const auto& [name, value] : workload_.headers) s.http.headers.set(name, value);
  // The client starts the trace, as a traced client would: every hop shares its id.
  const telemetry::TraceContext trace = telemetry::newTrace(trace_rng_, true);
  s.http.headers.setOwned("traceparent", telemetry::formatTraceparent(trace));
  outstanding_[id] = Outstanding{clock_.now(), client, telemetry::toHex(trace.trace_id)};
  actions_.push_back(std::move(s));
  ++sent_;
}

bool WorkloadGenerator::pollAction(ClientSend& out) {
  return actions_.poll(out);
}

void WorkloadGenerator::answered(std::uint64_t request, int status, ResponseFlags flags) {
  auto it = outstanding_.find(request);
  if (it == outstanding_.end()) return;
  const TimeNs now = clock_.now();
  ClientRequestEvent ev;
  ev.workload = workload_.name;
  ev.target_service = workload_.target;
  ev.method = workload_.method;
  ev.path = workload_.path;
  ev.status = status;
  ev.flags = flags;
  ev.start = it->second.start;
  ev.duration = now - it->second.start;
  ev.trace_id = it->second.trace_id;
  const int client = it->second.client;
  outstanding_.erase(it);
  sink_.emit(now, Event(std::move(ev)));
  if (client >= 0) {
    const auto& closed = std::get<scenario::ClosedLoop>(workload_.load);
    clients_.push({now + closed.think_time, client});
  }
}

void WorkloadGenerator::finish() {
  const TimeNs now = clock_.now();
  for (const auto& [id, o] : outstanding_) {
    ClientRequestEvent ev;
    ev.workload = workload_.name;
    ev.target_service = workload_.target;
    ev.method = workload_.method;
    ev.path = workload_.path;
    ev.start = o.start;
    ev.duration = now - o.start;
    ev.lost = true;
    ev.trace_id = o.trace_id;
    sink_.emit(now, Event(std::move(ev)));
  }
  outstanding_.clear();
}

}  // namespace meshproof::workload
