// no-lost-requests: no workload request ended unanswered (ClientRequestEvent lost).
// Fails at the first lost request; zero workload requests pass (nothing was lost).
#include <optional>

#include "chaos/expectations/checker_text.h"
#include "chaos/expectations/expectation_checker.h"

namespace meshproof::chaos {
namespace {

class NoLostRequestsChecker final : public ExpectationChecker {
 public:
  void observe(TimeNs t, const Event& event) override {
    const auto* client = std::get_if<ClientRequestEvent>(&event);
    if (client == nullptr) return;
    ++total_;
    if (!client->lost) return;
    ++lost_;
    if (!first_lost_at_) first_lost_at_ = t;
  }

  Verdict finish(TimeNs) override {
    Verdict v;
    v.observed["lost"] = lost_;
    v.observed["total"] = total_;
    v.passed = lost_ == 0;
    if (!v.passed) {
      v.decided_at = first_lost_at_;
      v.reason = std::to_string(lost_) + " of " + std::to_string(total_) + " requests lost (first at " +
                 secondsText(*first_lost_at_) + ")";
    }
    return v;
  }

 private:
  std::uint64_t total_ = 0;
  std::uint64_t lost_ = 0;
  std::optional<TimeNs> first_lost_at_;
};

}  // namespace

std::unique_ptr<ExpectationChecker> makeNoLostRequestsChecker() { return std::make_unique<NoLostRequestsChecker>(); }

}  // namespace meshproof::chaos
