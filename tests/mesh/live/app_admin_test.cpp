// The app's admin port changing a running app's behaviour: the abort, latency and
// cpu faults set and cleared over HTTP, their checks of the JSON bodies, /ready
// and /stats.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app_test_support.h"

namespace meshproof::live::testing {
namespace {

constexpr double kSlackMs = 15;

double timedRequestMs(Client& c, int expected_status) {
  const auto start = Clock::now();
  const Reply r = c.request("GET", "/");
  EXPECT_EQ(r.status, expected_status);
  return millisSince(start);
}

TEST(AppAdmin, ReadyAnswers200) {
  RunningApp app("{serviceTime: {fixed: 1ms}}");
  Reply r = get(app.adminPort(), "/ready");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ready\n");
}

TEST(AppAdmin, AbortFaultAnswersItsStatusUntilCleared) {
  RunningApp app("{serviceTime: {fixed: 1ms}}");
  Client admin(app.adminPort());
  Client c(app.appPort());
  EXPECT_EQ(c.request("GET", "/").status, 200);

  Reply set = admin.request("PUT", "/fault/abort", R"({"http_status": 503, "percentage": 100})");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(nlohmann::json::parse(set.body),
            (nlohmann::json{{"fault", "abort"}, {"http_status", 503}, {"percentage", 100.0}}));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(c.request("GET", "/").status, 503);

  EXPECT_EQ(admin.request("DELETE", "/fault/abort").status, 200);
  EXPECT_EQ(c.request("GET", "/").status, 200);
}

TEST(AppAdmin, AbortFaultAtHalfAbortsAboutHalf) {
  RunningApp app("{serviceTime: {fixed: 0ms}}");
  ASSERT_EQ(Client(app.adminPort()).request("PUT", "/fault/abort", R"({"http_status": 429, "percentage": 50})").status,
            200);
  Client c(app.appPort());
  int aborted = 0;
  for (int i = 0; i < 400; ++i) {
    const int status = c.request("GET", "/").status;
    ASSERT_TRUE(status == 200 || status == 429) << status;
    aborted += status == 429;
  }
  EXPECT_GT(aborted, 140);  // binomial(400, 0.5): 200 +- 10 sd
  EXPECT_LT(aborted, 260);
}

TEST(AppAdmin, LatencyFaultAddsItsDelayUntilCleared) {
  RunningApp app("{serviceTime: {fixed: 10ms}}");
  Client admin(app.adminPort());
  Client c(app.appPort());
  Reply set = admin.request("PUT", "/fault/latency", R"({"delay_ms": 40})");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(nlohmann::json::parse(set.body)["jitter_ms"], 0.0);
  for (int i = 0; i < 3; ++i) {
    const double ms = timedRequestMs(c, 200);
    EXPECT_GE(ms, 50.0);
    EXPECT_LE(ms, 50.0 + kSlackMs);
  }
  EXPECT_EQ(admin.request("DELETE", "/fault/latency").status, 200);
  const double ms = timedRequestMs(c, 200);
  EXPECT_GE(ms, 10.0);
  EXPECT_LE(ms, 10.0 + kSlackMs);
}

TEST(AppAdmin, LatencyJitterStaysWithinItsRange) {
  RunningApp app("{serviceTime: {fixed: 0ms}}");
  ASSERT_EQ(Client(app.adminPort()).request("PUT", "/fault/latency", R"({"delay_ms": 30, "jitter_ms": 10})").status,
            200);
  Client c(app.appPort());
  for (int i = 0; i < 5; ++i) {
    const double ms = timedRequestMs(c, 200);
    EXPECT_GE(ms, 20.0);
    EXPECT_LE(ms, 40.0 + kSlackMs);
  }
}

TEST(AppAdmin, CpuFaultSlowsServiceUntilCleared) {
  RunningApp app("{serviceTime: {fixed: 10ms}}");
  Client admin(app.adminPort());
  Client c(app.appPort());
  ASSERT_EQ(admin.request("PUT", "/fault/cpu", R"({"factor": 0.25})").status, 200);
  double ms = timedRequestMs(c, 200);
  EXPECT_GE(ms, 40.0);
  EXPECT_LE(ms, 40.0 + kSlackMs);
  ASSERT_EQ(admin.request("DELETE", "/fault/cpu").status, 200);
  ms = timedRequestMs(c, 200);
  EXPECT_GE(ms, 10.0);
  EXPECT_LE(ms, 10.0 + kSlackMs);
}

struct BadBody {
  const char* path;
  const char* body;
  const char* message;  // a part of the 400's body
};

class AppAdminBadBody : public ::testing::TestWithParam<BadBody> {};

TEST_P(AppAdminBadBody, Answers400NamingTheProblem) {
  RunningApp app("{serviceTime: {fixed: 1ms}}");
  const BadBody& p = GetParam();
  Reply r = Client(app.adminPort()).request("PUT", p.path, p.body);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find(p.message), std::string::npos) << r.body;
  // The fault was not applied (read from the app's state, not timed: a loaded
  // machine must not make this fail), and the app still serves.
  Reply stats = Client(app.adminPort()).request("GET", "/stats");
  ASSERT_EQ(stats.status, 200);
  const auto faults = nlohmann::json::parse(stats.body)["faults"];
  EXPECT_EQ(faults["latency"], false);
  EXPECT_EQ(faults["abort"], false);
  EXPECT_EQ(faults["cpu_factor"], 1.0);
  EXPECT_EQ(get(app.appPort(), "/").status, 200);
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, AppAdminBadBody,
    ::testing::Values(BadBody{"/fault/latency", "{delay_ms: 5", "body is not valid JSON"},
                      BadBody{"/fault/latency", "[5]", "body must be a JSON object"},
                      BadBody{"/fault/latency", "{}", "missing field \"delay_ms\""},
                      BadBody{"/fault/latency", R"({"delay": 5})",
                              "unknown field \"delay\" (fields: delay_ms, jitter_ms)"},
                      BadBody{"/fault/latency", R"({"delay_ms": "5ms"})", "field \"delay_ms\" must be a number"},
                      BadBody{"/fault/latency", R"({"delay_ms": -1})", "field \"delay_ms\": -1 is out of range"},
                      BadBody{"/fault/latency", R"({"delay_ms": 5, "jitter_ms": -2})", "field \"jitter_ms\""},
                      BadBody{"/fault/abort", R"({"http_status": 503})", "missing field \"percentage\""},
                      BadBody{"/fault/abort", R"({"http_status": 99, "percentage": 100})", "\"http_status\": 99"},
                      BadBody{"/fault/abort", R"({"http_status": 503.5, "percentage": 100})", "must be an integer"},
                      BadBody{"/fault/abort", R"({"http_status": 503, "percentage": 101})", "\"percentage\": 101"},
                      BadBody{"/fault/cpu", R"({"factor": 0})", "field \"factor\": 0 is out of range (0.0"},
                      BadBody{"/fault/cpu", R"({"factor": true})", "must be a number"}));

TEST(AppAdmin, WrongMethodAndUnknownPath) {
  RunningApp app("{serviceTime: {fixed: 1ms}}");
  Client admin(app.adminPort());
  EXPECT_EQ(admin.request("POST", "/fault/abort", "{}").status, 405);
  EXPECT_EQ(admin.request("PUT", "/fault/crash", "{}").status, 404);
}

TEST(AppAdmin, StatsCountRequestsAndFaults) {
  RunningApp app("{serviceTime: {fixed: 0ms}, errorRate: 100}");
  Client c(app.appPort());
  for (int i = 0; i < 4; ++i) c.request("GET", "/");
  Client admin(app.adminPort());
  ASSERT_EQ(admin.request("PUT", "/fault/cpu", R"({"factor": 0.5})").status, 200);
  Reply r = admin.request("GET", "/stats");
  ASSERT_EQ(r.status, 200);
  const auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["instance"], "api-v1-0");
  EXPECT_EQ(j["received"], 4);
  EXPECT_EQ(j["served"], 4);
  EXPECT_EQ(j["errors"], 4);
  EXPECT_EQ(j["busy"], 0);
  EXPECT_EQ(j["faults"]["cpu_factor"], 0.5);
  EXPECT_EQ(j["faults"]["abort"], false);
}

}  // namespace
}  // namespace meshproof::live::testing
