// Reading trace.jsonl back: a round trip through the writer gives back every field of
// every kind of event exactly (nanoseconds included); unknown kinds are skipped;
// malformed lines are errors naming the line.
#include "chaos/trace/trace_reader.h"

#include <gtest/gtest.h>

#include <concepts>
#include <sstream>

#include "chaos/trace/trace_format.h"
#include "chaos/trace/trace_writer.h"
#include "event_builders.h"

namespace meshproof::chaos {
namespace {

using namespace testing;

// Same alternative and equal fields (for the kinds that define ==).
bool sameEvent(const Event& a, const Event& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::equality_comparable<T>) {
          return x == std::get<T>(b);
        } else {
          return false;
        }
      },
      a);
}

std::vector<TraceEntry> sampleEntries() {
  RequestEvent request = sourceHop("payments", 503, 20'012'345'679, 12'345'671, kUpstreamOverflow | kNoRouteFound);
  request.shadow = true;
  request.attempts = 3;
  request.source = "odd \"name\"\n";
  return {
      {20'012'345'679, request},
      {20'012'345'680, destinationHop("payments", "cluster.local/ns/shop/sa/checkout", 403, 20'012'345'680, kRbacDenied)},
      {30'000'000'001, clientRequest(200, 30'000'000'001, 7'000'003)},
      {40'000'000'000, breaker("payments", true, "maxConnections")},
      {41'000'000'000, ejection("payments", "payments-v1-2", false)},
      {42'000'000'000, AuditEvent{"audit", "payments", "p", "GET", "/x"}},
      {43'000'000'000, FaultEvent{"partition", "zone-a <-> zone-b", {"a-v1-0", "b-v1-0"}, false}},
  };
}

TEST(TraceReader, RoundTripGivesBackEveryField) {
  std::ostringstream out;
  TraceWriter writer(out);
  const auto entries = sampleEntries();
  for (const auto& entry : entries) writer.emit(entry.t, entry.event);

  std::istringstream in(out.str());
  const TraceContents read = readTrace(in);
  ASSERT_EQ(read.entries.size(), entries.size());
  EXPECT_EQ(read.skipped_lines, 0u);

  const auto& request = std::get<RequestEvent>(read.entries[0].event);
  EXPECT_EQ(read.entries[0].t, 20'012'345'679);
  EXPECT_EQ(request.reporter, "source");
  EXPECT_EQ(request.source, "odd \"name\"\n");
  EXPECT_EQ(request.source_principal, "cluster.local/ns/shop/sa/frontend");
  EXPECT_EQ(request.destination_service, "payments");
  EXPECT_EQ(request.destination_subset, "v1");
  EXPECT_EQ(request.destination_instance, "payments-v1-0");
  EXPECT_EQ(request.route, "default");
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path, "/");
  EXPECT_EQ(request.status, 503);
  EXPECT_EQ(request.flags, kUpstreamOverflow | kNoRouteFound);
  EXPECT_EQ(request.start, 20'000'000'008);
  EXPECT_EQ(request.duration, 12'345'671);
  EXPECT_EQ(request.attempts, 3);
  EXPECT_TRUE(request.mtls);
  EXPECT_TRUE(request.shadow);
  EXPECT_EQ(request.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(request.span_id, "00f067aa0ba902b7");

  const auto& client = std::get<ClientRequestEvent>(read.entries[2].event);
  EXPECT_EQ(client.start, 29'993'000'000 - 2);
  EXPECT_EQ(client.duration, 7'000'003);
  EXPECT_EQ(client.target_service, "frontend");
  const auto& fault = std::get<FaultEvent>(read.entries[6].event);
  EXPECT_EQ(fault.targets, (std::vector<std::string>{"a-v1-0", "b-v1-0"}));
  EXPECT_FALSE(fault.started);
  EXPECT_EQ(std::get<EjectionEvent>(read.entries[4].event).duration, 30'000'000'000);

  // Every kind: writing what was read gives the same bytes.
  std::ostringstream again;
  TraceWriter rewriter(again);
  for (const auto& entry : read.entries) rewriter.emit(entry.t, entry.event);
  EXPECT_EQ(again.str(), out.str());
  EXPECT_EQ(rewriter.sha256(), writer.sha256());
}

// The control-plane, certificate, canary, run and verdict kinds round-trip exactly.
TEST(TraceReader, ControlPlaneKindsRoundTrip) {
  CanaryEvent judged{"checkout", "v1", "v2", 3, 30, "advance", 99.875, 412'345'000, 1, ""};
  CanaryEvent idle{"checkout", "v1", "v2", 4, 30, "hold", std::nullopt, std::nullopt, 1, "no traffic to judge"};
  const std::vector<TraceEntry> entries = {
      {0, RunEvent{"flagship", 42, "sim", 120 * kSecond, 1'767'225'600 * kSecond}},
      {0, EndpointEvent{"payments-v1-0", "payments", "v1", "zone-a", "registered", ""}},
      {1'000, ConfigEvent{"control-plane", 7, "published", "canary checkout weight 30, change tighten", "", {"tighten"}}},
      {2'000, ConfigEvent{"checkout-v1-0", 7, "rejected", "change 2", "traffic[checkout].http[0]: bad regex", {}}},
      {3'000, CertEvent{"payments-v1-0", "issued", "spiffe://cluster.local/ns/shop/sa/payments", "0a1b", 86'400 * kSecond,
                        "", ""}},
      {4'000, judged},
      {5'000, idle},
      {6'000, VerdictEvent{"frontend healthy", "slo", false, "successRate=98.0", "98.0 < 99.5", 61 * kSecond}},
      {7'000, VerdictEvent{"canary checkout", "canary", true, "outcome=promoted", "", std::nullopt}},
  };
  std::ostringstream out;
  TraceWriter writer(out);
  for (const auto& entry : entries) writer.emit(entry.t, entry.event);
  EXPECT_EQ(formatTraceLine(4'000, judged),
            R"({"t":0.000004000,"kind":"canary","service":"checkout","stable":"v1","canary":"v2","iteration":3,)"
            R"("weight":30,"verdict":"advance","success_rate":99.875,"latency_p99_ms":412.345000,"failed_checks":1,)"
            R"("reason":""})"
            "\n");
  EXPECT_EQ(formatTraceLine(0, entries[0].event),
            R"({"t":0.000000000,"kind":"run","scenario":"flagship","seed":42,"mode":"sim","duration_s":120.000000000,)"
            R"("wall_epoch_s":1767225600.000000000})"
            "\n");

  std::istringstream in(out.str());
  const TraceContents read = readTrace(in);
  ASSERT_EQ(read.entries.size(), entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(read.entries[i].t, entries[i].t) << i;
    EXPECT_TRUE(sameEvent(read.entries[i].event, entries[i].event)) << "entry " << i << ": " << formatTraceLine(0, entries[i].event);
  }
}

TEST(TraceReader, ControlPlaneKindsRejectUnknownStates) {
  std::istringstream in("{\"t\":1,\"kind\":\"config\",\"node\":\"a\",\"version\":1,\"state\":\"maybe\",\"cause\":\"\","
                        "\"reason\":\"\"}\n");
  try {
    readTrace(in);
    FAIL() << "no error";
  } catch (const TraceFormatError& e) {
    EXPECT_STREQ(e.what(), "trace line 1: field \"state\" is \"maybe\", not one of published, applied, rejected");
  }
}

TEST(TraceReader, SkipsUnknownKindsAndFieldsAndBlankLines) {
  std::istringstream in(
      "{\"t\":1.0,\"kind\":\"from-a-newer-build\",\"version\":3}\n"
      "\n"
      "{\"t\":2.5,\"kind\":\"breaker\",\"service\":\"s\",\"threshold\":\"maxRetries\",\"open\":true,\"extra\":[\"x\"]}\n");
  const TraceContents read = readTrace(in);
  EXPECT_EQ(read.skipped_lines, 1u);
  ASSERT_EQ(read.entries.size(), 1u);
  EXPECT_EQ(read.entries[0].t, 2'500'000'000);
  EXPECT_EQ(std::get<BreakerEvent>(read.entries[0].event).threshold, "maxRetries");
}

TEST(TraceReader, MalformedLinesNameTheLine) {
  const auto errorOf = [](const std::string& text) -> std::string {
    std::istringstream in(text);
    try {
      readTrace(in);
    } catch (const TraceFormatError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string good = "{\"t\":1,\"kind\":\"breaker\",\"service\":\"s\",\"threshold\":\"x\",\"open\":true}\n";
  EXPECT_EQ(errorOf(good + "{\"t\":1,\"kind\":\"breaker\",\"service\":\"s\",\"open\":true}\n"),
            "trace line 2: missing field \"threshold\"");
  EXPECT_EQ(errorOf(good + good + "{\"t\":1,\"kind\":\"breaker\",\"service\":5,\"threshold\":\"x\",\"open\":true}\n"),
            "trace line 3: field \"service\" has the wrong type");
  EXPECT_EQ(errorOf("{\"t\":1.0000000001,\"kind\":\"breaker\"}\n"),
            "trace line 1: field \"t\" is not a decimal with at most 9 decimals");
  EXPECT_EQ(errorOf("[1,2]\n"), "trace line 1: a trace line is one JSON object");
  EXPECT_EQ(errorOf("{\"t\":1,\"kind\":{\"a\":1}}\n"), "trace line 1: field \"kind\": nested objects are not allowed");
  EXPECT_EQ(errorOf(good.substr(0, 20) + "\n").rfind("trace line 1: not JSON at byte", 0), 0u);
  EXPECT_EQ(errorOf("{\"t\":1,\"kind\":\"client\",\"workload\":\"w\",\"service\":\"s\",\"method\":\"GET\",\"path\":\"/\","
                    "\"status\":200,\"flags\":\"-\",\"start_s\":0,\"duration_ms\":1,\"lost\":false,"
                    "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e47360\"}\n"),
            "trace line 1: field \"trace_id\" is longer than 32 characters");
}

TEST(TraceReader, ParsesEnvoyFlagText) {
  EXPECT_EQ(parseResponseFlags("-"), kNoFlags);
  EXPECT_EQ(parseResponseFlags("UO"), kUpstreamOverflow);
  EXPECT_EQ(parseResponseFlags("UH,RBAC,UMTLS"), kNoHealthyUpstream | kRbacDenied | kMtlsRejected);
  EXPECT_EQ(parseResponseFlags("UO,XX"), std::nullopt);
  EXPECT_EQ(parseResponseFlags(""), std::nullopt);
  for (const ResponseFlag flag : allResponseFlags())
    EXPECT_EQ(parseResponseFlags(responseFlagsToString(flag)), static_cast<ResponseFlags>(flag));
}

}  // namespace
}  // namespace meshproof::chaos
