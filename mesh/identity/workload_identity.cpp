// Rotation, retries and expiry of one workload's certificate.
#include "mesh/identity/workload_identity.h"

#include <algorithm>

namespace meshproof::identity {

WorkloadIdentity::WorkloadIdentity(std::string instance, std::string spiffe_uri, const Clock& clock, EventSink& sink,
                                   RotationPolicy policy)
    : instance_(std::move(instance)),
      spiffe_uri_(std::move(spiffe_uri)),
      clock_(clock),
      sink_(sink),
      policy_(policy),
      backoff_(policy.retry_initial) {}

void WorkloadIdentity::install(WorkloadKey key, CertificatePtr certificate) {
  key_ = std::move(key);
  certificate_ = std::move(certificate);
  expiry_reported_ = false;
  state_ = State::kIdle;
  state_deadline_ = kNever;
}

bool WorkloadIdentity::certificateValidNow() const {
  if (!certificate_) return false;
  const TimeNs wall = clock_.wallNow();
  return wall >= certificate_->notBefore() && wall <= certificate_->notAfter();
}

TimeNs WorkloadIdentity::monotonicAtWall(TimeNs wall, TimeNs now, TimeNs wall_now) {
  const TimeNs delta = wall - wall_now;
  return delta <= 0 ? now : now + delta;
}

TimeNs WorkloadIdentity::rotationDue(TimeNs now, TimeNs wall_now) const {
  if (!certificate_) return now;
  return monotonicAtWall(certificate_->notAfter() - policy_.rotate_before, now, wall_now);
}

// Asked after every step of a live sidecar: each clock is read once.
TimeNs WorkloadIdentity::nextDeadline() const {
  const TimeNs now = clock_.now();
  if (!certificate_) return state_ == State::kIdle ? now : state_deadline_;
  const TimeNs wall_now = clock_.wallNow();
  TimeNs next = state_ == State::kIdle ? rotationDue(now, wall_now) : state_deadline_;
  if (!expiry_reported_) next = std::min(next, monotonicAtWall(certificate_->notAfter() + kSecond, now, wall_now));
  return next;
}

void WorkloadIdentity::advance() {
  const TimeNs now = clock_.now();
  if (certificate_ && !expiry_reported_ && clock_.wallNow() > certificate_->notAfter()) {
    expiry_reported_ = true;
    CertEvent ev;
    ev.instance = instance_;
    ev.state = "expired";
    ev.spiffe_id = certificate_->spiffeId();
    ev.serial = certificate_->serialHex();
    ev.expires = certificate_->notAfter() - (clock_.wallNow() - now);
    ev.reason = "not renewed before notAfter";
    sink_.emit(now, ev);
  }
  switch (state_) {
    case State::kIdle:
      if (rotationDue(now, clock_.wallNow()) <= now) startRequest();
      break;
    case State::kRequesting:
    case State::kBackoff:
      if (state_deadline_ <= now) startRequest();
      break;
  }
}

void WorkloadIdentity::startRequest() {
  pending_key_ = WorkloadKey::generate();
  outgoing_ = CertificateRequest::create(*pending_key_, spiffe_uri_);
  state_ = State::kRequesting;
  state_deadline_ = clock_.now() + policy_.request_timeout;
}

bool WorkloadIdentity::pollRequest(CertificateRequestPtr& out) {
  if (!outgoing_) return false;
  out = std::move(outgoing_);
  outgoing_ = nullptr;
  ++requests_sent_;
  return true;
}

void WorkloadIdentity::backOff() {
  state_ = State::kBackoff;
  state_deadline_ = clock_.now() + backoff_;
  backoff_ = std::min(policy_.retry_max, backoff_ * 2);
}

void WorkloadIdentity::issued(CertificatePtr certificate) {
  if (state_ != State::kRequesting || !pending_key_ || !certificate) return;
  if (!pending_key_->matches(certificate->x509())) return;
  key_ = std::move(pending_key_);
  pending_key_.reset();
  certificate_ = std::move(certificate);
  expiry_reported_ = false;
  state_ = State::kIdle;
  state_deadline_ = kNever;
  // Already due again by this node's clock (it runs ahead): do not ask in a tight loop.
  const TimeNs now = clock_.now();
  if (rotationDue(now, clock_.wallNow()) <= now) {
    backOff();
  } else {
    backoff_ = policy_.retry_initial;
  }
}

void WorkloadIdentity::denied(const std::string&) {
  if (state_ != State::kRequesting) return;
  pending_key_.reset();
  backOff();
}

void WorkloadIdentity::streamLost() {
  outgoing_ = nullptr;
  if (state_ != State::kRequesting) return;
  pending_key_.reset();
  backOff();
}

}  // namespace meshproof::identity
