// TraceLineParser against the reference (chaos::parseTraceLine), line by line: the
// same entries, field for field, for every event kind the trace format has, for lines
// written by the project's writer and by hand (reordered, spaced, escaped, extra
// fields); the same nullopt for unknown kinds; the same error message for every
// malformed line. Then whole loads: the loader's model equals the one built from the
// reference's entries.
#include "viz/model/trace_line_parser.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <tuple>

#include "chaos/trace/trace_format.h"
#include "tests/viz/model/model_dump.h"
#include "tests/viz/model/trace_builders.h"
#include "viz/model/trace_loader.h"

namespace meshproof::viz {
namespace {

using testing::ms;
using testing::sec;

// Field-for-field equality (several event types have no operator==).
auto fieldsOf(const RequestEvent& e) {
  return std::tie(e.reporter, e.source, e.source_principal, e.destination_service, e.destination_subset,
                  e.destination_instance, e.route, e.method, e.path, e.status, e.flags, e.start, e.duration,
                  e.attempts, e.mtls, e.shadow, e.trace_id, e.span_id);
}
auto fieldsOf(const ClientRequestEvent& e) {
  return std::tie(e.workload, e.target_service, e.method, e.path, e.status, e.flags, e.start, e.duration, e.lost,
                  e.trace_id);
}
auto fieldsOf(const BreakerEvent& e) { return std::tie(e.service, e.threshold, e.open, e.observer); }
auto fieldsOf(const EjectionEvent& e) {
  return std::tie(e.service, e.instance, e.ejected, e.reason, e.times_ejected, e.duration, e.observer);
}
auto fieldsOf(const AuditEvent& e) { return std::tie(e.policy, e.service, e.principal, e.method, e.path); }
auto fieldsOf(const FaultEvent& e) { return std::tie(e.type, e.description, e.targets, e.started); }
template <typename E>
const E& fieldsOf(const E& e) {
  return e;  // the types with operator==
}

bool sameEntry(const chaos::TraceEntry& a, const chaos::TraceEntry& b) {
  if (a.t != b.t || a.event.index() != b.event.index()) return false;
  return std::visit(
      [&](const auto& x) {
        const auto& y = std::get<std::decay_t<decltype(x)>>(b.event);
        return fieldsOf(x) == fieldsOf(y);
      },
      a.event);
}

std::string withoutNewline(std::string line) {
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

// One event of every kind, and variants of each (optional fields, escapes, edge values).
std::vector<chaos::TraceEntry> everyKind() {
  std::vector<chaos::TraceEntry> all;
  all.push_back({0, RunEvent{"shop \"live\" ✓", std::numeric_limits<std::uint64_t>::max(), "live", sec(120),
                             1'700'000'000'123'456'789}});
  all.push_back({-ms(250), EndpointEvent{"payments-v1-0", "payments", "v1", "zone-a", "registered", ""}});
  all.push_back({ms(1), EndpointEvent{"payments-v1-0", "payments", "v1", "", "unhealthy", "no health report for 15 s"}});
  all.push_back({ms(2), ConfigEvent{"control-plane", 1, "published", "initial", "", {"faults[0]", "canary"}}});
  all.push_back({ms(3), ConfigEvent{"payments-v1-0", 1, "applied", "initial", "", {}}});
  all.push_back({ms(4), ConfigEvent{"payments-v1-1", 2, "rejected", "endpoints", "bad route\n\ttab", {}}});
  all.push_back({ms(5), CertEvent{"payments-v1-0", "issued", "spiffe://cluster.local/ns/shop/sa/payments", "0a1b",
                                  sec(86400), "", ""}});
  all.push_back({ms(6), CertEvent{"checkout-v1-0", "rejected", "", "", 0, "payments-v1-0", "certificate expired"}});
  for (const char* state : {"rotated", "denied", "expired"})
    all.push_back({ms(7), CertEvent{"payments-v1-1", state, "spiffe://x", "ff", sec(5), "", "CA down"}});
  RequestEvent r = testing::sourceLine({.status = 503, .flags = kUpstreamOverflow, .end = ms(900), .span = "s1"});
  r.path = "/pay?amount=3&note=caf\xc3\xa9";
  r.shadow = true;
  all.push_back({ms(900), r});
  all.push_back({ms(901), testing::destinationLine({.end = ms(901), .span = "s1"})});
  all.push_back({ms(902), testing::destinationLine({.principal = "", .end = ms(902)})});
  RequestEvent local = testing::sourceLine({.destination = "payments", .subset = "", .instance = "", .status = 503,
                                            .flags = kNoHealthyUpstream | kUpstreamRetryLimitExceeded,
                                            .end = ms(903), .attempts = 0, .mtls = false});
  local.route = "";
  all.push_back({ms(903), local});
  all.push_back({ms(904), testing::sourceLine({.status = 403, .flags = kRbacDenied, .end = ms(904)})});
  all.push_back({ms(905), testing::destinationLine({.flags = kMtlsRejected, .end = ms(905)})});
  ClientRequestEvent c;
  c.workload = "shoppers";
  c.target_service = "frontend";
  c.method = "POST";
  c.path = "/checkout";
  c.status = 0;
  c.flags = kUpstreamRequestTimeout;
  c.start = ms(100);
  c.duration = 123'456'789;
  c.lost = true;
  c.trace_id = "abc";
  all.push_back({ms(906), c});
  all.push_back({sec(20), testing::breakerLine("payments", true)});
  all.push_back({sec(21), BreakerEvent{"payments", "maxConnections", false, ""}});  // no observer
  all.push_back({sec(22), testing::ejectionLine("payments", "payments-v1-0", true)});
  all.push_back({sec(52), EjectionEvent{"payments", "payments-v1-0", false, "expired", 3, 0, ""}});
  all.push_back({sec(23), AuditEvent{"audit-payments", "payments", "cluster.local/ns/shop/sa/frontend", "GET", "/"}});
  all.push_back({sec(24), testing::faultLine("latency", "payments v1", {"payments-v1-0", "payments-v1-1"}, true)});
  all.push_back({sec(25), testing::faultLine("control-plane-down", "control plane", {}, false)});
  CanaryEvent k;
  k.service = "checkout";
  k.stable = "v1";
  k.canary = "v2";
  k.iteration = 0;
  k.weight = 0;
  k.verdict = "start";
  k.reason = "no traffic to judge";
  all.push_back({sec(30), k});
  for (const char* verdict : {"advance", "hold", "failed-check", "promoted", "rolled-back"}) {
    k.iteration += 1;
    k.weight += 10;
    k.verdict = verdict;
    k.success_rate = 91.25;
    k.latency_p99 = 310'500'000;
    k.failed_checks = 2;
    all.push_back({sec(30) + k.iteration, k});
  }
  all.push_back({sec(120), VerdictEvent{"frontend healthy", "slo", true, "successRate=99.5", "", sec(60)}});
  all.push_back({sec(120), VerdictEvent{"no lost", "no-lost-requests", false, "lost=3", "3 lost", std::nullopt}});
  return all;
}

// Lines not as the writer writes them, but well-formed.
std::vector<std::string> handWritten() {
  return {
      // Reordered, spaced, an unknown field of every JSON type, escapes.
      R"( { "kind" : "breaker", "open" : true, "threshold" : "max\u0043onnections", "t" : 1.5,)"
      R"( "extra" : [ "a", "b" ], "n" : null, "x" : 1e3, "y" : -7, "z" : false, "service" : "pay\"ments" } )",
      R"({"t":2,"kind":"fault","type":"crash","target":"x","instances":[],"state":"stop","observer":"o"})",
      R"({"t":-0,"kind":"run","scenario":"s","seed":0,"mode":"sim","duration_s":0.5,"wall_epoch_s":-1.25})",
      R"({"t":3.1,"kind":"ejection","service":"s","instance":"i","ejected":false,"reason":"r",)"
      R"("times_ejected":-2147483648,"duration_s":0.000000001})",
      R"({"t":4,"kind":"canary","service":"s","stable":"a","canary":"b","iteration":2147483647,"weight":100,)"
      R"("verdict":"hold","success_rate":100.000,"latency_p99_ms":null,"failed_checks":0,"reason":""})",
      R"({"t":5,"kind":"config","node":"n","version":18446744073709551615,"state":"published","cause":"c",)"
      R"("reason":"","changes":["\ud83d\ude00","\\"]})",
      // A kind from a newer build: nullopt from both.
      R"({"t":6,"kind":"from-a-newer-build","anything":{"nested":true}})",
      R"({"t":7,"kind":"telemetry"})",
      // The same field twice: the reference keeps the last one.
      R"({"t":8,"kind":"breaker","service":"a","service":"b","threshold":"x","open":true})",
      R"({"t":9,"kind":"fault","type":"crash","target":"x","instances":["a"],"instances":["b"],"state":"start"})",
  };
}

// Malformed: each must fail with the reference's message.
std::vector<std::string> malformed() {
  return {
      "",
      "not json",
      "[1,2]",
      "\"a string\"",
      "42",
      "{}",
      R"({"t":1.0,"kind":"breaker","service":"payments"})",
      R"({"t":1.0,"kind":"breaker","service":"payments","threshold":"x","open":true} trailing)",
      R"({"t":1.0,"kind":"breaker","service":"payments","threshold":"x","open":true})"
      R"({"t":2})",
      R"({"t":"1.0","kind":"breaker","service":"payments","threshold":"x","open":true})",
      R"({"t":1.0000000001,"kind":"breaker","service":"payments","threshold":"x","open":true})",
      R"({"t":1e2,"kind":"breaker","service":"payments","threshold":"x","open":true})",
      R"({"t":1,"kind":7})",
      R"({"kind":"breaker"})",
      R"({"t":1,"kind":"breaker","service":"p","threshold":"x","open":"yes"})",
      R"({"t":1,"kind":"breaker","service":"p","threshold":"x","open":true,"observer":3})",
      R"({"t":1,"kind":"breaker","service":{"a":1},"threshold":"x","open":true})",
      R"({"t":1,"kind":"fault","type":"crash","target":"x","instances":[1],"state":"start"})",
      R"({"t":1,"kind":"fault","type":"crash","target":"x","instances":[["a"]],"state":"start"})",
      R"({"t":1,"kind":"fault","type":"crash","target":"x","instances":"a","state":"start"})",
      R"({"t":1,"kind":"fault","type":"crash","target":"x","instances":[],"state":"paused"})",
      R"({"t":1,"kind":"endpoint","instance":"i","service":"s","version":"v","zone":"z","state":"gone","reason":""})",
      R"({"t":1,"kind":"run","scenario":"s","seed":-1,"mode":"sim","duration_s":1,"wall_epoch_s":0})",
      R"({"t":1,"kind":"run","scenario":"s","seed":18446744073709551616,"mode":"sim","duration_s":1,"wall_epoch_s":0})",
      R"({"t":1,"kind":"ejection","service":"s","instance":"i","ejected":true,"reason":"r","times_ejected":2147483648,"duration_s":1})",
      R"({"t":1,"kind":"ejection","service":"s","instance":"i","ejected":true,"reason":"r","times_ejected":1.5,"duration_s":1})",
      R"({"t":1,"kind":"canary","service":"s","stable":"a","canary":"b","iteration":1,"weight":1,"verdict":"hold","success_rate":1.2345,"latency_p99_ms":null,"failed_checks":0,"reason":""})",
      R"({"t":1,"kind":"canary","service":"s","stable":"a","canary":"b","iteration":1,"weight":1,"verdict":"hold","latency_p99_ms":null,"failed_checks":0,"reason":""})",
      R"({"t":1,"kind":"verdict","name":"n","type":"t","passed":true,"observed":"","reason":""})",
      R"({"t":1,"kind":"request","reporter":"source","source":"a","source_principal":"","destination":"d","subset":"","instance":"","route":"","method":"GET","path":"/","status":200,"flags":"UO,XX","start_s":0,"duration_ms":1,"attempts":1,"mtls":false,"shadow":false,"trace_id":"","span_id":""})",
      R"({"t":1,"kind":"client","workload":"w","service":"s","method":"GET","path":"/","status":200,"flags":"-","start_s":0,"duration_ms":1.0000001,"lost":false,"trace_id":""})",
      R"({"t":1,"kind":"audit","policy":"p","service":"s","principal":"x","method":"GET","path":"/"x})",
      "{\"t\":1,\"kind\":\"audit\",\"policy\":\"p\xff\",\"service\":\"s\",\"principal\":\"x\",\"method\":\"GET\",\"path\":\"/\"}",
      R"({"t":1,"kind":"audit","policy":"\ud800","service":"s","principal":"x","method":"GET","path":"/"})",
      "{\"t\":1,\"kind\":\"audit\",\"policy\":\"tab\there\",\"service\":\"s\",\"principal\":\"x\",\"method\":\"GET\",\"path\":\"/\"}",
      R"({"t":1,"kind":"audit","policy":"p","service":"s","principal":"x","method":"GET","path":"/",})",
      R"({"t":1,"kind":"config","node":"n","version":1,"state":"applied","cause":"c","reason":"","changes":"x"})",
  };
}

// The reference's answer for one line: an entry, nothing (unknown kind) or an error.
struct Outcome {
  std::optional<chaos::TraceEntry> entry;
  std::optional<std::string> error;
};

template <typename Parse>
Outcome outcomeOf(Parse&& parse, std::string_view line) {
  Outcome o;
  try {
    o.entry = parse(line);
  } catch (const chaos::TraceFormatError& e) {
    o.error = e.what();
  }
  return o;
}

void expectSameAsReference(TraceLineParser& parser, const std::string& line) {
  const Outcome want = outcomeOf([](std::string_view l) { return chaos::parseTraceLine(l); }, line);
  const Outcome got = outcomeOf([&](std::string_view l) { return parser.parse(l); }, line);
  ASSERT_EQ(got.error, want.error) << line;
  ASSERT_EQ(got.entry.has_value(), want.entry.has_value()) << line;
  if (want.entry) {
    EXPECT_TRUE(sameEntry(*got.entry, *want.entry)) << line;
  }
  // parseInto agrees with parse.
  std::vector<chaos::TraceEntry> into;
  try {
    EXPECT_EQ(parser.parseInto(line, into), want.entry.has_value()) << line;
    ASSERT_EQ(into.size(), want.entry ? 1u : 0u);
    if (want.entry) {
      EXPECT_TRUE(sameEntry(into[0], *want.entry)) << line;
    }
  } catch (const chaos::TraceFormatError& e) {
    EXPECT_EQ(std::optional<std::string>(e.what()), want.error) << line;
    EXPECT_TRUE(into.empty());
  }
}

TEST(TraceLineParser, GivesTheReferencesEntriesForEveryKindTheWriterWrites) {
  TraceLineParser parser;
  const auto all = everyKind();
  for (const auto& e : all) {
    const std::string line = withoutNewline(chaos::formatTraceLine(e.t, e.event));
    expectSameAsReference(parser, line);
    // And the event written, exactly (the format round-trips).
    const auto parsed = parser.parse(line);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_TRUE(sameEntry(*parsed, e)) << line;
  }
  // Every kind of the format was among them.
  std::set<std::size_t> kinds;
  for (const auto& e : all) kinds.insert(e.event.index());
  EXPECT_EQ(kinds.size(), std::variant_size_v<Event>);
  EXPECT_EQ(parser.fallbacks(), 0u);  // none of them needed the reference
}

TEST(TraceLineParser, GivesTheReferencesAnswerForLinesWrittenByHand) {
  TraceLineParser parser;
  for (const auto& line : handWritten()) expectSameAsReference(parser, line);
  // Interleaved with writer lines, so that slots left over from one line cannot leak
  // into the next.
  const auto all = everyKind();
  for (std::size_t i = 0; i < all.size(); ++i) {
    expectSameAsReference(parser, withoutNewline(chaos::formatTraceLine(all[i].t, all[i].event)));
    expectSameAsReference(parser, handWritten()[i % handWritten().size()]);
  }
}

TEST(TraceLineParser, MalformedLinesFailWithTheReferencesMessage) {
  TraceLineParser parser;
  for (const auto& line : malformed()) {
    expectSameAsReference(parser, line);
    const Outcome got = outcomeOf([&](std::string_view l) { return parser.parse(l); }, line);
    EXPECT_TRUE(got.error.has_value()) << line;
  }
  const Outcome missing = outcomeOf([&](std::string_view l) { return parser.parse(l); },
                                    R"({"t":1.0,"kind":"breaker","service":"payments","open":true})");
  EXPECT_EQ(missing.error, std::optional<std::string>("missing field \"threshold\""));
}

// A trace with every kind, request lines the model counts and lines it ignores, and a
// line of an unknown kind.
std::string variedTrace() {
  testing::TraceBuilder b;
  for (const auto& e : everyKind()) b.add(std::max<TimeNs>(e.t, 0), e.event);
  for (int i = 0; i < 3000; ++i) {
    const TimeNs end = ms(1000 + 31 * i);
    const std::string span = "span-" + std::to_string(i);
    b.source({.status = i % 11 == 0 ? 503 : 200, .end = end, .duration = ms(1 + i % 17), .span = span});
    b.destination({.end = end - 1, .span = span});                                       // ignored by the loader
    if (i % 5 == 0) b.destination({.principal = "", .end = end + 1, .span = "p" + span});  // plaintext: kept
    if (i % 97 == 0) b.add(end, testing::breakerLine("checkout", i % 2 == 0));
  }
  return b.text() + "{\"t\":99,\"kind\":\"from-a-newer-build\"}\n";
}

TEST(TraceLineParser, TheLoaderBuildsTheModelTheReferencesEntriesBuild) {
  const std::string text = variedTrace();
  RunModel reference;
  {
    std::istringstream in(text);
    const chaos::TraceContents contents = chaos::readTrace(in);
    for (const auto& e : contents.entries) reference.append(e);
    EXPECT_EQ(contents.skipped_lines, 1u);
  }
  std::vector<TimeNs> times;
  for (TimeNs t = 0; t <= sec(100); t += ms(2500)) times.push_back(t);
  for (const bool skip : {false, true}) {
    // Skipping the lines the model ignores changes nothing but the count of events.
    const std::string want = testing::dumpModel(reference, times, !skip);
    for (const unsigned threads : {1u, 2u}) {
      for (const std::size_t block : {std::size_t{300}, std::size_t{1} << 20}) {
        std::istringstream in(text);
        RunModel model;
        LoadOptions options;
        options.threads = threads;
        options.block_bytes = block;
        options.skip_ignored_lines = skip;
        const LoadSummary summary = loadTrace(in, "t.jsonl", model, options);
        EXPECT_EQ(summary.skipped_lines, 1u);
        EXPECT_EQ(summary.ignored_lines > 2900u, skip);
        EXPECT_EQ(testing::dumpModel(model, times, !skip), want)
            << threads << " threads, blocks of " << block << (skip ? ", skipping" : "");
      }
    }
  }
}

TEST(TraceLineParser, AFileLoadsAsTheStreamOfItsTextDoes) {
  // loadTraceFile maps the file and cuts blocks in the mapping; loadTrace reads a stream.
  const std::string text = variedTrace() + "{\"t\":100,\"kind\":\"breaker\",\"service\":\"x\",\"threshold\":\"y\",\"open\":true}";
  const std::string path = ::testing::TempDir() + "/varied-" + std::to_string(::getpid()) + ".jsonl";
  std::ofstream(path, std::ios::binary) << text;  // the last line without its newline
  std::vector<TimeNs> times;
  for (TimeNs t = 0; t <= sec(100); t += ms(3100)) times.push_back(t);
  std::istringstream in(text);
  RunModel streamed;
  const LoadSummary want = loadTrace(in, path, streamed);
  for (const unsigned threads : {1u, 2u}) {
    for (const std::size_t block : {std::size_t{1}, std::size_t{333}, std::size_t{1} << 20}) {
      RunModel mapped;
      LoadOptions options;
      options.threads = threads;
      options.block_bytes = block;
      const LoadSummary got = loadTraceFile(path, mapped, options);
      EXPECT_EQ(got.lines, want.lines);
      EXPECT_EQ(got.bytes, text.size());
      EXPECT_EQ(got.ignored_lines, want.ignored_lines);
      EXPECT_EQ(testing::dumpModel(mapped, times), testing::dumpModel(streamed, times)) << threads << " " << block;
    }
  }
  std::remove(path.c_str());
}

TEST(TraceLineParser, TheLoaderNamesFileLineAndFieldOfABadLine) {
  std::string text = variedTrace();
  std::uint64_t lines = static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
  text += "{\"t\":1.0,\"kind\":\"breaker\",\"service\":\"payments\",\"open\":true}\n";
  const std::string path = ::testing::TempDir() + "/trace.jsonl";
  std::ofstream(path, std::ios::binary) << text;
  for (const unsigned threads : {1u, 2u}) {
    std::istringstream in(text);
    RunModel model;
    LoadOptions options;
    options.threads = threads;
    options.block_bytes = 4096;
    try {
      loadTrace(in, "trace.jsonl", model, options);
      FAIL() << "no error";
    } catch (const TraceLoadError& e) {
      EXPECT_EQ(std::string(e.what()),
                "trace.jsonl:" + std::to_string(lines + 1) + ": missing field \"threshold\"");
    }
    try {
      RunModel from_file;
      loadTraceFile(path, from_file, options);
      FAIL() << "no error";
    } catch (const TraceLoadError& e) {
      EXPECT_EQ(std::string(e.what()), path + ":" + std::to_string(lines + 1) + ": missing field \"threshold\"");
    }
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace meshproof::viz
