// Reading trace.jsonl back: a round trip through the writer gives back every field of
// every kind of event exactly (nanoseconds included); unknown kinds are skipped;
// malformed lines are errors naming the line.
#include "chaos/trace/trace_reader.h"

#include <gtest/gtest.h>

#include <sstream>

#include "chaos/trace/trace_format.h"
#include "chaos/trace/trace_writer.h"
#include "event_builders.h"

namespace meshproof::chaos {
namespace {

using namespace testing;

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

TEST(TraceReader, SkipsUnknownKindsAndFieldsAndBlankLines) {
  std::istringstream in(
      "{\"t\":1.0,\"kind\":\"config\",\"version\":3}\n"
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
