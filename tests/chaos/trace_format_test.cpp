// trace.jsonl lines: exact text for every kind of event, fields in their fixed order,
// times and durations written exactly from nanoseconds, strings escaped.
#include "chaos/trace/trace_format.h"

#include "chaos/text/json_string.h"
#include "chaos/trace/trace_reader.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string_view>
#include <vector>

#include "event_builders.h"

namespace meshproof::chaos {
namespace {

using namespace testing;

TEST(TraceFormat, RequestLine) {
  RequestEvent e = sourceHop("payments", 503, 20'012'345'678, 12'345'678, kUpstreamOverflow | kUpstreamRetryLimitExceeded);
  e.shadow = true;
  EXPECT_EQ(formatTraceLine(20'012'345'678, e),
            R"({"t":20.012345678,"kind":"request","reporter":"source","source":"frontend-v1-0",)"
            R"("source_principal":"cluster.local/ns/shop/sa/frontend","destination":"payments","subset":"v1",)"
            R"("instance":"payments-v1-0","route":"default","method":"GET","path":"/","status":503,)"
            R"("flags":"UO,URX","start_s":20.000000000,"duration_ms":12.345678,"attempts":0,"mtls":true,)"
            R"("shadow":true,"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7"})"
            "\n");
}

TEST(TraceFormat, ClientLine) {
  ClientRequestEvent e = clientRequest(0, 120'000'000'000, 500'000, true);
  EXPECT_EQ(formatTraceLine(120'000'000'000, e),
            R"({"t":120.000000000,"kind":"client","workload":"shoppers","service":"frontend","method":"GET",)"
            R"("path":"/","status":0,"flags":"-","start_s":119.999500000,"duration_ms":0.500000,"lost":true,)"
            R"("trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"})"
            "\n");
}

TEST(TraceFormat, ObserverNamesTheSidecarWhoseBreakerOrDetectorItIs) {
  BreakerEvent b = breaker("payments", true);
  b.observer = "checkout-v1-0";
  EXPECT_EQ(formatTraceLine(1, b),
            R"({"t":0.000000001,"kind":"breaker","service":"payments","threshold":"http1MaxPendingRequests",)"
            R"("open":true,"observer":"checkout-v1-0"})"
            "\n");
  std::istringstream in(formatTraceLine(1, b));
  const auto read = readTrace(in);
  ASSERT_EQ(read.entries.size(), 1u);
  EXPECT_EQ(std::get<BreakerEvent>(read.entries[0].event).observer, "checkout-v1-0");
}

TEST(TraceFormat, BreakerEjectionAuditAndFaultLines) {
  EXPECT_EQ(formatTraceLine(1, breaker("payments", false)),
            R"({"t":0.000000001,"kind":"breaker","service":"payments","threshold":"http1MaxPendingRequests","open":false})"
            "\n");
  EXPECT_EQ(formatTraceLine(21'000'000'000, ejection("payments", "payments-v1-0", true)),
            R"({"t":21.000000000,"kind":"ejection","service":"payments","instance":"payments-v1-0","ejected":true,)"
            R"("reason":"consecutive5xx","times_ejected":1,"duration_s":30.000000000})"
            "\n");
  EXPECT_EQ(formatTraceLine(0, AuditEvent{"audit-all", "payments", "cluster.local/ns/shop/sa/checkout", "POST", "/pay"}),
            R"({"t":0.000000000,"kind":"audit","policy":"audit-all","service":"payments",)"
            R"("principal":"cluster.local/ns/shop/sa/checkout","method":"POST","path":"/pay"})"
            "\n");
  EXPECT_EQ(formatTraceLine(40'000'000'000, FaultEvent{"crash", "payments 1", {"payments-v1-1"}, true}),
            R"({"t":40.000000000,"kind":"fault","type":"crash","target":"payments 1","instances":["payments-v1-1"],"state":"start"})"
            "\n");
  EXPECT_EQ(formatTraceLine(50'000'000'000, FaultEvent{"control-plane-down", "", {}, false}),
            R"({"t":50.000000000,"kind":"fault","type":"control-plane-down","target":"","instances":[],"state":"stop"})"
            "\n");
}

TEST(TraceFormat, EscapesStrings) {
  AuditEvent e{"p\"1\\", "svc", "", "GET", "/a\nb\x01"};
  EXPECT_EQ(formatTraceLine(0, e),
            R"({"t":0.000000000,"kind":"audit","policy":"p\"1\\","service":"svc","principal":"","method":"GET",)"
            R"("path":"/a\nb\u0001"})"
            "\n");
}

// Long strings go 8 bytes at a time through the escape scan: every byte that needs
// escaping, at every position of a 40-byte run, among plain ASCII and UTF-8 bytes.
TEST(TraceFormat, EscapesEveryByteThatNeedsItWhereverItIs) {
  auto reference = [](std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else if (c == '\b') out += "\\b";
      else if (c == '\f') out += "\\f";
      else if (u < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[u >> 4];
        out += kHex[u & 0xf];
      } else out += c;
    }
    return out + "\"";
  };
  const std::string plain = "cluster.local/ns/shop/sa/\xc3\xa9" "checkout-v1\x7f" "~ ";
  std::vector<char> specials = {'"', '\\'};
  for (int c = 0; c < 0x20; ++c) specials.push_back(static_cast<char>(c));
  for (char special : specials) {
    for (std::size_t at = 0; at < 40; ++at) {
      std::string text = plain.substr(0, 40);
      text[at] = special;
      std::string out;
      appendJsonString(out, text);
      ASSERT_EQ(out, reference(text)) << "byte " << static_cast<int>(special) << " at " << at;
    }
  }
  std::string out;
  appendJsonString(out, plain);
  EXPECT_EQ(out, reference(plain));
}

}  // namespace
}  // namespace meshproof::chaos
