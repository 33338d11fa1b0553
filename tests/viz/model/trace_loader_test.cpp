// TraceLoader: a malformed line is reported by file and line number (the first bad
// line, whatever the threads did), unknown kinds are skipped, and the threaded load
// builds the same model as a line-by-line one.
#include "viz/model/trace_loader.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/viz/model/trace_builders.h"

namespace meshproof::viz {
namespace {

using testing::ms;
using testing::TraceBuilder;

TraceBuilder manyRequests(int count) {
  TraceBuilder b;
  for (int i = 0; i < count; ++i)
    b.source({.status = i % 7 == 0 ? 503 : 200, .end = ms(10 + 37 * i), .duration = ms(1 + i % 13)});
  return b;
}

TEST(TraceLoader, AMalformedLineIsNamedByFileAndLine) {
  std::string text = manyRequests(2).text();
  text += "{\"t\":1.0,\"kind\":\"breaker\",\"service\":\"payments\"}\n";  // no threshold, no open
  std::istringstream in(text);
  RunModel model;
  try {
    loadTrace(in, "trace.jsonl", model);
    FAIL() << "no error";
  } catch (const TraceLoadError& e) {
    EXPECT_EQ(e.line(), 3u);
    EXPECT_EQ(std::string(e.what()).rfind("trace.jsonl:3: ", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("threshold"), std::string::npos) << e.what();
  }
}

TEST(TraceLoader, TheFirstBadLineWinsAcrossThreadsAndBlocks) {
  std::string text = manyRequests(400).text();
  // Blank lines count as lines; the first bad line is 403, a later one 405.
  text += "\n\nnot json\n{}\n{\"t\":\"x\"}\n";
  std::istringstream in(text);
  RunModel model;
  LoadOptions options;
  options.threads = 2;
  options.block_bytes = 512;  // many small blocks
  try {
    loadTrace(in, "t.jsonl", model, options);
    FAIL() << "no error";
  } catch (const TraceLoadError& e) {
    EXPECT_EQ(e.line(), 403u) << e.what();
  }
}

TEST(TraceLoader, ThreadedLoadBuildsTheSameModelAsASequentialOne) {
  const std::string text = manyRequests(2000).text() + "{\"t\":0.5,\"kind\":\"from-a-newer-build\"}\n";
  auto load = [&](unsigned threads, std::size_t block) {
    std::istringstream in(text);
    RunModel model;
    LoadOptions options;
    options.threads = threads;
    options.block_bytes = block;
    const LoadSummary summary = loadTrace(in, "t.jsonl", model, options);
    EXPECT_EQ(summary.lines, 2001u);
    EXPECT_EQ(summary.skipped_lines, 1u);
    return model;
  };
  const RunModel one = load(1, 1 << 20);
  const RunModel two = load(2, 700);
  EXPECT_EQ(one.events(), 2000u);
  EXPECT_EQ(two.events(), 2000u);
  const auto a = one.nodeSeries(0), b = two.nodeSeries(0);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GT(a.size(), 70u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].figures.requests, b[i].figures.requests) << i;
    EXPECT_EQ(a[i].figures.successes, b[i].figures.successes) << i;
    EXPECT_EQ(a[i].figures.p99_ms, b[i].figures.p99_ms) << i;
  }
}

TEST(TraceLoader, IgnoredLinesAreRecognisedWithoutParsing) {
  using testing::Hop;
  auto line = [](const Event& e) {
    std::string text = chaos::formatTraceLine(ms(10), e);
    text.pop_back();  // the newline: the loader hands lines over without it
    return text;
  };
  const Hop mtls{};
  const Hop plaintext{.principal = ""};
  const Hop rejected{.flags = kMtlsRejected};
  EXPECT_TRUE(isIgnoredLine(line(testing::destinationLine(mtls))));
  EXPECT_FALSE(isIgnoredLine(line(testing::destinationLine(plaintext))));
  EXPECT_FALSE(isIgnoredLine(line(testing::destinationLine(rejected))));
  EXPECT_FALSE(isIgnoredLine(line(testing::sourceLine(mtls))));
  ClientRequestEvent client;
  client.workload = "shoppers";
  EXPECT_TRUE(isIgnoredLine(line(client)));
  EXPECT_FALSE(isIgnoredLine(line(testing::breakerLine("payments", true))));
  // Not the writer's layout, or cut short: parsed (and reported) as usual.
  std::string spaced = line(client);
  spaced.insert(1, " ");
  EXPECT_FALSE(isIgnoredLine(spaced));
  std::string truncated = line(client);
  truncated.resize(truncated.size() - 10);
  EXPECT_FALSE(isIgnoredLine(truncated));
}

TEST(TraceLoader, SkippingIgnoredLinesChangesNothingInTheModel) {
  TraceBuilder b = manyRequests(300);
  for (int i = 0; i < 300; ++i) {
    b.destination({.end = ms(10 + 37 * i) - 1});                                     // mTLS: ignored
    b.destination({.principal = "", .end = ms(20 + 37 * i), .span = std::to_string(i)});  // plaintext: kept
  }
  const std::string text = b.text();
  auto load = [&](bool skip) {
    std::istringstream in(text);
    RunModel model;
    LoadOptions options;
    options.skip_ignored_lines = skip;
    const LoadSummary summary = loadTrace(in, "t.jsonl", model, options);
    EXPECT_EQ(summary.ignored_lines, skip ? 300u : 0u);
    return model;
  };
  const RunModel all = load(false), some = load(true);
  ASSERT_EQ(all.graph().topology.nodes.size(), some.graph().topology.nodes.size());
  ASSERT_EQ(all.graph().edges.size(), some.graph().edges.size());
  for (const TimeNs t : {ms(500), ms(5500), ms(11000)}) {
    const GraphState a = all.stateAt(t), c = some.stateAt(t);
    for (std::size_t e = 0; e < a.edges.size(); ++e) {
      EXPECT_EQ(a.edges[e].figures.requests, c.edges[e].figures.requests);
      EXPECT_EQ(a.edges[e].figures.p99_ms, c.edges[e].figures.p99_ms);
    }
  }
}

TEST(TraceLoader, AMissingFileIsAnError) {
  RunModel model;
  try {
    loadTraceFile("/nonexistent/trace.jsonl", model);
    FAIL() << "no error";
  } catch (const TraceLoadError& e) {
    EXPECT_EQ(e.line(), 0u);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/trace.jsonl: cannot open"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace meshproof::viz
