// Faults in live mode, injected on the real processes at their times (from the
// run's t0): crash kills the instance's application and sidecar (SIGKILL) and tells
// the registry the process exited, then restartAfter starts both again; latency,
// abort and cpu switch the application's fault (its admin port); partition has each
// side's sidecars black-hole what they send to the other side; loss delays what the
// target sidecars send by TCP retransmission timeouts; bandwidth narrows the target
// sidecars' links (what they send and receive crosses it at the rate); clock-skew
// moves the target sidecars' wall clocks; control-plane-down and revoke-ca switch the
// control plane. Each start and stop is a FaultEvent, as in simulation.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mesh/core/clock.h"
#include "mesh/core/events.h"
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
  void apply(const scenario::FaultStep& step);
  void call(std::uint16_t port, const std::string& method, const std::string& target, const std::string& body = {});
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
};

}  // namespace meshproof::live
