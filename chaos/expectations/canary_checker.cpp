// canary: canary analysis is not simulated yet (no canary events exist), so this
// expectation always fails with that reason rather than passing silently.
#include "chaos/expectations/expectation_checker.h"

namespace meshproof::chaos {
namespace {

class CanaryChecker final : public ExpectationChecker {
 public:
  void observe(TimeNs, const Event&) override {}
  Verdict finish(TimeNs) override {
    Verdict v;
    v.reason = "canary analysis is not simulated yet";
    return v;
  }
};

}  // namespace

std::unique_ptr<ExpectationChecker> makeCanaryChecker(const scenario::CanaryExpectation&) {
  return std::make_unique<CanaryChecker>();
}

}  // namespace meshproof::chaos
