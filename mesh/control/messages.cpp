// Wire sizes of the control-plane stream's messages, for simulated transmission time.
#include "mesh/control/messages.h"

namespace meshproof::control {

std::uint64_t wireBytes(const ToControlPlane& message) {
  if (std::holds_alternative<CertificateSigningRequest>(message)) return 600;
  if (std::holds_alternative<TelemetryReport>(message)) return 1200;
  return 200;
}

std::uint64_t wireBytes(const ToSidecar& message) {
  if (const auto* push = std::get_if<ConfigPush>(&message)) {
    std::uint64_t bytes = 4000;
    if (push->snapshot && push->snapshot->endpoints)
      for (const auto& [service, instances] : *push->snapshot->endpoints) bytes += 64 + 96 * instances.size();
    return bytes;
  }
  if (std::holds_alternative<CertificateIssued>(message)) return 1500;
  return 200;
}

}  // namespace meshproof::control
