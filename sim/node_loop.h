// The wait at the heart of every node actor: one pending receive on the node's
// mailbox, raced against the node's next deadline with Comm::wait_any_for, and the
// node's clock kept on SimGrid's (integer nanoseconds; a timeout that lands a hair
// before the deadline in floating point is rounded up to it).
#pragma once
#include <memory>
#include <vector>

#include <simgrid/s4u/Comm.hpp>

#include "mesh/core/clock.h"
#include "sim/net_message.h"

namespace simgrid::s4u {
class Mailbox;
}

namespace meshproof::sim {

// SimGrid's clock in nanoseconds.
TimeNs simulatedNow();
// Moves `clock` forward to SimGrid's time (never back).
void syncClock(ManualClock& clock);

class MailboxWaiter {
 public:
  // Makes the calling actor the mailbox's permanent receiver, so that messages start
  // flowing when they are sent (as on a TCP socket) rather than when the receiver
  // next asks: a second message sent at once to a busy node is not delayed by a
  // whole extra latency.
  explicit MailboxWaiter(simgrid::s4u::Mailbox* mailbox);
  // The receive still waiting when the run ends (the node actor is killed with
  // messages still crossing a narrowed link) is cancelled, not left for SimGrid to
  // find unfinished (it prints a backtrace for each).
  ~MailboxWaiter();
  MailboxWaiter(const MailboxWaiter&) = delete;
  MailboxWaiter& operator=(const MailboxWaiter&) = delete;
  // The next message, or null when `deadline` (kNever: none) passed first.
  std::unique_ptr<NetMessage> wait(TimeNs deadline, ManualClock& clock);

 private:
  simgrid::s4u::Mailbox* mailbox_;
  NetMessage* incoming_ = nullptr;
  simgrid::s4u::CommPtr pending_;
  std::vector<simgrid::s4u::CommPtr> waiting_;
};

}  // namespace meshproof::sim
