// The application state machine: worker slots, the FIFO of waiting requests, the
// service-completion queue and the sequential downstream calls (see app_instance.h).
#include "mesh/app/app_instance.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace meshproof::app {
namespace {

constexpr std::string_view kTraceparent = "traceparent";
constexpr CallId kWorkerMask = kWorkersMax - 1;

}  // namespace

AppInstance::AppInstance(Behavior behavior, std::string instance, const Clock& clock, const Rng& rng)
    : behavior_(std::move(behavior)),
      instance_(std::move(instance)),
      clock_(clock),
      service_rng_(rng.fork(instance_ + "/app").fork("service-time")),
      error_rng_(rng.fork(instance_ + "/app").fork("errors")),
      abort_rng_(rng.fork(instance_ + "/app").fork("abort-fault")),
      latency_rng_(rng.fork(instance_ + "/app").fork("latency-fault")),
      slot_limit_(behavior_.concurrency == 0 ? kWorkersMax : std::min(behavior_.concurrency, kWorkersMax)) {}

void AppInstance::request(RequestId id, HttpRequest http) {
  if (crashed_) return;
  ++counters_.received;
  if (const auto status = faults_.drawAbort(abort_rng_)) {
    ++counters_.aborted;
    respond(id, *status);
    return;
  }
  const std::string* traceparent = http.headers.find(kTraceparent);
  if (slotFree()) {
    Worker& worker = startService(id);
    worker.has_traceparent = traceparent != nullptr;
    if (traceparent) worker.traceparent.assign(*traceparent);
    return;
  }
  Waiting& slot = waiting_.pushSlot();
  slot.request = id;
  slot.has_traceparent = traceparent != nullptr;
  if (traceparent) slot.traceparent.assign(*traceparent);
}

void AppInstance::callAnswered(CallId id, int status) {
  if (crashed_) return;
  const auto index = static_cast<std::size_t>(id & kWorkerMask);
  if (index >= workers_.size()) return;
  Worker& worker = workers_[index];
  if (!worker.busy || worker.awaiting != id) return;
  worker.awaiting = 0;
  const DownstreamCall& call = behavior_.calls[worker.next_call++];
  if (!callSucceeded(status)) {
    ++counters_.calls_failed;
    if (!call.optional) {
      answer(worker, 500);
      return;
    }
  }
  callNextOrAnswer(worker);
}

void AppInstance::crash() {
  if (crashed_) return;
  crashed_ = true;
  counters_.dropped_by_crash += busy_ + waiting_.size();
  workers_.clear();
  idle_.clear();
  busy_ = 0;
  waiting_.clear();
  completions_ = {};
  actions_.clear();
}

TimeNs AppInstance::nextDeadline() const {
  if (crashed_ || completions_.empty()) return kNever;
  return completions_.top().at;
}

void AppInstance::advance() {
  const TimeNs now = clock_.now();
  while (!crashed_ && !completions_.empty() && completions_.top().at <= now) {
    const std::uint32_t index = completions_.top().worker;
    completions_.pop();
    onServiceDone(workers_[index]);
  }
}

bool AppInstance::pollAction(AppAction& out) {
  return actions_.poll(out);
}

// The returned reference is valid until the next startService.
AppInstance::Worker& AppInstance::startService(RequestId request) {
  std::uint32_t index;
  if (!idle_.empty()) {
    index = idle_.back();
    idle_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(workers_.size());
    workers_.emplace_back();
  }
  ++busy_;
  Worker& worker = workers_[index];
  worker.busy = true;
  worker.request = request;
  worker.next_call = 0;
  worker.awaiting = 0;
  const DurationNs service_ns =
      behavior_.service_time.draw(service_rng_, faults_.cpuFactor()) + faults_.drawExtraDelay(latency_rng_);
  completions_.push(Completion{clock_.now() + service_ns, next_start_sequence_++, index});
  return worker;
}

void AppInstance::onServiceDone(Worker& worker) {
  if (error_rng_.chancePercent(behavior_.error_rate_percent)) {
    answer(worker, 500);
    return;
  }
  callNextOrAnswer(worker);
}

void AppInstance::callNextOrAnswer(Worker& worker) {
  if (worker.next_call == behavior_.calls.size()) {
    answer(worker, 200);
    return;
  }
  const DownstreamCall& spec = behavior_.calls[worker.next_call];
  worker.awaiting = (next_call_sequence_++ << kWorkerBits) | indexOf(worker);
  Call call;
  call.call = worker.awaiting;
  call.http.authority = spec.service;
  call.http.path = spec.path;
  call.http.method = spec.method;
  if (worker.has_traceparent) call.http.headers.set(kTraceparent, worker.traceparent);
  ++counters_.calls_made;
  actions_.emplace_back(std::move(call));
}

// Answers the worker's request, frees its slot and hands the slot to the longest
// waiting request, which starts service now.
void AppInstance::answer(Worker& worker, int status) {
  respond(worker.request, status);
  worker.busy = false;
  worker.awaiting = 0;
  idle_.push_back(indexOf(worker));
  --busy_;
  while (slotFree() && !waiting_.empty()) {
    Waiting& next = waiting_.front();
    Worker& started = startService(next.request);
    started.has_traceparent = next.has_traceparent;
    started.traceparent.swap(next.traceparent);
    waiting_.pop();
  }
}

void AppInstance::respond(RequestId request, int status) {
  ++counters_.served;
  if (status != 200) ++counters_.errors;
  actions_.emplace_back(Respond{request, status});
}

}  // namespace meshproof::app
