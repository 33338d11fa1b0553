// authz: what the destination's sidecar did with the caller's requests. Counts the
// destination-reported requests at `to` whose source principal is the caller's; an
// attempt is denied when answered 403 with the RBAC flag.
// - allowed: false passes when no attempt got through. Zero attempts pass too, with a
//   note: a caller that never tries is not let in (in SCENARIO.md's example, frontend
//   reaches payments only through checkout). Fails at the first admitted attempt.
// - allowed: true needs at least one attempt and no denial. Fails at the first denial,
//   or at the run's end when there was no attempt.
// A caller whose principal cannot be resolved (not a service of the plan) fails.
#include <optional>

#include "chaos/expectations/checker_text.h"
#include "chaos/expectations/expectation_checker.h"

namespace meshproof::chaos {
namespace {

class AuthzChecker final : public ExpectationChecker {
 public:
  AuthzChecker(const scenario::AuthzExpectation& spec, std::string from_principal)
      : spec_(spec), principal_(std::move(from_principal)) {}

  void observe(TimeNs t, const Event& event) override {
    const auto* request = std::get_if<RequestEvent>(&event);
    if (request == nullptr || principal_.empty() || request->reporter != "destination" || request->destination_service != spec_.to_service ||
        request->source_principal != principal_)
      return;
    const TimeNs at = eventTime(t, event);
    ++attempts_;
    const bool denied = request->status == 403 && (request->flags & kRbacDenied) != 0;
    if (denied) ++denied_;
    if (denied == spec_.allowed && !first_violation_) first_violation_ = at;
  }

  Verdict finish(TimeNs run_end) override {
    Verdict v;
    v.observed["principal"] = principal_;
    v.observed["attempts"] = attempts_;
    v.observed["denied"] = denied_;
    v.observed["admitted"] = attempts_ - denied_;
    const std::string who = "from " + principal_ + " to " + spec_.to_service;
    if (principal_.empty()) {  // the caller's service is not in the plan: nothing to match
      v.decided_at = run_end;
      v.reason = "no principal for caller \"" + spec_.from_service + "\"";
      return v;
    }
    if (first_violation_) {
      v.decided_at = *first_violation_;
      const std::uint64_t violating = spec_.allowed ? denied_ : attempts_ - denied_;
      v.reason = std::to_string(violating) + " of " + std::to_string(attempts_) + " attempts " + who + " were " +
                 (spec_.allowed ? "denied" : "admitted") + " (first at " + secondsText(*first_violation_) + ")";
      return v;
    }
    if (attempts_ == 0 && spec_.allowed) {
      v.decided_at = run_end;
      v.reason = "no attempts " + who;
      return v;
    }
    if (attempts_ == 0) v.note = "no attempts " + who + ": nothing was let in";
    v.passed = true;
    return v;
  }

 private:
  scenario::AuthzExpectation spec_;
  std::string principal_;
  std::uint64_t attempts_ = 0;
  std::uint64_t denied_ = 0;
  std::optional<TimeNs> first_violation_;
};

}  // namespace

std::unique_ptr<ExpectationChecker> makeAuthzChecker(const scenario::AuthzExpectation& spec,
                                                     std::string from_principal) {
  return std::make_unique<AuthzChecker>(spec, std::move(from_principal));
}

}  // namespace meshproof::chaos
