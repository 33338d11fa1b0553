// Fault steps carried out on live processes.
#include "mesh/live/orchestrator/fault_driver.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "mesh/live/control/control_state_file.h"
#include "mesh/live/http_call.h"

namespace meshproof::live {

FaultDriver::FaultDriver(boost::asio::io_context& io, const scenario::Plan& plan, const RunLayout& layout,
                         ProcessSupervisor& processes, EventSink& sink, const Clock& clock)
    : io_(io),
      plan_(plan),
      layout_(layout),
      processes_(processes),
      sink_(sink),
      clock_(clock),
      steps_(scenario::faultTimeline(plan)),
      timer_(io) {}

void FaultDriver::start() { scheduleNext(); }

void FaultDriver::scheduleNext() {
  if (next_ >= steps_.size()) return;
  timer_.expires_at(boost::asio::steady_timer::time_point(std::chrono::nanoseconds(layout_.t0 + steps_[next_].at)));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    while (next_ < steps_.size() && steps_[next_].at <= clock_.now()) apply(steps_[next_++]);
    scheduleNext();
  });
}

void FaultDriver::call(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::string& body) {
  httpCall(io_, port, method, target, body);
}

void FaultDriver::change(const std::string& instance, const std::string& process, const std::string& route,
                         bool start, const nlohmann::json& body) {
  if (start) {
    state_.put(instance, process, route, body);
  } else {
    state_.remove(instance, process, route);
  }
  try {
    state_.save(layout_, instance);  // before the call: a process starting meanwhile reads it
  } catch (const std::exception& e) {
    std::cerr << "meshproof: " << e.what() << " (if " << instance
              << " restarts during this fault, it comes back without it)\n";
  }
  Sync& sync = syncs_[{instance, process, route}];
  ++sync.version;
  sync.tries_left = kSyncTries;
  if (!sync.busy) send({instance, process, route});
}

// One call at a time per route of a process, telling it what is in force on the route
// now (not what was when the change was made): two changes in the same instant reach
// it in order, and a retry never undoes a later change.
void FaultDriver::send(const SyncKey& key) {
  const auto& [instance, process, route] = key;
  const NodePorts* ports = layout_.node(instance);
  if (ports == nullptr) return;
  Sync& sync = syncs_[key];
  sync.busy = true;
  sync.sent = sync.version;
  const std::uint16_t port = process == "app" ? ports->app_admin : ports->admin;
  const nlohmann::json* body = state_.find(instance, process, route);
  httpCall(io_, port, body ? "PUT" : "DELETE", route, body ? body->dump() : std::string(),
           [this, key](const HttpCallResult& result) {
             Sync& done = syncs_[key];
             if (result.status != 0) {
               done.busy = false;
               if (done.version != done.sent) send(key);  // changed meanwhile
               return;
             }
             // No answer: the process is down (killed, or not listening yet after a
             // restart). One that starts later reads the file; try again a while for
             // one that read it just before it changed.
             if (--done.tries_left <= 0) {
               done.busy = false;
               return;
             }
             auto retry = std::make_shared<boost::asio::steady_timer>(io_, kSyncRetryInterval);
             retry->async_wait([this, retry, key](boost::system::error_code ec) {
               if (!ec) send(key);
             });
           });
}

void FaultDriver::apply(const scenario::FaultStep& step) {
  const scenario::Fault& fault = plan_.faults[step.fault];
  const bool start = step.start;
  const std::string method = start ? "PUT" : "DELETE";
  auto apps = [&](const scenario::Target& t, const std::string& route, const nlohmann::json& body) {
    for (const auto& i : t.instances) change(i, "app", route, start, body);
  };
  auto proxies = [&](const std::vector<std::string>& instances, const std::string& route, const nlohmann::json& body) {
    for (const auto& i : instances) change(i, "proxy", route, start, body);
  };
  std::visit(
      [&](const auto& f) {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, scenario::LatencyFault>) {
          apps(f.target, "/fault/latency", {{"delay_ms", toMillis(f.delay)}, {"jitter_ms", toMillis(f.jitter)}});
        } else if constexpr (std::is_same_v<F, scenario::AbortFault>) {
          apps(f.target, "/fault/abort", {{"http_status", f.http_status}, {"percentage", f.percentage}});
        } else if constexpr (std::is_same_v<F, scenario::CpuFault>) {
          apps(f.target, "/fault/cpu", {{"factor", f.factor}});
        } else if constexpr (std::is_same_v<F, scenario::CrashFault>) {
          for (const auto& i : f.target.instances) {
            if (start) {
              processes_.kill("proxy " + i);
              processes_.kill("app " + i);
              // As the kubelet would: the registry first (it outlives the control
              // plane), then the control plane, if it is up, hears of it.
              writeReadiness(layout_, i, false, "the process exited");
              call(layout_.control_admin, "POST", "/registry",
                   nlohmann::json{{"instance", i}, {"ready", false}, {"reason", "the process exited"}}.dump());
            } else {
              processes_.restart("app " + i);
              processes_.restart("proxy " + i);
            }
          }
        } else if constexpr (std::is_same_v<F, scenario::PartitionFault>) {
          proxies(f.side_a.instances, "/fault/partition", {{"peers", f.side_b.instances}});
          proxies(f.side_b.instances, "/fault/partition", {{"peers", f.side_a.instances}});
        } else if constexpr (std::is_same_v<F, scenario::LossFault>) {
          proxies(f.target.instances, "/fault/loss", {{"percentage", f.percentage}});
        } else if constexpr (std::is_same_v<F, scenario::BandwidthFault>) {
          proxies(f.target.instances, "/fault/bandwidth", {{"rate_bps", f.rate_bps}});
        } else if constexpr (std::is_same_v<F, scenario::ClockSkewFault>) {
          proxies(f.target.instances, "/fault/clock-skew", {{"offset_ms", toMillis(f.offset)}});
        } else if constexpr (std::is_same_v<F, scenario::ControlPlaneDownFault>) {
          if (start) {
            processes_.stop("control control-plane", std::chrono::seconds(1));  // as Kubernetes deletes a pod: SIGTERM
          } else {
            processes_.restart("control control-plane");  // it carries on from its saved state
          }
        } else if constexpr (std::is_same_v<F, scenario::RevokeCaFault>) {
          call(layout_.control_admin, method, "/fault/revoke-ca");
        }
      },
      fault.spec);
  sink_.emit(clock_.now(), scenario::faultEvent(fault, start));
}

}  // namespace meshproof::live
