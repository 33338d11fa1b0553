// Mailbox-or-deadline waits for node actors.
#include "sim/node_loop.h"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cmath>

namespace meshproof::sim {
namespace sg4 = simgrid::s4u;

TimeNs simulatedNow() { return static_cast<TimeNs>(std::llround(sg4::Engine::get_clock() * 1e9)); }

void syncClock(ManualClock& clock) {
  const TimeNs now = simulatedNow();
  if (now > clock.now()) clock.set(now);
}

MailboxWaiter::MailboxWaiter(sg4::Mailbox* mailbox) : mailbox_(mailbox) {
  mailbox_->set_receiver(sg4::Actor::self());
}

MailboxWaiter::~MailboxWaiter() {
  if (pending_) pending_->cancel();
  delete incoming_;
}

std::unique_ptr<NetMessage> MailboxWaiter::wait(TimeNs deadline, ManualClock& clock) {
  if (!pending_) pending_ = mailbox_->get_async<NetMessage>(&incoming_);
  waiting_.assign(1, pending_);
  const double timeout =
      deadline == kNever ? -1.0 : static_cast<double>(std::max<TimeNs>(0, deadline - clock.now())) / 1e9;
  const ssize_t ready = sg4::Comm::wait_any_for(waiting_, timeout);
  syncClock(clock);
  if (ready == 0) {
    pending_ = nullptr;
    std::unique_ptr<NetMessage> message(incoming_);
    incoming_ = nullptr;
    return message;
  }
  // Woken by the timeout: the floating-point clock may sit a hair before it.
  if (deadline != kNever && clock.now() < deadline) clock.set(deadline);
  return nullptr;
}

}  // namespace meshproof::sim
