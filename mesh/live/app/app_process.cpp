// Driving the AppInstance from sockets and a timer (see app_process.h).
#include "mesh/live/app/app_process.h"

#include <chrono>
#include <utility>
#include <variant>

#include "mesh/live/app/app_admin_routes.h"
#include "mesh/live/fault_state_file.h"

namespace meshproof::live {

AppProcess::AppProcess(boost::asio::io_context& io, const AppConfig& config)
    : config_(config),
      clock_(config.t0),
      app_(config.behavior, config.instance, clock_, Rng(config.seed)),
      timer_(io),
      inbound_(io, config.instance, [this](app::RequestId id, HttpRequest&& http) { onRequest(id, std::move(http)); }),
      outbound_(io, config.outbound_port, [this](app::CallId call, int status) { onCallAnswered(call, status); }),
      admin_(io) {
  addAppAdminRoutes(admin_, app_);
}

AppProcess::~AppProcess() { close(); }

void AppProcess::start() {
  inbound_.listen(config_.app_port);
  admin_.listen(config_.admin_port);
}

std::vector<std::string> AppProcess::applySavedFaults(const std::string& file) const {
  return live::applySavedFaults(file, "app", admin_);
}

void AppProcess::close() {
  if (closed_) return;
  closed_ = true;
  inbound_.close();
  admin_.close();
  outbound_.close();
  timer_.cancel();
}

void AppProcess::onRequest(app::RequestId id, HttpRequest&& http) {
  if (closed_) return;
  app_.request(id, std::move(http));
  pump();
}

void AppProcess::onCallAnswered(app::CallId call, int status) {
  if (closed_) return;
  app_.callAnswered(call, status);
  pump();
}

void AppProcess::pump() {
  app::AppAction action;
  for (;;) {
    while (app_.pollAction(action)) {
      if (auto* respond = std::get_if<app::Respond>(&action))
        inbound_.respond(respond->request, respond->status);
      else
        outbound_.send(std::get<app::Call>(action).call, std::move(std::get<app::Call>(action).http));
    }
    const TimeNs deadline = app_.nextDeadline();
    if (deadline == kNever) return;
    if (deadline > clock_.now()) return arm(deadline);
    app_.advance();
  }
}

// One timer for every completion: it is moved earlier when a sooner deadline
// appears and otherwise left alone (a wake-up before the next deadline runs nothing
// and re-arms).
void AppProcess::arm(TimeNs deadline) {
  if (armed_at_ <= deadline) return;
  armed_at_ = deadline;
  timer_.expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(config_.t0 + deadline)));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || closed_) return;  // moved (operation_aborted) or closed
    armed_at_ = kNever;
    app_.advance();
    pump();
  });
}

}  // namespace meshproof::live
