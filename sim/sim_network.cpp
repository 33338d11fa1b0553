// Message carriage over SimGrid mailboxes, with partitions and TCP-like loss.
#include "sim/sim_network.h"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <stdexcept>

#include "mesh/core/http_wire_size.h"

namespace meshproof::sim {
namespace sg4 = simgrid::s4u;

std::uint64_t wireBytes(const NetMessage& m, std::string_view from_name) {
  const auto sealed = [&m](std::uint64_t plain) { return m.mtls ? tlsRecordBytes(plain) : plain; };
  switch (m.kind) {
    case MessageKind::kConnect: return m.stage == 1 ? kTlsClientHandshakeBytes : kHandshakeBytes;
    case MessageKind::kConnected: return m.stage == 1 ? kTlsServerHandshakeBytes : kHandshakeBytes;
    case MessageKind::kRequest: return sealed(http1RequestBytes(m.request));
    case MessageKind::kResponse:  // a local reply carries its flags; the app's answer has none
      return sealed(m.flags != kNoFlags ? http1LocalReplyBytes(m.status, m.flags)
                                        : http1AppAnswerBytes(m.status, from_name));
    case MessageKind::kRefused:
    case MessageKind::kClose:
    case MessageKind::kReset: return kHandshakeBytes;
    case MessageKind::kRegistry: return kHandshakeBytes;
    case MessageKind::kControl:
      return m.to_control_plane ? control::wireBytes(*m.to_control_plane) : control::wireBytes(*m.to_sidecar);
  }
  return kHandshakeBytes;
}

std::uint32_t SimNetwork::addNode(const std::string& name, sg4::Host* host) {
  const auto index = static_cast<std::uint32_t>(nodes_.size());
  nodes_.push_back(Node{name, host, sg4::Mailbox::by_name(name), 1, 0});
  index_[name] = index;
  return index;
}

std::uint32_t SimNetwork::nodeIndex(const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end()) throw std::out_of_range("unknown simulated node " + name);
  return it->second;
}

DurationNs SimNetwork::retransmissionDelay(double loss_percentage) {
  DurationNs delay = 0;
  DurationNs rto = kTcpMinRto;
  // Each transmission is lost independently; give up doubling after six tries.
  for (int tries = 0; tries < 6 && rng_.chancePercent(loss_percentage); ++tries) {
    delay += rto;
    rto *= 2;
  }
  return delay;
}

void SimNetwork::send(std::uint32_t from, std::uint32_t to, std::unique_ptr<NetMessage> message, TimeNs now) {
  message->from_node = from;
  message->from_epoch = nodes_[from].epoch;
  const bool control_network = message->kind == MessageKind::kRegistry;
  if (!control_network && partitioned(from, to)) {
    ++messages_dropped_;
    return;
  }
  const double loss = control_network ? 0 : std::max(nodes_[from].loss_percentage, nodes_[to].loss_percentage);
  message->not_before = loss > 0 ? now + retransmissionDelay(loss) : 0;
  const std::uint64_t bytes = wireBytes(*message, nodes_[from].name);
  ++messages_sent_;
  NetMessage* raw = message.release();
  nodes_[to].mailbox->put_init(raw, bytes)->detach([](void* p) { delete static_cast<NetMessage*>(p); });
}

int SimNetwork::addPartition(std::set<std::uint32_t> side_a, std::set<std::uint32_t> side_b) {
  const int id = next_partition_++;
  partitions_[id] = Partition{std::move(side_a), std::move(side_b)};
  return id;
}

void SimNetwork::removePartition(int id) { partitions_.erase(id); }

bool SimNetwork::partitioned(std::uint32_t a, std::uint32_t b) const {
  for (const auto& [id, p] : partitions_) {
    if ((p.a.count(a) && p.b.count(b)) || (p.a.count(b) && p.b.count(a))) return true;
  }
  return false;
}

void SimNetwork::setLoss(std::uint32_t node, double percentage) { nodes_[node].loss_percentage = percentage; }
void SimNetwork::clearLoss(std::uint32_t node) { nodes_[node].loss_percentage = 0; }

}  // namespace meshproof::sim
