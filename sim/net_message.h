// What travels between simulated hosts: connection set-up (TCP, then an mTLS round
// trip when the connection is mutual TLS), requests and responses, and the resets a
// host's kernel sends when a process dies. One SimGrid comm carries one message.
#pragma once
#include <cstdint>
#include <string>

#include "mesh/core/http.h"
#include "mesh/core/time.h"

namespace meshproof::sim {

enum class MessageKind : std::uint8_t {
  kConnect,    // client -> server: SYN (stage 0), then the TLS handshake (stage 1)
  kConnected,  // server -> client: SYN-ACK (stage 0), TLS finished (stage 1)
  kRefused,    // server -> client: RST to a connect (the process is down)
  kClose,      // client -> server: the client closed the connection
  kReset,      // server -> client: RST of a connection, or of a direct request
  kRequest,    // client -> server: one HTTP request (an attempt)
  kResponse,   // server -> client: its answer
};

struct NetMessage {
  MessageKind kind = MessageKind::kRequest;
  std::uint32_t from_node = 0;
  std::uint32_t from_epoch = 0;  // the sender's incarnation
  std::uint32_t to_epoch = 0;    // the incarnation the sender addressed; stale ones are dropped
  int stage = 0;                 // connect handshake stage
  std::uint64_t connection = 0;  // the client's connection id (0: a direct request without one)
  std::uint64_t exchange = 0;    // the client's attempt id (or direct request id)
  bool mtls = false;
  std::string peer_identity;     // the client's SPIFFE URI when mtls
  HttpRequest request;
  int status = 0;
  ResponseFlags flags = kNoFlags;
  TimeNs not_before = 0;  // delivered no earlier than this (TCP retransmission after a loss)
};

// Simulated wire sizes in bytes.
inline constexpr std::uint64_t kHandshakeBytes = 300;
inline constexpr std::uint64_t kTlsHandshakeBytes = 2500;  // certificates both ways
inline constexpr std::uint64_t kRequestOverheadBytes = 300;
inline constexpr std::uint64_t kResponseBytes = 400;

std::uint64_t wireBytes(const NetMessage& message);

}  // namespace meshproof::sim
