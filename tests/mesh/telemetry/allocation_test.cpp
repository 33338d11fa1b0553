// Checks that the per-request paths do not allocate once warm: recording into a
// histogram, observing a request whose series, service, subset and time slot already
// exist, and appending an access-log line to a buffer with room. Counts calls to the
// global operator new, which this file replaces for the whole test binary.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>

#include "mesh/telemetry/access_log.h"
#include "mesh/telemetry/latency_histogram.h"
#include "mesh/telemetry/metrics_registry.h"

namespace {
std::size_t allocation_count = 0;
}

void* operator new(std::size_t size) {
  ++allocation_count;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace meshproof::telemetry {
namespace {

RequestEvent paymentsCall(TimeNs start, DurationNs duration) {
  RequestEvent e;
  e.reporter = "source";
  e.source = "checkout-v1-0";
  e.destination_service = "payments";
  e.destination_subset = "v1";
  e.destination_instance = "payments-v1-0";
  e.method = "POST";
  e.path = "/pay";
  e.status = 503;
  e.flags = kUpstreamOverflow;
  e.start = start;
  e.duration = duration;
  return e;
}

TEST(Allocation, HistogramRecordDoesNotAllocateOnceTheMagnitudeIsSeen) {
  LatencyHistogram h;
  h.record(20 * kMillisecond);
  const std::size_t before = allocation_count;
  for (int i = 0; i < 1000; ++i) h.record(20 * kMillisecond + i * kMicrosecond);
  EXPECT_EQ(allocation_count, before);
  h.record(kHour);  // a new magnitude allocates one block
  EXPECT_EQ(allocation_count, before + 1);
}

TEST(Allocation, ObserveDoesNotAllocateForAKnownSeriesAndSlot) {
  MetricsRegistry registry;
  const RequestEvent first = paymentsCall(0, 10 * kMillisecond);
  const RequestEvent again = paymentsCall(100 * kMillisecond, 11 * kMillisecond);
  registry.observe(first);
  const std::size_t before = allocation_count;
  registry.observe(again);
  EXPECT_EQ(allocation_count, before);
  EXPECT_EQ(registry.service("payments")->requests(), 2u);
}

TEST(Allocation, AccessLogLineAppendsIntoAReservedBuffer) {
  const RequestEvent event = paymentsCall(0, 10 * kMillisecond);
  std::string warm_up;
  appendAccessLogLine(warm_up, event, 0);  // one-time static initialisation, when run alone
  std::string line;
  line.reserve(512);
  const std::size_t before = allocation_count;
  appendAccessLogLine(line, event, 0);
  EXPECT_EQ(allocation_count, before);
  EXPECT_EQ(line.substr(0, 47), "[1970-01-01T00:00:00.000Z] \"POST /pay HTTP/1.1\"");
}

}  // namespace
}  // namespace meshproof::telemetry
