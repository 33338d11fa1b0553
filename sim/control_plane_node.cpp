// The control plane's actor: stream set-up, message carriage, and its outage.
#include "sim/control_plane_node.h"

#include <simgrid/s4u.hpp>

#include <algorithm>

#include "sim/simulation.h"

namespace meshproof::sim {

ControlPlaneNode::ControlPlaneNode(control::ControlPlaneSpec spec, identity::CertificateAuthority& ca,
                                   SimNetwork& network, EventSink& sink)
    : clock_(0, kSimWallEpoch), network_(network) {
  control_plane_.emplace(std::move(spec), clock_, ca, sink);
}

void ControlPlaneNode::send(std::uint32_t to, std::uint32_t epoch, std::unique_ptr<NetMessage> message) {
  message->to_epoch = epoch;
  network_.send(index_, to, std::move(message), clock_.now());
}

void ControlPlaneNode::run() {
  MailboxWaiter waiter(network_.mailbox(index_));
  for (;;) {
    syncClock(clock_);
    while (!outages_.empty() && outages_.begin()->first <= clock_.now()) {
      const bool down = outages_.begin()->second;
      outages_.erase(outages_.begin());
      if (down) {
        stop();
      } else {
        start();
      }
    }
    while (!delayed_.empty() && delayed_.begin()->first <= clock_.now()) {
      auto m = std::move(delayed_.begin()->second);
      delayed_.erase(delayed_.begin());
      m->not_before = 0;
      handle(std::move(m));
    }
    control_plane_->advance();
    pump();
    TimeNs deadline = control_plane_->nextDeadline();
    if (!delayed_.empty()) deadline = std::min(deadline, delayed_.begin()->first);
    if (!outages_.empty()) deadline = std::min(deadline, outages_.begin()->first);
    if (auto message = waiter.wait(deadline, clock_)) handle(std::move(message));
  }
}

void ControlPlaneNode::handle(std::unique_ptr<NetMessage> m) {
  if (m->not_before > clock_.now()) {  // a retransmitted message (loss): later
    const TimeNs at = m->not_before;
    delayed_.emplace(at, std::move(m));
    return;
  }
  const std::string& node = network_.nodeName(m->from_node);
  if (m->kind == MessageKind::kRegistry) {  // the registry lives on while this process is down
    static const char* const kReasons[] = {"sidecar not ready", "sidecar ready", "the process exited"};
    control_plane_->instanceStatus(node, m->stage == kReady, kReasons[m->stage]);
    return;
  }
  if (down_ || (m->kind != MessageKind::kConnect && m->to_epoch != network_.epoch(index_))) {
    if (m->kind == MessageKind::kConnect) {  // nobody listens: the kernel refuses
      auto reply = std::make_unique<NetMessage>();
      reply->kind = MessageKind::kRefused;
      reply->connection = kControlStream;
      send(m->from_node, m->from_epoch, std::move(reply));
    }
    return;
  }
  switch (m->kind) {
    case MessageKind::kConnect: {
      streams_[m->from_node] = m->from_epoch;
      auto reply = std::make_unique<NetMessage>();
      reply->kind = MessageKind::kConnected;
      reply->connection = kControlStream;
      send(m->from_node, m->from_epoch, std::move(reply));
      break;
    }
    case MessageKind::kControl: {
      auto it = streams_.find(m->from_node);
      if (it == streams_.end() || it->second != m->from_epoch || !m->to_control_plane) break;
      control_plane_->receive(node, *m->to_control_plane);
      break;
    }
    case MessageKind::kClose:
    case MessageKind::kReset: {
      auto it = streams_.find(m->from_node);
      if (it == streams_.end() || it->second != m->from_epoch) break;
      streams_.erase(it);
      control_plane_->streamClosed(node);
      break;
    }
    default:
      break;
  }
  pump();
}

void ControlPlaneNode::pump() {
  control::Outgoing out;
  while (control_plane_->pollAction(out)) {
    const std::uint32_t to = network_.nodeIndex(out.node);
    auto it = streams_.find(to);
    if (it == streams_.end()) continue;
    auto m = std::make_unique<NetMessage>();
    m->kind = MessageKind::kControl;
    m->connection = kControlStream;
    m->to_sidecar = std::make_shared<const control::ToSidecar>(std::move(out.message));
    send(to, it->second, std::move(m));
  }
}

void ControlPlaneNode::scheduleOutage(TimeNs at, TimeNs until) {
  outages_.emplace(at, true);
  if (until != kNever) outages_.emplace(until, false);
}

void ControlPlaneNode::stop() {
  if (down_) return;
  syncClock(clock_);
  down_ = true;
  for (const auto& [node, epoch] : streams_) {
    auto m = std::make_unique<NetMessage>();
    m->kind = MessageKind::kReset;
    m->connection = kControlStream;
    send(node, epoch, std::move(m));
  }
  streams_.clear();
  control_plane_->stop();
}

void ControlPlaneNode::start() {
  if (!down_) return;
  syncClock(clock_);
  network_.bumpEpoch(index_);
  down_ = false;
  control_plane_->start();
}

}  // namespace meshproof::sim
