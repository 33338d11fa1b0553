// The control plane: desired state, snapshot publication and push, CA, registry and
// canary analysis.
#include "mesh/control/control_plane.h"

#include <algorithm>
#include <stdexcept>

#include "mesh/control/canary_routing.h"
#include "mesh/control/desired_config.h"

namespace meshproof::control {
namespace {

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace

ControlPlane::ControlPlane(ControlPlaneSpec spec, const Clock& clock, identity::CertificateAuthority& ca,
                           EventSink& sink)
    : spec_(std::move(spec)),
      clock_(clock),
      ca_(ca),
      sink_(sink),
      registry_(sink),
      metrics_(0),
      desired_(spec_.mesh) {
  DurationNs longest_interval = 0;
  const TimeNs now = clock_.now();
  for (const auto& canary : spec_.canaries) {
    analyses_.push_back(Analysis{CanaryAnalysis(canary, initialCanaryWeight(desired_, canary), now), canary.service,
                                 canary.canary});
    telemetry_services_.push_back(canary.service);
    longest_interval = std::max(longest_interval, canary.interval);
  }
  std::sort(telemetry_services_.begin(), telemetry_services_.end());
  telemetry_services_.erase(std::unique(telemetry_services_.begin(), telemetry_services_.end()),
                            telemetry_services_.end());
  metrics_ = CanaryMetrics(2 * longest_interval);
  for (const auto& [node, id] : spec_.clients) registry_.addClient(node, id);
  if (spec_.resume) {
    resume(*spec_.resume);  // changes due while it was down are applied at the first advance()
    return;
  }
  for (const auto& record : spec_.instances) registry_.bootstrap(record, now, spec_.instances_ready);
  current_ = makeSnapshot(1);
  sink_.emit(now, ConfigEvent{"control-plane", 1, "published", "initial", "", {}});
  for (const auto& a : analyses_) sink_.emit(now, a.analysis.startEvent());
}

void ControlPlane::resume(const ControlPlaneRestart& restart) {
  const ControlPlaneState& state = restart.state;
  if (state.changes_applied > spec_.changes.size() || state.canaries.size() != analyses_.size())
    throw std::invalid_argument("the control plane's saved state is not this scenario's");
  const TimeNs now = clock_.now();
  for (const auto& record : spec_.instances) {
    auto it = state.ready.find(record.instance);
    registry_.restore(record, it != state.ready.end() && it->second);
  }
  for (const auto& [instance, report] : restart.readiness) registry_.setReady(instance, report.first, now, report.second);
  while (next_change_ < state.changes_applied) config::applyChange(desired_, spec_.changes[next_change_++].change);
  for (std::size_t i = 0; i < analyses_.size(); ++i) analyses_[i].analysis.restore(state.canaries[i], now);
  certified_ = state.certified;
  current_ = makeSnapshot(state.version + 1);
  sink_.emit(now, ConfigEvent{"control-plane", current_->version, "published", "restart", "", {}});
}

ControlPlaneState ControlPlane::state() const {
  ControlPlaneState state;
  state.version = current_->version;
  state.changes_applied = next_change_;
  for (const auto& a : analyses_) state.canaries.push_back(a.analysis.progress());
  state.certified = certified_;
  state.ready = registry_.readiness();
  return state;
}

ConfigRecipe ControlPlane::recipe() const {
  ConfigRecipe recipe;
  recipe.changes_applied = next_change_;
  for (const auto& a : analyses_) recipe.canary_weights[a.service] = a.analysis.weight();
  return recipe;
}

SnapshotPtr ControlPlane::makeSnapshot(std::uint64_t version) const {
  auto snapshot = std::make_shared<ConfigSnapshot>();
  snapshot->version = version;
  snapshot->recipe = recipe();
  snapshot->config = withCanaryWeights(desired_, spec_.canaries, snapshot->recipe.canary_weights);
  snapshot->endpoints = std::make_shared<const dataplane::EndpointTable>(registry_.endpoints());
  snapshot->telemetry_services = telemetry_services_;
  return snapshot;
}

identity::CertificatePtr ControlPlane::bootstrapCertificate(const std::string& node, const identity::WorkloadKey& key) {
  const std::string id = registry_.entitlement(node);
  const auto request = identity::CertificateRequest::create(key, id);
  identity::IssueResult result = ca_.issue(*request, id, clock_.wallNow(), desired_.security.certificates.ttl);
  if (!result.certificate) return nullptr;
  certified_.insert(node);
  CertEvent ev;
  ev.instance = node;
  ev.state = "issued";
  ev.spiffe_id = id;
  ev.serial = result.certificate->serialHex();
  ev.expires = result.certificate->notAfter() - (clock_.wallNow() - clock_.now());
  sink_.emit(clock_.now(), ev);
  return result.certificate;
}

// ---- streams ------------------------------------------------------------------------

void ControlPlane::receive(const std::string& node, const ToControlPlane& message) {
  if (!running_) return;
  const TimeNs now = clock_.now();
  if (const auto* hello = std::get_if<Hello>(&message)) {
    Stream& stream = streams_[node];
    stream = Stream{hello->applied_version, 0, 0};
    if (hello->applied_version == 0) certified_.erase(node);  // a fresh process: its next certificate is a first
    pushIfBehind(node, stream);
  } else if (const auto* ack = std::get_if<Ack>(&message)) {
    auto it = streams_.find(node);
    if (it != streams_.end()) it->second.applied = std::max(it->second.applied, ack->version);
  } else if (const auto* nack = std::get_if<Nack>(&message)) {
    auto it = streams_.find(node);
    if (it != streams_.end()) it->second.rejected = std::max(it->second.rejected, nack->version);
  } else if (const auto* report = std::get_if<VersionReport>(&message)) {
    auto it = streams_.find(node);
    if (it != streams_.end()) {
      it->second.applied = report->applied_version;
      pushIfBehind(node, it->second);
    }
  } else if (const auto* csr = std::get_if<CertificateSigningRequest>(&message)) {
    signRequest(node, *csr);
  } else if (const auto* report = std::get_if<TelemetryReport>(&message)) {
    // The reporter is a workload instance: file its figures under its subset.
    if (const InstanceRecord* record = registry_.record(node))
      metrics_.add(record->service, record->version, now, report->inbound);
  }
}

void ControlPlane::pushIfBehind(const std::string& node, Stream& stream) {
  const std::uint64_t latest = current_->version;
  if (stream.applied >= latest || stream.rejected >= latest) return;
  stream.pushed = latest;
  actions_.push_back(Outgoing{node, ConfigPush{current_}});
}

void ControlPlane::signRequest(const std::string& node, const CertificateSigningRequest& csr) {
  const std::string id = registry_.entitlement(node);
  CertEvent ev;
  ev.instance = node;
  ev.spiffe_id = id;
  const identity::IssueResult result =
      id.empty() ? identity::IssueResult{nullptr, "unknown node"}
                 : ca_.issue(*csr.request, id, clock_.wallNow(), desired_.security.certificates.ttl);
  if (result.certificate) {
    ev.state = certified_.insert(node).second ? "issued" : "rotated";
    ev.serial = result.certificate->serialHex();
    ev.expires = result.certificate->notAfter() - (clock_.wallNow() - clock_.now());
    actions_.push_back(Outgoing{node, CertificateIssued{result.certificate}});
  } else {
    ev.state = "denied";
    ev.reason = result.denied;
    actions_.push_back(Outgoing{node, CertificateDenied{result.denied}});
  }
  sink_.emit(clock_.now(), ev);
}

void ControlPlane::streamClosed(const std::string& node) { streams_.erase(node); }

void ControlPlane::instanceStatus(const std::string& node, bool ready, const std::string& reason) {
  if (registry_.setReady(node, ready, clock_.now(), reason)) markDirty("endpoints");
}

// ---- lifecycle ----------------------------------------------------------------------

void ControlPlane::stop() {
  running_ = false;
  streams_.clear();
  actions_.clear();
}

void ControlPlane::start() {
  if (running_) return;
  running_ = true;
  const TimeNs now = clock_.now();
  for (auto& a : analyses_) a.analysis.resume(now);
  applyDueChanges(now);  // kept by the API server while the control plane was down
}

// ---- publication --------------------------------------------------------------------

void ControlPlane::markDirty(std::string cause, std::string change) {
  const TimeNs now = clock_.now();
  if (std::find(dirty_causes_.begin(), dirty_causes_.end(), cause) == dirty_causes_.end())
    dirty_causes_.push_back(std::move(cause));
  if (!change.empty()) dirty_changes_.push_back(std::move(change));
  if (first_dirty_ == kNever) first_dirty_ = now;
  last_dirty_ = now;
}

void ControlPlane::publish() {
  current_ = makeSnapshot(current_->version + 1);
  sink_.emit(clock_.now(),
             ConfigEvent{"control-plane", current_->version, "published", joined(dirty_causes_), "", dirty_changes_});
  dirty_causes_.clear();
  dirty_changes_.clear();
  first_dirty_ = last_dirty_ = kNever;
  for (auto& [node, stream] : streams_) pushIfBehind(node, stream);
}

void ControlPlane::applyDueChanges(TimeNs now) {
  while (next_change_ < spec_.changes.size() && spec_.changes[next_change_].at <= now) {
    const auto& change = spec_.changes[next_change_++];
    config::applyChange(desired_, change.change);
    markDirty("change " + change.name, change.name);
  }
}

void ControlPlane::runDueChecks(TimeNs now) {
  for (auto& a : analyses_) {
    if (a.analysis.nextCheck() > now) continue;
    const int before = a.analysis.weight();
    const TimeNs from = now - a.analysis.spec().interval;
    const CanaryEvent step = a.analysis.check(now, metrics_.window(a.service, a.canary, from, now));
    sink_.emit(now, step);
    if (step.weight != before) markDirty("canary " + a.service + " weight " + std::to_string(step.weight));
  }
}

TimeNs ControlPlane::nextDeadline() const {
  if (!running_) return kNever;
  TimeNs next = kNever;
  if (next_change_ < spec_.changes.size()) next = std::min(next, spec_.changes[next_change_].at);
  for (const auto& a : analyses_) next = std::min(next, a.analysis.nextCheck());
  if (first_dirty_ != kNever)
    next = std::min(next, std::min(last_dirty_ + spec_.settings.debounce, first_dirty_ + spec_.settings.debounce_max));
  return next;
}

void ControlPlane::advance() {
  if (!running_) return;
  const TimeNs now = clock_.now();
  applyDueChanges(now);
  runDueChecks(now);
  if (first_dirty_ != kNever &&
      (now >= last_dirty_ + spec_.settings.debounce || now >= first_dirty_ + spec_.settings.debounce_max))
    publish();
}

bool ControlPlane::pollAction(Outgoing& out) {
  return actions_.poll(out);
}

}  // namespace meshproof::control
