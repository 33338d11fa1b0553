// The agent's stream, snapshot application (ACK/NACK), health and telemetry reports,
// and certificate requests.
#include "mesh/control/sidecar_agent.h"

#include <algorithm>

namespace meshproof::control {

SidecarAgent::SidecarAgent(AgentSpec spec, const Clock& clock, const Rng& rng, EventSink& sink, ConfigTarget& target)
    : spec_(std::move(spec)),
      clock_(clock),
      rng_(rng.fork("agent")),
      sink_(sink),
      target_(target),
      identity_(spec_.node, spec_.spiffe_uri, clock, sink, spec_.rotation),
      reconnect_at_(clock.now()),
      backoff_(spec_.reconnect_base, spec_.reconnect_max) {}

void SidecarAgent::bootstrap(const SnapshotPtr& snapshot, identity::WorkloadKey key,
                             identity::CertificatePtr certificate) {
  applied_ = snapshot;
  identity_.install(std::move(key), std::move(certificate));
  sink_.emit(clock_.now(), ConfigEvent{spec_.node, snapshot->version, "applied", "", "", {}});
}

// ---- stream -------------------------------------------------------------------------

void SidecarAgent::streamUp() {
  connecting_ = false;
  stream_up_ = true;
  reconnect_at_ = kNever;
  backoff_ = dataplane::RetryBackoff(spec_.reconnect_base, spec_.reconnect_max);
  send(Hello{spec_.node, applied_ ? applied_->version : 0});
  next_report_ = clock_.now() + spec_.report_interval;
  if (reportsTelemetry()) next_telemetry_ = clock_.now() + spec_.telemetry_interval;
}

void SidecarAgent::streamDown() {
  stream_up_ = false;
  connecting_ = false;
  next_report_ = kNever;
  next_telemetry_ = kNever;
  identity_.streamLost();
  reconnect_at_ = clock_.now() + backoff_.next(rng_);
}

void SidecarAgent::receive(const ToSidecar& message) {
  if (const auto* push = std::get_if<ConfigPush>(&message)) {
    applySnapshot(push->snapshot);
  } else if (const auto* issued = std::get_if<CertificateIssued>(&message)) {
    identity_.issued(issued->certificate);
  } else if (const auto* denied = std::get_if<CertificateDenied>(&message)) {
    identity_.denied(denied->reason);
  }
}

void SidecarAgent::applySnapshot(const SnapshotPtr& snapshot) {
  if (!snapshot || (applied_ && snapshot->version <= applied_->version) || snapshot->version == last_rejected_) return;
  const TimeNs now = clock_.now();
  if (auto reason = target_.apply(*snapshot)) {
    last_rejected_ = snapshot->version;
    sink_.emit(now, ConfigEvent{spec_.node, snapshot->version, "rejected", "", *reason, {}});
    send(Nack{snapshot->version, *reason});
    return;
  }
  const bool telemetry_before = reportsTelemetry();
  applied_ = snapshot;
  identity_.setRotateBefore(snapshot->config->security.certificates.rotate_before);
  sink_.emit(now, ConfigEvent{spec_.node, snapshot->version, "applied", "", "", {}});
  send(Ack{snapshot->version});
  if (!telemetry_before && reportsTelemetry() && stream_up_) next_telemetry_ = now + spec_.telemetry_interval;
}

bool SidecarAgent::reportsTelemetry() const {
  if (!applied_ || spec_.service.empty()) return false;
  const auto& services = applied_->telemetry_services;
  return std::binary_search(services.begin(), services.end(), spec_.service);
}

void SidecarAgent::observeInbound(const RequestEvent& event) {
  if (reportsTelemetry()) inbound_.add(event.status, event.flags, event.duration);
}

// ---- time ---------------------------------------------------------------------------

TimeNs SidecarAgent::nextDeadline() const {
  TimeNs next = std::min({reconnect_at_, next_report_, next_telemetry_});
  return std::min(next, identity_.nextDeadline());
}

void SidecarAgent::advance() {
  const TimeNs now = clock_.now();
  if (!stream_up_ && !connecting_ && reconnect_at_ <= now) {
    connecting_ = true;
    reconnect_at_ = kNever;
    actions_.push_back(ConnectStream{});
  }
  if (stream_up_ && next_report_ <= now) {
    send(VersionReport{applied_ ? applied_->version : 0});
    next_report_ = now + spec_.report_interval;
  }
  if (stream_up_ && next_telemetry_ <= now) {
    if (inbound_.requests() > 0) send(TelemetryReport{inbound_});
    inbound_ = telemetry::RequestStats();
    next_telemetry_ = reportsTelemetry() ? now + spec_.telemetry_interval : kNever;
  }
  identity_.advance();
  if (stream_up_) {
    identity::CertificateRequestPtr request;
    while (identity_.pollRequest(request)) send(CertificateSigningRequest{request});
  }
}

bool SidecarAgent::pollAction(AgentAction& out) {
  return actions_.poll(out);
}

}  // namespace meshproof::control
