// Tests for Envoy default-format access-log lines, including the example line from
// Envoy's documentation, and for the START_TIME rendering of wall-clock nanoseconds.
#include "mesh/telemetry/access_log.h"

#include <gtest/gtest.h>

namespace meshproof::telemetry {
namespace {

// 2016-04-15T20:17:00Z is 1460751420 seconds after the epoch.
constexpr TimeNs kDocsStartWallNs = 1'460'751'420'310'999'999;  // .310999999 s: milliseconds truncate

TEST(AccessLog, ReproducesEnvoysDocumentedExampleLine) {
  RequestEvent event;
  event.method = "POST";
  event.path = "/api/v1/locations";
  event.status = 204;
  event.flags = kNoFlags;
  event.duration = 226 * kMillisecond + 900 * kMicrosecond;
  event.destination_service = "locations";
  event.destination_instance = "tcp://10.0.2.1:80";
  AccessLogExtras extras;
  extras.protocol = "HTTP/2";
  extras.bytes_received = 154;
  extras.bytes_sent = 0;
  extras.upstream_service_time = 100 * kMillisecond;
  extras.x_forwarded_for = "10.0.35.28";
  extras.user_agent = "nsq2http";
  extras.request_id = "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2";
  EXPECT_EQ(formatAccessLogLine(event, kDocsStartWallNs, extras),
            "[2016-04-15T20:17:00.310Z] \"POST /api/v1/locations HTTP/2\" 204 - 154 0 226 100 \"10.0.35.28\" "
            "\"nsq2http\" \"cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2\" \"locations\" \"tcp://10.0.2.1:80\"\n");
}

TEST(AccessLog, LocalReplyPrintsFlagsAndDashes) {
  RequestEvent event;
  event.method = "GET";
  event.path = "/pay";
  event.status = 503;
  event.flags = kUpstreamOverflow;
  event.duration = 999 * kMicrosecond;
  event.destination_service = "payments";
  std::string line = "previous\n";
  appendAccessLogLine(line, event, 0);
  EXPECT_EQ(line,
            "previous\n"
            "[1970-01-01T00:00:00.000Z] \"GET /pay HTTP/1.1\" 503 UO 0 0 0 - \"-\" \"-\" \"-\" \"payments\" \"-\"\n");
}

TEST(AccessLog, OriginalPathAndAuthorityOverrideTheEvent) {
  RequestEvent event;
  event.method = "GET";
  event.path = "/rewritten";
  event.status = 200;
  event.destination_service = "checkout";
  event.destination_instance = "checkout-v2-0";
  AccessLogExtras extras;
  extras.original_path = "/beta/cart";
  extras.authority = "checkout.shop.svc.cluster.local";
  EXPECT_EQ(formatAccessLogLine(event, 0, extras),
            "[1970-01-01T00:00:00.000Z] \"GET /beta/cart HTTP/1.1\" 200 - 0 0 0 - \"-\" \"-\" \"-\" "
            "\"checkout.shop.svc.cluster.local\" \"checkout-v2-0\"\n");
}

TEST(AccessLog, StartTimeIsUtcWithMilliseconds) {
  EXPECT_EQ(formatStartTime(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatStartTime(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(formatStartTime(951'782'400 * kSecond), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(formatStartTime(951'782'400 * kSecond - kMillisecond), "2000-02-28T23:59:59.999Z");
  EXPECT_EQ(formatStartTime(4'107'587'696 * kSecond + 7 * kMillisecond), "2100-03-01T12:34:56.007Z");
}

}  // namespace
}  // namespace meshproof::telemetry
