// One checker per expectation: it watches the event stream and, at the end of the
// run, gives its verdict. Checkers are created from a Plan by makeChecker().
//
// Event times: a RequestEvent counts at its end (start + duration, which is when a
// sidecar emits it); every other event at the time it was emitted.
#pragma once
#include <memory>

#include "chaos/expectations/expectation_result.h"
#include "mesh/core/events.h"
#include "mesh/scenario/plan.h"

namespace meshproof::chaos {

class ExpectationChecker {
 public:
  virtual ~ExpectationChecker() = default;
  virtual void observe(TimeNs t, const Event& event) = 0;
  // Called once, after the last event; run_end is the end of the simulated run.
  virtual Verdict finish(TimeNs run_end) = 0;
};

// The instant an event counts at (see the file comment).
TimeNs eventTime(TimeNs t, const Event& event);

std::unique_ptr<ExpectationChecker> makeSloChecker(const scenario::SloExpectation& spec);
std::unique_ptr<ExpectationChecker> makeCircuitBreakerChecker(const scenario::CircuitBreakerExpectation& spec);
std::unique_ptr<ExpectationChecker> makeEjectionChecker(const scenario::EjectionExpectation& spec);
std::unique_ptr<ExpectationChecker> makeRecoversChecker(const scenario::RecoversExpectation& spec);
std::unique_ptr<ExpectationChecker> makeCanaryChecker(const scenario::CanaryExpectation& spec);
// `from_principal` is the caller's SPIFFE principal without scheme, resolved from the Plan.
std::unique_ptr<ExpectationChecker> makeAuthzChecker(const scenario::AuthzExpectation& spec,
                                                     std::string from_principal);
std::unique_ptr<ExpectationChecker> makeMtlsChecker(const scenario::MtlsExpectation& spec);
std::unique_ptr<ExpectationChecker> makeNoLostRequestsChecker();
std::unique_ptr<ExpectationChecker> makeConfigChecker(const scenario::ConfigExpectation& spec);
// `instances` are the service's instance names, from the Plan.
std::unique_ptr<ExpectationChecker> makeCertificateChecker(const scenario::CertificateExpectation& spec,
                                                           std::vector<std::string> instances);

// The checker for any expectation of `plan`.
std::unique_ptr<ExpectationChecker> makeChecker(const scenario::Expectation& expectation,
                                                const scenario::Plan& plan);

}  // namespace meshproof::chaos
