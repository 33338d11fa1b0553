// Faults in live mode, injected on the real processes at their times (from the
// run's t0): crash kills the instance's application and sidecar (SIGKILL) and tells
// the registry the process exited, then restartAfter starts both again; latency,
// abort and cpu switch the application's fault (its admin port); partition has each
// side's sidecars black-hole what they send to the other side; loss delays what the
// target sidecars send by TCP retransmission timeouts; bandwidth narrows the target
// sidecars' links (what they send and receive crosses it at the rate); clock-skew
// moves the target sidecars' wall clocks; control-plane-down and revoke-ca switch the
// control plane. Each start and stop is a FaultEvent, as in simulation. What is in
// force on an instance's app and sidecar is also kept in the run directory
// (fault_state_file.h), so that an instance restarted during a fault comes back with
// it, as in simulation.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "mesh/core/clock.h"
#include "mesh/core/events.h"
#include "mesh/live/fault_state_file.h"
#include "mesh/live/orchestrator/process_supervisor.h"
#include "mesh/live/run_layout.h"
#include "mesh/scenario/fault_timeline.h"

namespace meshproof::live {

class FaultDriver {
 public:
  // `restart(instance)` starts the instance's processes again.
  FaultDriver(boost::asio::io_context& io, const scenario::Plan& plan, const RunLayout& layout,
              ProcessSupervisor& processes, EventSink& sink, const Clock& clock);
  void start();

 private:
  // A call unanswered is tried again every 50 ms for up to 5 s.
  static constexpr int kSyncTries = 100;
  static constexpr std::chrono::milliseconds kSyncRetryInterval{50};

  void apply(const scenario::FaultStep& step);
  void call(std::uint16_t port, const std::string& method, const std::string& target, const std::string& body = {});
  // A fault on `route` of an instance's "app" or "proxy" switched on (with `body`) or
  // off: kept, saved, and told to the process.
  void change(const std::string& instance, const std::string& process, const std::string& route, bool start,
              const nlohmann::json& body);
  // (instance, "app" or "proxy", route)
  using SyncKey = std::tuple<std::string, std::string, std::string>;
  struct Sync {
    std::uint64_t version = 0;  // of what is in force on the route, one more per change
    std::uint64_t sent = 0;     // the version the last call carried
    bool busy = false;          // a call, or the wait before its retry, is under way
    int tries_left = 0;
  };
  void send(const SyncKey& key);
  void scheduleNext();

  boost::asio::io_context& io_;
  const scenario::Plan& plan_;
  const RunLayout& layout_;
  ProcessSupervisor& processes_;
  EventSink& sink_;
  const Clock& clock_;
  std::vector<scenario::FaultStep> steps_;
  std::size_t next_ = 0;
  boost::asio::steady_timer timer_;
  FaultState state_;
  std::map<SyncKey, Sync> syncs_;
};

}  // namespace meshproof::live
