// config: the configuration version that first carries a scenario change reached
// every sidecar that is up, and each applied it (outcome applied) or rejected it and
// kept its last good configuration (outcome rejected), within `within` of the
// change's `at`. A sidecar counts when it had applied a version before the change
// and is not down at the deadline (its instance's last endpoint state is not
// unhealthy). A later version that also carries the change counts too (versions are
// cumulative). Decided when the last sidecar answered, or at the deadline.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "chaos/expectations/checker_text.h"
#include "chaos/expectations/expectation_checker.h"
#include "chaos/text/numbers.h"

namespace meshproof::chaos {
namespace {

using Outcome = scenario::ConfigExpectation::Outcome;

class ConfigChecker final : public ExpectationChecker {
 public:
  explicit ConfigChecker(const scenario::ConfigExpectation& spec) : spec_(spec) {}

  void observe(TimeNs t, const Event& event) override {
    if (const auto* endpoint = std::get_if<EndpointEvent>(&event)) {
      if (t <= deadline()) down_[endpoint->instance] = endpoint->state == "unhealthy";
      return;
    }
    const auto* config = std::get_if<ConfigEvent>(&event);
    if (config == nullptr) return;
    if (config->state == "published") {
      if (!version_ && std::find(config->changes.begin(), config->changes.end(), spec_.change) != config->changes.end())
        version_ = config->version;
      return;
    }
    if (t < spec_.change_at || !version_ || config->version < *version_) {
      if (config->state == "applied" && t <= spec_.change_at) sidecars_.insert(config->node);
      return;
    }
    if (t > deadline()) return;
    Answer& answer = answers_[config->node];
    if (answer.at) return;  // the first answer to a version carrying the change
    answer.at = t;
    answer.applied = config->state == "applied";
    if (!answer.applied && first_reason_.empty()) first_reason_ = config->reason;
  }

  Verdict finish(TimeNs run_end) override {
    Verdict v;
    std::uint64_t applied = 0, rejected = 0;
    std::vector<std::string> missing, wrong;
    std::optional<TimeNs> last;
    for (const std::string& node : sidecars_) {
      if (down_[node]) continue;
      const auto it = answers_.find(node);
      if (it == answers_.end() || !it->second.at) {
        missing.push_back(node);
        continue;
      }
      (it->second.applied ? applied : rejected) += 1;
      if (it->second.applied != (spec_.outcome == Outcome::kApplied)) wrong.push_back(node);
      last = std::max(last.value_or(0), *it->second.at);
    }
    const std::uint64_t counted = applied + rejected + missing.size();
    v.observed["version"] = version_ ? nlohmann::ordered_json(*version_) : nlohmann::ordered_json();
    v.observed["sidecars"] = counted;
    v.observed["applied"] = applied;
    v.observed["rejected"] = rejected;
    v.observed["slowest_s"] = last ? nlohmann::ordered_json(reportSeconds(*last - spec_.change_at)) : nlohmann::ordered_json();
    v.observed["reason"] = first_reason_.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(first_reason_);
    const TimeNs limit = std::min(deadline(), run_end);
    const std::string wanted = spec_.outcome == Outcome::kApplied ? "applied" : "rejected";
    if (!version_) {
      v.reason = "no configuration version carried change " + spec_.change;
      v.decided_at = limit;
    } else if (!wrong.empty()) {
      v.reason = wrong.front() + (spec_.outcome == Outcome::kApplied ? " rejected" : " applied") + " version " +
                 std::to_string(*version_) + (first_reason_.empty() ? "" : " (" + first_reason_ + ")") +
                 ", expected " + wanted;
      v.decided_at = answers_[wrong.front()].at;
    } else if (!missing.empty()) {
      v.reason = std::to_string(missing.size()) + " of " + std::to_string(counted) + " sidecars (" + missing.front() +
                 (missing.size() > 1 ? ", ..." : "") + ") had not answered version " + std::to_string(*version_) +
                 " by " + secondsText(limit);
      v.decided_at = limit;
    } else {
      v.passed = true;
      v.decided_at = last.value_or(spec_.change_at);
    }
    return v;
  }

 private:
  struct Answer {
    std::optional<TimeNs> at;
    bool applied = false;
  };
  TimeNs deadline() const { return spec_.within ? spec_.change_at + *spec_.within : kNever; }

  scenario::ConfigExpectation spec_;
  std::optional<std::uint64_t> version_;
  std::set<std::string> sidecars_;
  std::map<std::string, bool> down_;
  std::map<std::string, Answer> answers_;
  std::string first_reason_;
};

}  // namespace

std::unique_ptr<ExpectationChecker> makeConfigChecker(const scenario::ConfigExpectation& spec) {
  return std::make_unique<ConfigChecker>(spec);
}

}  // namespace meshproof::chaos
