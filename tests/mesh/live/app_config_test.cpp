// Loading an app process's configuration from a run directory: the instance's
// behavior (through the same conversion the simulator uses), its ports, the seed,
// and clear errors for unusable input.
#include "mesh/live/app/app_config.h"

#include <gtest/gtest.h>

#include "app_test_support.h"

namespace meshproof::live::testing {
namespace {

std::string errorOf(const std::string& dir, const std::string& instance) {
  try {
    loadAppConfig(dir, instance);
  } catch (const AppConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(AppConfig, ReadsBehaviorPortsAndSeed) {
  TempDir dir;
  const RunLayout layout = writeRunDir(
      dir, planYaml("{serviceTime: {p50: 8ms, p99: 30ms}, errorRate: 2.5, concurrency: 3, "
                    "calls: [{service: payments, path: /pay, method: POST}, {service: payments, optional: true}]}",
                    /*seed=*/99));
  const AppConfig config = loadAppConfig(dir.path(), "api-v1-0");
  EXPECT_EQ(config.instance, "api-v1-0");
  EXPECT_EQ(config.seed, 99u);
  EXPECT_EQ(config.t0, layout.t0);
  EXPECT_EQ(config.app_port, layout.nodes.at("api-v1-0").app);
  EXPECT_EQ(config.admin_port, layout.nodes.at("api-v1-0").app_admin);
  EXPECT_EQ(config.outbound_port, layout.nodes.at("api-v1-0").outbound);

  const app::Behavior& b = config.behavior;
  EXPECT_EQ(b.service_time.kind(), app::ServiceTime::Kind::kLogNormal);
  EXPECT_EQ(b.service_time, app::ServiceTime::fromPercentiles(8 * kMillisecond, 30 * kMillisecond));
  EXPECT_DOUBLE_EQ(b.error_rate_percent, 2.5);
  EXPECT_EQ(b.concurrency, 3u);
  ASSERT_EQ(b.calls.size(), 2u);
  EXPECT_EQ(b.calls[0], (app::DownstreamCall{"payments", "/pay", "POST", false}));
  EXPECT_EQ(b.calls[1], (app::DownstreamCall{"payments", "/", "GET", true}));
}

TEST(AppConfig, FixedAndExponentialServiceTimesAndUnlimitedConcurrency) {
  TempDir dir;
  writeRunDir(dir, planYaml("{serviceTime: {mean: 4ms}}"));
  const AppConfig api = loadAppConfig(dir.path(), "api-v1-0");
  EXPECT_EQ(api.behavior.service_time, app::ServiceTime::exponential(4 * kMillisecond));
  EXPECT_EQ(api.behavior.concurrency, 0u);  // unlimited
  const AppConfig payments = loadAppConfig(dir.path(), "payments-v1-0");
  EXPECT_EQ(payments.behavior.service_time, app::ServiceTime::fixed(kMillisecond));
}

TEST(AppConfig, SeedGivenOverridesThePlans) {
  TempDir dir;
  writeRunDir(dir, planYaml("{serviceTime: {fixed: 1ms}}", /*seed=*/5));
  EXPECT_EQ(loadAppConfig(dir.path(), "api-v1-0", 1234).seed, 1234u);
}

TEST(AppConfig, UnknownInstanceIsNamedWithTheKnownOnes) {
  TempDir dir;
  writeRunDir(dir, planYaml("{serviceTime: {fixed: 1ms}}"));
  EXPECT_EQ(errorOf(dir.path(), "api-v9-0"),
            dir.path() + "/plan.yaml: no instance \"api-v9-0\" (instances: api-v1-0, payments-v1-0)");
}

TEST(AppConfig, MissingFilesAreNamed) {
  TempDir dir;
  EXPECT_NE(errorOf(dir.path(), "api-v1-0").find(dir.path() + "/plan.yaml"), std::string::npos);
  dir.write("plan.yaml", planYaml("{serviceTime: {fixed: 1ms}}"));
  EXPECT_EQ(errorOf(dir.path(), "api-v1-0"), "cannot read " + dir.path() + "/run.json");
}

TEST(AppConfig, InvalidPlanGivesTheLoadersMessage) {
  TempDir dir;
  writeRunDir(dir, planYaml("{serviceTime: {fixed: 10}}"));
  const std::string error = errorOf(dir.path(), "api-v1-0");
  EXPECT_NE(error.find("plan.yaml:"), std::string::npos) << error;
  EXPECT_NE(error.find("has no unit"), std::string::npos) << error;
}

TEST(AppConfig, BrokenRunJsonIsNamed) {
  TempDir dir;
  writeRunDir(dir, planYaml("{serviceTime: {fixed: 1ms}}"));
  dir.write("run.json", R"({"t0_ns": 1})");
  const std::string error = errorOf(dir.path(), "api-v1-0");
  EXPECT_EQ(error.rfind(dir.path() + "/run.json: ", 0), 0u) << error;
}

TEST(AppConfig, InstanceWithoutANodeOrAnAppPortIsRefused) {
  TempDir dir;
  RunLayout layout = writeRunDir(dir, planYaml("{serviceTime: {fixed: 1ms}}"));
  layout.nodes.erase("payments-v1-0");
  layout.nodes["api-v1-0"].app_admin = 0;
  layout.write();
  EXPECT_EQ(errorOf(dir.path(), "payments-v1-0"), dir.path() + "/run.json: nodes: no node \"payments-v1-0\"");
  EXPECT_EQ(errorOf(dir.path(), "api-v1-0"), dir.path() + "/run.json: nodes.api-v1-0.app_admin: no port (0)");
}

}  // namespace
}  // namespace meshproof::live::testing
