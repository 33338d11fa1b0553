// report.json, the JUnit file and the terminal summary for one small hand-built run:
// exact text, so any change of field, order or number format shows.
#include <gtest/gtest.h>

#include "chaos/report/junit_xml.h"
#include "chaos/report/report_json.h"
#include "chaos/report/summary_table.h"
#include "event_builders.h"
#include "expectation_fixture.h"

namespace meshproof::chaos {
namespace {

using namespace testing;

struct SmallRun {
  RunInfo info;
  RunStatistics statistics;
  std::vector<ExpectationResult> results;
};

// payments: 2 answers in 10 ms, 2 overflows answered locally; the workload: one
// success, one failure, one lost request. Expectations: an SLO that fails, an authz
// denial that holds vacuously, no-lost-requests that fails.
void runSmall(SmallRun& run) {
  scenario::SloExpectation slo;
  slo.service = "payments";
  slo.min_success_rate_percent = 99;
  slo.window_to = kRunEnd;
  scenario::AuthzExpectation authz;
  authz.from_service = "frontend";
  authz.to_service = "payments";
  const auto plan = testPlan({{"payments healthy", slo},
                              {"authz frontend -> payments", authz},
                              {"no lost <requests>", scenario::NoLostRequestsExpectation{}}});
  ExpectationEvaluator evaluator(plan);
  const TimedEvents events{
      at(sourceHop("payments", 200, 1 * kSecond, 10 * kMillisecond)),
      at(sourceHop("payments", 200, 2 * kSecond, 10 * kMillisecond)),
      at(sourceHop("payments", 503, 3 * kSecond, 0, kUpstreamOverflow)),
      at(sourceHop("payments", 503, 3'500'000'000, 0, kUpstreamOverflow | kUpstreamRetryLimitExceeded)),
      at(destinationHop("payments", "cluster.local/ns/shop/sa/checkout", 200, 2 * kSecond)),
      {4 * kSecond, clientRequest(200, 4 * kSecond, 30 * kMillisecond)},
      {5 * kSecond, clientRequest(503, 5 * kSecond, 30 * kMillisecond)},
      {kRunEnd, clientRequest(0, kRunEnd, kSecond, true)},
  };
  for (const auto& [t, event] : events) {
    evaluator.emit(t, event);
    run.statistics.emit(t, event);
  }
  run.results = evaluator.finish(kRunEnd);
  run.info.scenario = "small & <simple>";
  run.info.seed = 7;
  run.info.mode = "sim";
  run.info.simulated = kRunEnd;
  run.info.wall_s = 1.23456;
  run.info.trace_sha256 = "197be603aa98612044d4a1152eb61684c671e1c0c838139de3cc964892c7063d";
}

TEST(Report, ClientTotalsSplitIntoSucceededFailedAndLost) {
  SmallRun run;
  runSmall(run);
  EXPECT_EQ(run.statistics.clients().total, 3u);
  EXPECT_EQ(run.statistics.clients().succeeded, 1u);
  EXPECT_EQ(run.statistics.clients().failed, 1u);
  EXPECT_EQ(run.statistics.clients().lost, 1u);
}

TEST(Report, JsonIsExact) {
  SmallRun run;
  runSmall(run);
  EXPECT_EQ(formatReportJson(run.info, run.statistics, run.results), R"j({
  "scenario": "small & <simple>",
  "seed": 7,
  "mode": "sim",
  "simulated_s": 120.0,
  "wall_s": 1.235,
  "requests": {
    "total": 3,
    "succeeded": 1,
    "failed": 1,
    "lost": 1
  },
  "services": {
    "payments": {
      "requests": 4,
      "success_rate": 50.0,
      "latency_ms": {
        "p50": 0.0,
        "p90": 10.0,
        "p99": 10.0
      },
      "response_flags": {
        "UH": 0,
        "UF": 0,
        "UO": 2,
        "URX": 1,
        "UT": 0,
        "DI": 0,
        "FI": 0,
        "RBAC": 0,
        "UMTLS": 0,
        "UC": 0,
        "UR": 0,
        "LR": 0,
        "NR": 0,
        "DC": 0
      }
    }
  },
  "expectations": [
    {
      "name": "payments healthy",
      "type": "slo",
      "passed": false,
      "observed": {
        "successRate": 50.0,
        "latencyP99_ms": 10.0,
        "requests": 4
      },
      "reason": "success rate 50.000% < min 99.000%",
      "at_s": 120.0
    },
    {
      "name": "authz frontend -> payments",
      "type": "authz",
      "passed": true,
      "observed": {
        "principal": "cluster.local/ns/shop/sa/frontend",
        "attempts": 0,
        "denied": 0,
        "admitted": 0
      },
      "note": "no attempts from cluster.local/ns/shop/sa/frontend to payments: nothing was let in"
    },
    {
      "name": "no lost <requests>",
      "type": "no-lost-requests",
      "passed": false,
      "observed": {
        "lost": 1,
        "total": 3
      },
      "reason": "1 of 3 requests lost (first at 120.000 s)",
      "at_s": 120.0
    }
  ],
  "trace_sha256": "197be603aa98612044d4a1152eb61684c671e1c0c838139de3cc964892c7063d"
}
)j");
}

TEST(Report, JunitIsExact) {
  SmallRun run;
  runSmall(run);
  EXPECT_EQ(formatJunitXml(run.info, run.results), R"j(<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="meshproof" tests="3" failures="2" errors="0" time="1.235">
  <testsuite name="small &amp; &lt;simple&gt;" tests="3" failures="2" errors="0" skipped="0" time="1.235">
    <properties>
      <property name="seed" value="7"/>
      <property name="mode" value="sim"/>
      <property name="simulated_s" value="120.000"/>
      <property name="trace_sha256" value="197be603aa98612044d4a1152eb61684c671e1c0c838139de3cc964892c7063d"/>
    </properties>
    <testcase name="payments healthy" classname="small &amp; &lt;simple&gt;">
      <failure message="success rate 50.000% &lt; min 99.000%" type="slo">success rate 50.000% &lt; min 99.000%
observed: successRate=50.0 latencyP99_ms=10.0 requests=4
at: 120.000 s</failure>
      <system-out>observed: successRate=50.0 latencyP99_ms=10.0 requests=4</system-out>
    </testcase>
    <testcase name="authz frontend -&gt; payments" classname="small &amp; &lt;simple&gt;">
      <system-out>observed: principal=cluster.local/ns/shop/sa/frontend attempts=0 denied=0 admitted=0
note: no attempts from cluster.local/ns/shop/sa/frontend to payments: nothing was let in</system-out>
    </testcase>
    <testcase name="no lost &lt;requests&gt;" classname="small &amp; &lt;simple&gt;">
      <failure message="1 of 3 requests lost (first at 120.000 s)" type="no-lost-requests">1 of 3 requests lost (first at 120.000 s)
observed: lost=1 total=3
at: 120.000 s</failure>
      <system-out>observed: lost=1 total=3</system-out>
    </testcase>
  </testsuite>
</testsuites>
)j");
}

TEST(Report, SummaryTableIsAligned) {
  SmallRun run;
  runSmall(run);
  EXPECT_EQ(formatSummaryTable(run.info, run.statistics, run.results),
            "small & <simple> (seed 7, sim, 120.000 s)\n"
            "requests: 3 total, 1 succeeded, 1 failed, 1 lost\n"
            "\n"
            "service   requests  success %  p50 ms  p99 ms  flags\n"
            "payments         4     50.000   0.000  10.000  UO=2 URX=1\n"
            "\n"
            "FAIL  payments healthy            slo               successRate=50.0 latencyP99_ms=10.0 requests=4\n"
            "      success rate 50.000% < min 99.000%\n"
            "PASS  authz frontend -> payments  authz             principal=cluster.local/ns/shop/sa/frontend "
            "attempts=0 denied=0 admitted=0\n"
            "FAIL  no lost <requests>          no-lost-requests  lost=1 total=3\n"
            "      1 of 3 requests lost (first at 120.000 s)\n"
            "\n"
            "1 of 3 expectations held\n");
}

TEST(Report, SummaryColoursOnlyWhenAsked) {
  SmallRun run;
  runSmall(run);
  const std::string plain = formatSummaryTable(run.info, run.statistics, run.results);
  const std::string coloured = formatSummaryTable(run.info, run.statistics, run.results, {.colour = true});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_NE(coloured.find("\x1b[31mFAIL\x1b[0m  payments healthy"), std::string::npos);
  EXPECT_NE(coloured.find("\x1b[32mPASS\x1b[0m  authz frontend"), std::string::npos);
}

}  // namespace
}  // namespace meshproof::chaos
