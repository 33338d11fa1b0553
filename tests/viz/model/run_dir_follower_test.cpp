// RunDirFollower: events files written bit by bit into a temporary run directory, as
// live processes write them, polled at chosen run times; what each poll hands out is
// checked exactly (which entries, in which order, held back behind the watermark, late
// ones), and the model fed from the polls ends equal to the model of the merged trace.
#include "viz/model/run_dir_follower.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "chaos/trace/trace_format.h"
#include "tests/viz/model/model_dump.h"
#include "tests/viz/model/trace_builders.h"

namespace meshproof::viz {
namespace {

namespace fs = std::filesystem;
using testing::ms;
using testing::sec;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "meshproof-viz-follow-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void append(const std::string& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::app);
  out << text;
}

std::string line(TimeNs t, const Event& e) { return chaos::formatTraceLine(t, e); }

// The entries' times and, for breakers, their service (the tests' events are breakers).
std::vector<std::string> described(const std::vector<chaos::TraceEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) {
    const auto* b = std::get_if<BreakerEvent>(&e.event);
    out.push_back(std::to_string(e.t / kMillisecond) + " " + (b ? b->service : "?"));
  }
  return out;
}

BreakerEvent breaker(const std::string& name) { return testing::breakerLine(name, true); }

TEST(RunDirFollower, HoldsEntriesBackBehindTheWatermarkAndMergesFilesByTime) {
  TempDir dir;
  const std::string a = dir.path() + "/proxy-a.events", b = dir.path() + "/proxy-b.events";
  RunDirFollower follower(dir.path(), ms(300));
  EXPECT_TRUE(follower.poll(ms(100)).empty());  // no files yet
  EXPECT_EQ(follower.files(), 0u);

  // Start-up (before t0) counts as 0; a partial last line waits for its newline.
  const std::string partial = line(ms(600), breaker("a600"));
  append(a, line(-ms(500), breaker("a-500")) + line(ms(100), breaker("a100")) + line(ms(500), breaker("a500")) +
                partial.substr(0, 20));
  EXPECT_EQ(described(follower.poll(ms(700))), (std::vector<std::string>{"0 a-500", "100 a100"}));
  EXPECT_EQ(follower.heldBack(), 1u);  // 500 > 700 - 300

  // The rest of the line, and a second process whose first flush is older than what
  // is held back: merged by time.
  append(a, partial.substr(20));
  append(b, line(ms(450), breaker("b450")) + line(ms(900), breaker("b900")));
  EXPECT_EQ(described(follower.poll(ms(1000))), (std::vector<std::string>{"450 b450", "500 a500", "600 a600"}));
  EXPECT_EQ(follower.files(), 2u);
  EXPECT_EQ(follower.lateEntries(), 0u);

  // Equal times: file name, then line order (as the orchestrator merges).
  append(b, line(ms(950), breaker("b950-1")) + line(ms(950), breaker("b950-2")));
  append(a, line(ms(950), breaker("a950")));
  // Later than the watermark: an entry older than the newest handed out (600) comes
  // out at 600, counted; a malformed line is skipped and counted.
  append(a, line(ms(300), breaker("a300-late")) + "{\"t\":1.0,\"kind\":\"breaker\"}\n");
  EXPECT_EQ(described(follower.poll(ms(1300))),
            (std::vector<std::string>{"600 a300-late", "900 b900", "950 a950", "950 b950-1", "950 b950-2"}));
  EXPECT_EQ(follower.lateEntries(), 1u);
  EXPECT_EQ(follower.badLines(), 1u);
  EXPECT_EQ(follower.firstBadLine(), "proxy-a.events:7: missing field \"service\"");
  EXPECT_EQ(follower.newest(), ms(950));

  // Nothing new: nothing out. At the end, drain hands out what is held back.
  append(b, line(ms(2000), breaker("b2000")));
  EXPECT_TRUE(follower.poll(ms(1400)).empty());
  EXPECT_EQ(described(follower.drain()), (std::vector<std::string>{"2000 b2000"}));
  EXPECT_EQ(follower.entries(), 11u);
  EXPECT_EQ(follower.heldBack(), 0u);
}

// A small live run: endpoints, certificates and config at start-up, then traffic and
// a breaker, spread over three processes' files, flushed every 100 ms.
struct LiveRun {
  std::map<std::string, std::vector<chaos::TraceEntry>> files;  // file name -> its entries in order

