// What travels between simulated hosts: connection set-up (TCP, then an mTLS round
// trip when the connection is mutual TLS, carrying each side's certificate),
// requests and responses, the resets a host's kernel sends when a process dies, and
// the messages of a sidecar's stream to the control plane. One SimGrid comm carries
// one message.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mesh/control/messages.h"
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
  kControl,    // either way on a control-plane stream: one xDS / CA / report message
  kRegistry,   // node -> control plane's registry: the instance's readiness (stage: RegistryStatus)
};

// What a node's kubelet tells the registry (Kubernetes' endpoints): it travels on the
// control network, which data-plane faults (partitions, loss) do not cut.
enum RegistryStatus : int { kNotReady = 0, kReady = 1, kProcessExited = 2 };

// The connection id of a sidecar's stream to the control plane (sidecar connection ids
// never reach it: they hold a cluster index below 2^24 above bit 40).
inline constexpr std::uint64_t kControlStream = ~std::uint64_t{0};

struct NetMessage {
  MessageKind kind = MessageKind::kRequest;
  std::uint32_t from_node = 0;
  std::uint32_t from_epoch = 0;  // the sender's incarnation
  std::uint32_t to_epoch = 0;    // the incarnation the sender addressed; stale ones are dropped
  int stage = 0;                 // connect handshake stage
  std::uint64_t connection = 0;  // the client's connection id (0: a direct request without one)
  std::uint64_t exchange = 0;    // the client's attempt id (or direct request id)
  bool mtls = false;             // kConnect: the connection is mTLS; kRequest, kResponse: it crosses one
  std::string peer_identity;     // the client's SPIFFE URI when mtls
  identity::CertificatePtr certificate;  // the TLS handshake (stage 1): the sender's certificate
  std::shared_ptr<const control::ToControlPlane> to_control_plane;  // kControl, sidecar -> control plane
  std::shared_ptr<const control::ToSidecar> to_sidecar;             // kControl, control plane -> sidecar
  HttpRequest request;
  int status = 0;
  ResponseFlags flags = kNoFlags;  // kResponse: local-reply flags; kRefused: kMtlsRejected for a TLS failure
  TimeNs not_before = 0;  // delivered no earlier than this (TCP retransmission after a loss)
};

// Simulated wire sizes in bytes. Requests and answers are charged what the live
// processes write for them (mesh/core/http_wire_size.h), in TLS records between
// sidecars over mTLS. The TLS handshake is charged as measured for the mesh's ECDSA
// P-256 workload certificates under TLS 1.3: the client's ClientHello (517) and
// Certificate, CertificateVerify and Finished (1101); the server's flight (1323) and
// its session tickets (158).
inline constexpr std::uint64_t kHandshakeBytes = 300;
inline constexpr std::uint64_t kTlsClientHandshakeBytes = 517 + 1101;
inline constexpr std::uint64_t kTlsServerHandshakeBytes = 1323 + 158;

// `from_name`: the sending node's name (the instance whose app answered a request).
std::uint64_t wireBytes(const NetMessage& message, std::string_view from_name);

}  // namespace meshproof::sim
