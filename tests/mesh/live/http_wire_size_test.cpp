// The sizes the simulator charges for requests and answers (mesh/core/http_wire_size.h)
// are the bytes the live processes write: a sidecar's request to a peer
// (appendUpstreamRequest), its local replies (localReply through appendResponse), the
// stand-in app's answers (read off a running `meshproof app`), and known answers
// measured with strace on a live mesh (scenarios/live/narrow-link.yaml: the
// backend's app answers in 97 bytes).
#include "mesh/core/http_wire_size.h"

#include <gtest/gtest.h>

#include "app_test_support.h"
#include "mesh/live/proxy/http_messages.h"
#include "mesh/live/proxy/http_wire.h"

namespace meshproof::live::testing {
namespace {

HttpRequest meshRequest(std::string method) {
  HttpRequest r;
  r.method = std::move(method);
  r.path = "/item?id=42";
  r.authority = "backend";
  r.headers.set("host", "backend:8080");  // the core's copy of Host: written once, from authority
  r.headers.set("x-request-id", "0af7651916cd43dd8448eb211c80319c");
  r.headers.set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  r.headers.set("content-length", "0");  // framing: the sidecar writes its own
  r.headers.set("connection", "keep-alive");
  return r;
}

TEST(HttpWireSize, ARequestToAPeerIsWhatTheSidecarWrites) {
  for (const char* method : {"GET", "DELETE", "POST", "PUT", "OPTIONS"}) {
    const HttpRequest request = meshRequest(method);
    std::string wire;
    appendUpstreamRequest(wire, request, nullptr);
    EXPECT_EQ(http1RequestBytes(request), wire.size()) << wire;
  }
  HttpRequest bare;
  bare.authority = "b";
  EXPECT_EQ(http1RequestBytes(bare), std::string("GET / HTTP/1.1\r\nHost: b\r\n\r\n").size());
}

TEST(HttpWireSize, ALocalReplyIsWhatTheSidecarWrites) {
  const std::pair<int, ResponseFlags> replies[] = {
      {503, kNoHealthyUpstream}, {503, kUpstreamOverflow}, {504, kUpstreamRequestTimeout},
      {403, kRbacDenied},        {404, kNoRouteFound},     {500, kFaultInjected},
      {503, kUpstreamConnectionFailure | kUpstreamRetryLimitExceeded},
      {503, kLocalReset},        {503, kNoFlags},          {418, kNoFlags}};
  for (const auto& [status, flags] : replies) {
    std::string wire;
    appendResponse(wire, localReply(status, flags, 11, true), 11, true);
    EXPECT_EQ(http1LocalReplyBytes(status, flags), wire.size()) << wire;
  }
}

TEST(HttpWireSize, TheAppsAnswerIsWhatMeshproofAppWrites) {
  {
    RunningApp app("{serviceTime: {fixed: 0ms}}");
    Client c(app.appPort());
    const Reply r = c.request("GET", "/");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(http1AppAnswerBytes(200, "api-v1-0"), r.wire_bytes);
  }
  {
    RunningApp app("{serviceTime: {fixed: 0ms}, errorRate: 100}");
    Client c(app.appPort());
    const Reply r = c.request("GET", "/");
    ASSERT_EQ(r.status, 500);
    EXPECT_EQ(http1AppAnswerBytes(500, "api-v1-0"), r.wire_bytes);
  }
  // Measured: backend-v1-0's app answer in scenarios/live/narrow-link.yaml.
  EXPECT_EQ(http1AppAnswerBytes(200, "backend-v1-0"), 97u);
  // No body and no length where HTTP has none.
  EXPECT_EQ(http1AppAnswerBytes(204, "a"), std::string("HTTP/1.1 204 No Content\r\nContent-Type: text/plain\r\n"
                                                       "x-app-instance: a\r\n\r\n").size());
}

TEST(HttpWireSize, TlsRecordsAddTwentyTwoBytesPerSixteenKiB) {
  EXPECT_EQ(tlsRecordBytes(0), 0u);
  EXPECT_EQ(tlsRecordBytes(107), 129u);  // measured: the frontend's request to the backend
  EXPECT_EQ(tlsRecordBytes(16384), 16384u + 22);
  EXPECT_EQ(tlsRecordBytes(16385), 16385u + 44);
}

}  // namespace
}  // namespace meshproof::live::testing