  LiveRun() {
    auto& control = files["control-control-plane.events"];
    auto& front = files["proxy-frontend-v1-0.events"];
    auto& orch = files["orchestrator.events"];
    for (const char* instance : {"frontend-v1-0", "checkout-v1-0", "checkout-v1-1"}) {
      const std::string name = instance;
      const std::string service = name.substr(0, name.find('-'));
      control.push_back({-sec(2), EndpointEvent{name, service, "v1", "zone-a", "registered", ""}});
      control.push_back({-sec(1), CertEvent{name, "issued", "spiffe://cluster.local/ns/shop/sa/" + service, "01",
                                            sec(3600), "", ""}});
    }
    control.push_back({-ms(900), ConfigEvent{"control-plane", 1, "published", "initial", "", {}}});
    front.push_back({-ms(800), ConfigEvent{"frontend-v1-0", 1, "applied", "initial", "", {}}});
    for (int i = 0; i < 60; ++i) {
      const TimeNs end = ms(50 + 50 * i);
      front.push_back({end, testing::sourceLine({.instance = i % 2 ? "checkout-v1-1" : "checkout-v1-0",
                                                 .status = i % 9 == 0 ? 503 : 200, .end = end,
                                                 .duration = ms(5 + i % 7)})});
      if (i % 10 == 0) {
        ClientRequestEvent c;
        c.workload = "shoppers";
        c.target_service = "frontend";
        c.status = 200;
        c.start = end - ms(20);
        c.duration = ms(20);
        orch.push_back({end, c});
      }
    }
    front.push_back({ms(1500), testing::breakerLine("checkout", true, "frontend-v1-0")});
    front.push_back({ms(2200), testing::breakerLine("checkout", false, "frontend-v1-0")});
    orch.push_back({ms(1000), testing::faultLine("latency", "checkout v1", {"checkout-v1-1"}, true)});
    orch.push_back({ms(2500), testing::faultLine("latency", "checkout v1", {"checkout-v1-1"}, false)});
    for (auto& [name, entries] : files)
      std::stable_sort(entries.begin(), entries.end(), [](const auto& x, const auto& y) { return x.t < y.t; });
  }

  // What a process has flushed by run time `now`: its entries up to the last 100 ms
  // flush, each file at its own phase.
  static TimeNs flushedUpTo(TimeNs now, std::size_t file_index) {
    const TimeNs phase = static_cast<TimeNs>(file_index) * ms(37);
    if (now < phase) return -sec(10);
    return (now - phase) / ms(100) * ms(100) + phase;
  }

  // The merged trace, as the orchestrator writes it (times clamped at 0).
  std::vector<chaos::TraceEntry> merged() const {
    std::vector<chaos::TraceEntry> all;
    for (const auto& [name, entries] : files) all.insert(all.end(), entries.begin(), entries.end());
    std::stable_sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.t < y.t; });
    for (auto& e : all) e.t = std::max<TimeNs>(e.t, 0);
    return all;
  }
};

TEST(RunDirFollower, AModelFedFromPollsEndsAsTheMergedTraceAndIsExactOnTheWay) {
  TempDir dir;
  const LiveRun run;
  RunDirFollower follower(dir.path());
  RunModel live;
  std::map<std::string, std::size_t> written;  // per file: entries written so far
  std::vector<TimeNs> times;
  for (TimeNs t = 0; t <= sec(4); t += ms(500)) times.push_back(t);
  for (TimeNs now = -sec(3); now <= sec(4); now += ms(250)) {
    std::size_t index = 0;
    for (const auto& [name, entries] : run.files) {
      std::size_t& n = written[name];
      std::string text;
      while (n < entries.size() && entries[n].t <= LiveRun::flushedUpTo(now, index))
        text += line(entries[n].t, entries[n].event), ++n;
      if (!text.empty()) append(dir.path() + "/" + name, text);
      ++index;
    }
    for (const auto& e : follower.poll(now)) live.append(e);
    // Exact on the way: the model holds every merged entry at or before now - 300 ms,
    // and no other (each file is flushed at most 100 ms late, under the watermark).
    RunModel expected;
    for (const auto& e : run.merged())
      if (e.t <= now - kDefaultWatermark) expected.append(e);
    ASSERT_EQ(testing::dumpModel(live, times), testing::dumpModel(expected, times)) << "at " << now;
  }
  for (const auto& e : follower.drain()) live.append(e);
  EXPECT_EQ(follower.lateEntries(), 0u);
  RunModel full;
  for (const auto& e : run.merged()) full.append(e);
  EXPECT_EQ(testing::dumpModel(live, times), testing::dumpModel(full, times));
  EXPECT_EQ(live.events(), run.merged().size());
}

TEST(RunDirFollower, TellsWhereTheRunStandsFromItsDirectory) {
  auto dir = std::make_unique<TempDir>();
  const std::string path = dir->path();
  EXPECT_EQ(runDirState(path), RunDirState::kRunning);
  EXPECT_FALSE(readRunT0(path).has_value());
  append(path + "/run.json", R"({"t0_ns": 123456789012, "wall_t0_ns": 1, "control": {}})");
  EXPECT_EQ(readRunT0(path), std::optional<TimeNs>(123456789012));
  append(path + "/trace.jsonl", "");
  EXPECT_EQ(runDirState(path), RunDirState::kTraceWritten);
  dir.reset();
  EXPECT_EQ(runDirState(path), RunDirState::kGone);
}

}  // namespace
}  // namespace meshproof::viz
