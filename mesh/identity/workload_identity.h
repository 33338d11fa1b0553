// The certificate half of a sidecar's agent (Istio's SDS in pilot-agent) as a
// sans-I/O state machine: it holds the workload's key and certificate, asks the CA
// for a new one when `rotate_before` of the current one is left (a new key each
// time, as Istio does), retries with exponential backoff when the CA refuses or does
// not answer, and reports its certificate expiring unrenewed. Rotation is planned on
// the node's own wall clock, so a skewed clock rotates early or late as it would.
#pragma once
#include <optional>
#include <string>

#include "mesh/core/clock.h"
#include "mesh/core/events.h"
#include "mesh/identity/certificate.h"
#include "mesh/identity/workload_key.h"

namespace meshproof::identity {

struct RotationPolicy {
  DurationNs rotate_before = 12 * kHour;
  DurationNs retry_initial = kSecond;       // after a refusal; doubles
  DurationNs retry_max = 16 * kSecond;
  DurationNs request_timeout = 5 * kSecond;  // an unanswered request is sent again
};

class WorkloadIdentity {
 public:
  WorkloadIdentity(std::string instance, std::string spiffe_uri, const Clock& clock, EventSink& sink,
                   RotationPolicy policy);

  // A certificate issued before the run (the mesh was up before t = 0).
  void install(WorkloadKey key, CertificatePtr certificate);

  const Certificate* certificate() const { return certificate_.get(); }
  const CertificatePtr& certificatePtr() const { return certificate_; }
  // The key of the current certificate (nullptr without one).
  const WorkloadKey* key() const { return key_ ? &*key_ : nullptr; }
  const std::string& spiffeUri() const { return spiffe_uri_; }
  // Whether the node's own clock is inside the current certificate's validity.
  bool certificateValidNow() const;

  void setRotateBefore(DurationNs rotate_before) { policy_.rotate_before = rotate_before; }

  // ---- time ----
  TimeNs nextDeadline() const;
  void advance();

  // ---- to the CA ----
  // A request to send now; the driver sends it to the control plane.
  bool pollRequest(CertificateRequestPtr& out);
  // The answer. A certificate for another key than the pending request's is ignored.
  void issued(CertificatePtr certificate);
  void denied(const std::string& reason);
  // The stream to the CA went down: an outstanding request is lost; ask again later.
  void streamLost();

  std::uint64_t requestsSent() const { return requests_sent_; }

 private:
  enum class State { kIdle, kRequesting, kBackoff };
  // Both take the times their caller read once: a live clock moves between two reads.
  static TimeNs monotonicAtWall(TimeNs wall, TimeNs now, TimeNs wall_now);
  TimeNs rotationDue(TimeNs now, TimeNs wall_now) const;
  void startRequest();
  void backOff();

  std::string instance_;
  std::string spiffe_uri_;
  const Clock& clock_;
  EventSink& sink_;
  RotationPolicy policy_;
  std::optional<WorkloadKey> key_;
  CertificatePtr certificate_;
  std::optional<WorkloadKey> pending_key_;
  CertificateRequestPtr outgoing_;
  State state_ = State::kIdle;
  TimeNs state_deadline_ = kNever;  // kRequesting: resend; kBackoff: retry
  DurationNs backoff_ = 0;
  bool expiry_reported_ = false;
  std::uint64_t requests_sent_ = 0;
};

}  // namespace meshproof::identity
