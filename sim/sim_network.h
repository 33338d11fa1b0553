// The simulated network between nodes: a SimGrid mailbox per node, the incarnation
// (epoch) of each node, and the faults that act on carriage rather than on hosts:
// partitions (messages across are black-holed, as with a dropped route) and loss
// (TCP retransmits: each loss delays a message by the retransmission timeout,
// doubling on repeated losses, instead of losing it). Registry reports (kRegistry)
// take the control network: no partition or loss acts on them.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "mesh/core/rng.h"
#include "sim/net_message.h"

namespace simgrid::s4u {
class Host;
class Mailbox;
}  // namespace simgrid::s4u

namespace meshproof::sim {

// Linux's minimum retransmission timeout.
inline constexpr DurationNs kTcpMinRto = 200 * kMillisecond;

class SimNetwork {
 public:
  explicit SimNetwork(const Rng& rng) : rng_(rng.fork("network")) {}

  std::uint32_t addNode(const std::string& name, simgrid::s4u::Host* host);
  std::uint32_t nodeIndex(const std::string& name) const;  // throws if unknown
  bool hasNode(const std::string& name) const { return index_.count(name) != 0; }
  const std::string& nodeName(std::uint32_t node) const { return nodes_[node].name; }
  simgrid::s4u::Host* host(std::uint32_t node) const { return nodes_[node].host; }
  simgrid::s4u::Mailbox* mailbox(std::uint32_t node) const { return nodes_[node].mailbox; }
  std::uint32_t epoch(std::uint32_t node) const { return nodes_[node].epoch; }
  std::uint32_t bumpEpoch(std::uint32_t node) { return ++nodes_[node].epoch; }
  std::size_t size() const { return nodes_.size(); }

  // Sends from the calling actor's host. Fills from_node, from_epoch, not_before.
  void send(std::uint32_t from, std::uint32_t to, std::unique_ptr<NetMessage> message, TimeNs now);

  // Faults.
  int addPartition(std::set<std::uint32_t> side_a, std::set<std::uint32_t> side_b);
  void removePartition(int id);
  void setLoss(std::uint32_t node, double percentage);
  void clearLoss(std::uint32_t node);
  bool partitioned(std::uint32_t a, std::uint32_t b) const;

  std::uint64_t messagesSent() const { return messages_sent_; }
  std::uint64_t messagesDropped() const { return messages_dropped_; }

 private:
  struct Node {
    std::string name;
    simgrid::s4u::Host* host = nullptr;
    simgrid::s4u::Mailbox* mailbox = nullptr;
    std::uint32_t epoch = 1;
    double loss_percentage = 0;
  };
  struct Partition {
    std::set<std::uint32_t> a, b;
  };
  DurationNs retransmissionDelay(double loss_percentage);

  Rng rng_;
  std::vector<Node> nodes_;
  std::map<std::string, std::uint32_t> index_;
  std::map<int, Partition> partitions_;
  int next_partition_ = 1;
  std::uint64_t messages_sent_ = 0;
  std::uint64_t messages_dropped_ = 0;
};

}  // namespace meshproof::sim
