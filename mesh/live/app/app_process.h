// The stand-in application process of live mode (`meshproof app`): the same
// app::AppInstance the simulator drives, carried on real sockets. Requests come in
// on the app port (AppInbound), downstream calls go out through the sidecar's
// outbound port (AppOutbound), service times run on one steady_timer re-armed at
// the instance's next deadline, and the admin port sets the latency, abort and cpu
// faults. Single-threaded: everything runs on the io_context given.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <string>
#include <vector>

#include "mesh/app/app_instance.h"
#include "mesh/live/app/app_config.h"
#include "mesh/live/app/app_inbound.h"
#include "mesh/live/app/app_outbound.h"
#include "mesh/live/http/admin_server.h"
#include "mesh/live/live_clock.h"

namespace meshproof::live {

class AppProcess {
 public:
  AppProcess(boost::asio::io_context& io, const AppConfig& config);
  ~AppProcess();  // close()
  AppProcess(const AppProcess&) = delete;
  AppProcess& operator=(const AppProcess&) = delete;

  // Binds the app port, then the admin port (so /ready answers once both are up).
  // Throws std::runtime_error "cannot listen on 127.0.0.1:PORT: <reason>".
  void start();
  // Puts the faults `file` (fault_state_file.h) holds for the app through the admin
  // routes; returns what went wrong, one line each.
  std::vector<std::string> applySavedFaults(const std::string& file) const;
  // Closes the listeners and every connection; nothing runs afterwards.
  void close();

  const app::AppInstance& instance() const { return app_; }
  std::uint16_t appPort() const { return inbound_.port(); }
  std::uint16_t adminPort() const { return admin_.port(); }

 private:
  void onRequest(app::RequestId id, HttpRequest&& http);
  void onCallAnswered(app::CallId call, int status);
  // Carries out every action, runs the completions that are due, and arms the
  // timer for the next one.
  void pump();
  void arm(TimeNs deadline);

  AppConfig config_;
  LiveClock clock_;
  app::AppInstance app_;
  boost::asio::steady_timer timer_;
  TimeNs armed_at_ = kNever;  // the deadline the timer waits for; kNever when idle
  AppInbound inbound_;
  AppOutbound outbound_;
  http::AdminServer admin_;
  bool closed_ = false;
};

}  // namespace meshproof::live
