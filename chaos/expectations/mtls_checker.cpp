// mtls: the share of in-mesh hops carried over mTLS. An in-mesh hop is a request a
// sidecar sent to another sidecar: a source-reported RequestEvent with attempts > 0
// (local replies never left the caller; clients outside the mesh have no sidecar
// and report nothing as source). Mirrored copies count: they travel too. No in-mesh
// hop at all fails ("no in-mesh requests"). A failure is placed at the first
// plaintext hop. The comparison tolerates 1e-9 percentage points of rounding.
#include <optional>

#include "chaos/expectations/checker_text.h"
#include "chaos/expectations/expectation_checker.h"
#include "chaos/text/numbers.h"

namespace meshproof::chaos {
namespace {

class MtlsChecker final : public ExpectationChecker {
 public:
  explicit MtlsChecker(const scenario::MtlsExpectation& spec) : spec_(spec) {}

  void observe(TimeNs t, const Event& event) override {
    const auto* request = std::get_if<RequestEvent>(&event);
    if (request == nullptr || request->reporter != "source" || request->attempts == 0) return;
    ++requests_;
    if (request->mtls) {
      ++mtls_;
    } else if (!first_plaintext_at_) {
      first_plaintext_at_ = eventTime(t, event);
      first_plaintext_hop_ = request->source + " -> " + request->destination_service;
    }
  }

  Verdict finish(TimeNs run_end) override {
    Verdict v;
    const double requests = static_cast<double>(requests_);
    const double coverage = requests_ == 0 ? 0.0 : 100.0 * static_cast<double>(mtls_) / requests;
    v.observed["coverage"] = requests_ == 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(roundedTo(coverage));
    v.observed["requests"] = requests_;
    v.observed["mtlsRequests"] = mtls_;
    if (requests_ == 0) {
      v.decided_at = run_end;
      v.reason = "no in-mesh requests";
      return v;
    }
    v.passed = static_cast<double>(mtls_) * 100.0 >= spec_.min_coverage_percent * requests - 1e-9 * requests;
    if (!v.passed) {
      v.decided_at = first_plaintext_at_;
      v.reason = "coverage " + percentText(coverage) + " < min " + percentText(spec_.min_coverage_percent) +
                 " (first plaintext hop " + first_plaintext_hop_ + " at " + secondsText(*first_plaintext_at_) + ")";
    }
    return v;
  }

 private:
  scenario::MtlsExpectation spec_;
  std::uint64_t requests_ = 0;
  std::uint64_t mtls_ = 0;
  std::optional<TimeNs> first_plaintext_at_;
  std::string first_plaintext_hop_;
};

}  // namespace

std::unique_ptr<ExpectationChecker> makeMtlsChecker(const scenario::MtlsExpectation& spec) {
  return std::make_unique<MtlsChecker>(spec);
}

}  // namespace meshproof::chaos
