// The faults-in-force file: what the fault driver keeps per instance, and a process
// starting again putting its part through its own admin routes (by dispatch, as a
// PUT on the admin port would).
#include "mesh/live/fault_state_file.h"

#include <gtest/gtest.h>

#include "app_test_support.h"

namespace meshproof::live {
namespace {

using testing::readFile;
using testing::TempDir;

// An admin server whose fault routes record what they were PUT, in order; a body
// without "ok" is refused with 400, as a real route refuses a bad field.
struct RecordingAdmin {
  boost::asio::io_context io;
  http::AdminServer admin{io};
  std::vector<std::string> puts;
  RecordingAdmin() {
    admin.route("PUT", "/fault/*", [this](const http::AdminRequest& r) {
      const auto body = nlohmann::json::parse(r.body);
      if (!body.contains("ok")) return http::textResponse(400, "expected {\"ok\": ...}");
      puts.push_back(std::string(r.path) + " " + std::string(r.body));
      return http::textResponse(200, "applied");
    });
  }
};

RunLayout layoutIn(const TempDir& dir) {
  RunLayout layout;
  layout.dir = dir.path();
  return layout;
}

TEST(FaultState, KeepsWhatIsInForceByInstanceProcessAndRoute) {
  TempDir dir;
  const RunLayout layout = layoutIn(dir);
  FaultState state;
  state.put("api-v1-0", "proxy", "/fault/loss", {{"percentage", 20}});
  state.put("api-v1-0", "app", "/fault/latency", {{"delay_ms", 100}, {"jitter_ms", 0}});
  state.put("api-v1-0", "proxy", "/fault/loss", {{"percentage", 30}});  // replaced, as the route replaces it
  state.put("db-v1-0", "proxy", "/fault/partition", {{"peers", {"api-v1-0"}}});
  state.save(layout, "api-v1-0");
  EXPECT_EQ(nlohmann::json::parse(readFile(faultStateFile(layout, "api-v1-0"))),
            nlohmann::json::parse(R"({"app": {"/fault/latency": {"delay_ms": 100, "jitter_ms": 0}},
                                      "proxy": {"/fault/loss": {"percentage": 30}}})"));
  ASSERT_NE(state.find("db-v1-0", "proxy", "/fault/partition"), nullptr);
  EXPECT_EQ(state.find("db-v1-0", "app", "/fault/partition"), nullptr);

  state.remove("api-v1-0", "proxy", "/fault/loss");
  state.remove("api-v1-0", "app", "/fault/latency");
  state.remove("api-v1-0", "app", "/fault/never-set");  // nothing to remove: no change
  EXPECT_EQ(state.find("api-v1-0", "proxy", "/fault/loss"), nullptr);
  state.save(layout, "api-v1-0");
  EXPECT_EQ(readFile(faultStateFile(layout, "api-v1-0")), "{}\n");
  EXPECT_EQ(faultStateFile(layout, "api-v1-0"), dir.path() + "/api-v1-0.faults.json");
}

TEST(ApplySavedFaults, PutsTheProcessesOwnPartThroughItsRoutes) {
  TempDir dir;
  const RunLayout layout = layoutIn(dir);
  FaultState state;
  state.put("api-v1-0", "proxy", "/fault/loss", {{"ok", 1}});
  state.put("api-v1-0", "proxy", "/fault/bandwidth", {{"ok", 2}});
  state.put("api-v1-0", "app", "/fault/abort", {{"ok", 3}});
  state.save(layout, "api-v1-0");
  RecordingAdmin proxy, app;
  EXPECT_TRUE(applySavedFaults(faultStateFile(layout, "api-v1-0"), "proxy", proxy.admin).empty());
  EXPECT_EQ(proxy.puts, (std::vector<std::string>{R"(/fault/bandwidth {"ok":2})", R"(/fault/loss {"ok":1})"}));
  EXPECT_TRUE(applySavedFaults(faultStateFile(layout, "api-v1-0"), "app", app.admin).empty());
  EXPECT_EQ(app.puts, (std::vector<std::string>{R"(/fault/abort {"ok":3})"}));
}

TEST(ApplySavedFaults, NoFileIsNoFault) {
  TempDir dir;
  RecordingAdmin proxy;
  EXPECT_TRUE(applySavedFaults(dir.path() + "/api-v1-0.faults.json", "proxy", proxy.admin).empty());
  EXPECT_TRUE(proxy.puts.empty());
}

TEST(ApplySavedFaults, SaysWhatDidNotGoInAndAppliesTheRest) {
  TempDir dir;
  dir.write("a.faults.json", R"({"proxy": {"/fault/loss": {"percentage": 5}, "/fault/partition": {"ok": 1}}})");
  RecordingAdmin proxy;
  const auto problems = applySavedFaults(dir.path() + "/a.faults.json", "proxy", proxy.admin);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], dir.path() + "/a.faults.json: PUT /fault/loss {\"percentage\":5} answered 400: "
                                      "expected {\"ok\": ...}");
  EXPECT_EQ(proxy.puts, (std::vector<std::string>{R"(/fault/partition {"ok":1})"}));

  dir.write("b.faults.json", "[1, 2]");
  EXPECT_EQ(applySavedFaults(dir.path() + "/b.faults.json", "proxy", proxy.admin),
            (std::vector<std::string>{dir.path() + "/b.faults.json: not a JSON object"}));
  dir.write("c.faults.json", R"({"proxy": 7})");
  EXPECT_EQ(applySavedFaults(dir.path() + "/c.faults.json", "proxy", proxy.admin),
            (std::vector<std::string>{dir.path() + "/c.faults.json: \"proxy\" is not an object"}));
}

}  // namespace
}  // namespace meshproof::live
