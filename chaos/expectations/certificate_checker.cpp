// certificate: in [after, after + within] (to the end without `within`) the
// service's workload certificates were rotated — every instance got a new one from
// the CA (cert rotated) and none expired — or expired — at least one instance's
// certificate passed notAfter unrenewed (cert expired). Decided at the last rotation
// or the first expiry that settles it, else at the window's end.
#include <algorithm>
#include <optional>
#include <set>

#include "chaos/expectations/checker_text.h"
#include "chaos/expectations/expectation_checker.h"
#include "chaos/text/numbers.h"

namespace meshproof::chaos {
namespace {

using Outcome = scenario::CertificateExpectation::Outcome;

class CertificateChecker final : public ExpectationChecker {
 public:
  CertificateChecker(const scenario::CertificateExpectation& spec, std::vector<std::string> instances)
      : spec_(spec), instances_(instances.begin(), instances.end()) {}

  void observe(TimeNs t, const Event& event) override {
    const auto* cert = std::get_if<CertEvent>(&event);
    if (cert == nullptr || !instances_.count(cert->instance)) return;
    if (t < spec_.after || (spec_.within && t > spec_.after + *spec_.within)) return;
    if (cert->state == "rotated") {
      if (rotated_.insert(cert->instance).second) last_rotation_ = t;
    } else if (cert->state == "expired") {
      ++expired_;
      if (!first_expiry_) {
        first_expiry_ = t;
        expired_instance_ = cert->instance;
      }
    } else if (cert->state == "denied") {
      ++denied_;
    }
  }

  Verdict finish(TimeNs run_end) override {
    Verdict v;
    const TimeNs window_to = std::min(spec_.within ? spec_.after + *spec_.within : run_end, run_end);
    v.observed["instances"] = instances_.size();
    v.observed["rotated"] = rotated_.size();
    v.observed["expired"] = expired_;
    v.observed["denied"] = denied_;
    v.observed["firstExpiry_s"] =
        first_expiry_ ? nlohmann::ordered_json(reportSeconds(*first_expiry_)) : nlohmann::ordered_json();
    const std::string window = closedWindowText(spec_.after, window_to);
    if (spec_.outcome == Outcome::kExpired) {
      v.passed = first_expiry_.has_value();
      v.decided_at = first_expiry_.value_or(window_to);
      if (!v.passed) v.reason = "no certificate of " + spec_.service + " expired in " + window;
      return v;
    }
    if (first_expiry_) {
      v.reason = expired_instance_ + "'s certificate expired at " + secondsText(*first_expiry_);
      v.decided_at = *first_expiry_;
    } else if (rotated_.size() < instances_.size()) {
      for (const auto& instance : instances_)
        if (!rotated_.count(instance)) {
          v.reason = instance + " got no new certificate in " + window;
          break;
        }
      v.decided_at = window_to;
    } else {
      v.passed = true;
      v.decided_at = last_rotation_;
    }
    return v;
  }

 private:
  scenario::CertificateExpectation spec_;
  std::set<std::string> instances_;
  std::set<std::string> rotated_;
  TimeNs last_rotation_ = 0;
  std::uint64_t expired_ = 0;
  std::uint64_t denied_ = 0;
  std::optional<TimeNs> first_expiry_;
  std::string expired_instance_;
};

}  // namespace

std::unique_ptr<ExpectationChecker> makeCertificateChecker(const scenario::CertificateExpectation& spec,
                                                           std::vector<std::string> instances) {
  return std::make_unique<CertificateChecker>(spec, std::move(instances));
}

}  // namespace meshproof::chaos
