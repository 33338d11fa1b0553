// What travels on a sidecar's stream to the control plane, both ways. The stream is
// xDS-like: the sidecar says hello with the version it runs, the control plane pushes
// whole snapshots, the sidecar ACKs or NACKs each and says now and then which version
// it runs; the same stream carries certificate signing requests for the mesh CA, and
// the inbound request figures canary analysis judges by. (Readiness does not travel
// here: it reaches the registry from the node, see Registry.)
#pragma once
#include <cstdint>
#include <string>
#include <variant>

#include "mesh/control/snapshot.h"
#include "mesh/identity/certificate.h"
#include "mesh/identity/workload_key.h"
#include "mesh/telemetry/request_stats.h"

namespace meshproof::control {

// ---- sidecar -> control plane ----

// First message on a (re)connected stream: who the node is and what it runs.
struct Hello {
  std::string node;
  std::uint64_t applied_version = 0;  // 0: none yet (a fresh process)
};
struct Ack {
  std::uint64_t version = 0;
};
struct Nack {
  std::uint64_t version = 0;
  std::string reason;
};
// Sent every report interval: the version in use, so that a push lost on the way
// (a partition black-holed it) is sent again.
struct VersionReport {
  std::uint64_t applied_version = 0;
};
struct CertificateSigningRequest {
  identity::CertificateRequestPtr request;
};
// The node's inbound requests since its last report (reporter=destination, as the
// Prometheus queries of Flagger read them).
struct TelemetryReport {
  telemetry::RequestStats inbound;
};

using ToControlPlane = std::variant<Hello, Ack, Nack, VersionReport, CertificateSigningRequest, TelemetryReport>;

// ---- control plane -> sidecar ----

struct ConfigPush {
  SnapshotPtr snapshot;
};
struct CertificateIssued {
  identity::CertificatePtr certificate;
};
struct CertificateDenied {
  std::string reason;
};

using ToSidecar = std::variant<ConfigPush, CertificateIssued, CertificateDenied>;

// Simulated sizes on the wire, in bytes (a snapshot grows with its endpoints).
std::uint64_t wireBytes(const ToControlPlane& message);
std::uint64_t wireBytes(const ToSidecar& message);

}  // namespace meshproof::control
