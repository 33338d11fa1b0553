// The sidecar's fast path for reading HTTP/1.1 messages (http_fast_parse.h): what it
// reads, it reads exactly as Beast's parser does (start line, fields in order with
// their names as sent, keep-alive, body, bytes used); everything else it hands to
// Beast untouched, in particular what Beast refuses or limits (malformed requests,
// heads over the header limit, bodies over the body limit) and what it reads in
// pieces (incomplete messages, chunked or unbounded bodies).
#include "mesh/live/proxy/http_fast_parse.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <string>

#include "mesh/live/proxy/http_messages.h"

namespace meshproof::live {
namespace {

template <bool isRequest>
struct Parsed {
  HttpHead<isRequest> message;
  std::size_t used = 0;
  boost::beast::error_code error;
};

// Beast's reading of `wire` (its parser into an HttpHead, as the sidecar falls back to).
template <bool isRequest>
Parsed<isRequest> beastRead(const std::string& wire) {
  Parsed<isRequest> out;
  HeadParser<isRequest> parser(out.message);
  parser.header_limit(kHeaderLimitBytes);
  parser.body_limit(kBodyLimitBytes);
  parser.eager(true);
  out.used = parser.put(boost::asio::buffer(wire), out.error);
  if (!out.error && !parser.is_done()) out.error = beast_http::error::need_more;
  return out;
}

template <bool isRequest>
void expectSame(const HttpHead<isRequest>& fast, const HttpHead<isRequest>& beast) {
  EXPECT_EQ(fast.version(), beast.version());
  EXPECT_EQ(fast.keep_alive(), beast.keep_alive());
  EXPECT_EQ(fast.body(), beast.body());
  if constexpr (isRequest) {
    EXPECT_EQ(fast.method(), beast.method());
    EXPECT_EQ(fast.method_string(), beast.method_string());
    EXPECT_EQ(fast.target(), beast.target());
  } else {
    EXPECT_EQ(fast.result_int(), beast.result_int());
    EXPECT_EQ(fast.reason(), beast.reason());
  }
  ASSERT_EQ(std::distance(fast.begin(), fast.end()), std::distance(beast.begin(), beast.end()));
  for (auto f = fast.begin(), b = beast.begin(); f != fast.end(); ++f, ++b) {
    EXPECT_EQ(f->name(), b->name());
    EXPECT_EQ(f->name_string(), b->name_string());
    EXPECT_EQ(f->value(), b->value());
  }
}

template <bool isRequest>
void expectReadLikeBeast(const std::string& wire) {
  SCOPED_TRACE(wire.substr(0, 200));
  HttpHead<isRequest> fast;
  std::size_t used = 0;
  ASSERT_EQ(fastParse(wire, fast, used, kHeaderLimitBytes, kBodyLimitBytes), FastParse::kDone);
  const Parsed<isRequest> beast = beastRead<isRequest>(wire);
  ASSERT_FALSE(beast.error) << beast.error.message();
  EXPECT_EQ(used, beast.used);
  expectSame(fast, beast.message);
}

template <bool isRequest>
void expectLeftToBeast(const std::string& wire) {
  SCOPED_TRACE(wire.substr(0, 200));
  HttpHead<isRequest> fast;
  std::size_t used = 0;
  EXPECT_EQ(fastParse(wire, fast, used, kHeaderLimitBytes, kBodyLimitBytes), FastParse::kFallback);
}

TEST(HttpFastParse, ReadsPlainRequestsAsBeastDoes) {
  expectReadLikeBeast<true>("GET / HTTP/1.1\r\nHost: backend\r\n\r\n");
  expectReadLikeBeast<true>("GET /a/b?c=d&e=%20 HTTP/1.1\r\nHost: backend:8080\r\nUser-Agent: curl/7.88.1\r\n"
                            "Accept: */*\r\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n\r\n");
  expectReadLikeBeast<true>("POST /pay HTTP/1.1\r\nHost: payments\r\nContent-Length: 11\r\n\r\n{\"a\": \"b\"}\n");
  expectReadLikeBeast<true>("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  expectReadLikeBeast<true>("GET / HTTP/1.1\r\nHost: x\r\nConnection: Keep-Alive\r\n\r\n");
  expectReadLikeBeast<true>("GET / HTTP/1.0\r\nHost: x\r\n\r\n");
  expectReadLikeBeast<true>("GET / HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
  expectReadLikeBeast<true>("DELETE /fault/loss HTTP/1.1\r\nX-Empty:\r\nX-Spaces:  \t a b \t \r\n\r\n");
  expectReadLikeBeast<true>("PURGE / HTTP/1.1\r\nHost: x\r\n\r\n");  // a method Beast does not know
}

TEST(HttpFastParse, ReadsPlainResponsesAsBeastDoes) {
  expectReadLikeBeast<false>(
      "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Wed, 02 Dec 2026 01:07:28 GMT\r\nContent-Type: text/plain\r\n"
      "Content-Length: 19\r\nConnection: keep-alive\r\n\r\nhello from backend\n");
  expectReadLikeBeast<false>("HTTP/1.1 503 Service Unavailable\r\nx-meshproof-flags: UH\r\nContent-Length: 19\r\n\r\n"
                             "no healthy upstream");
  expectReadLikeBeast<false>("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
  expectReadLikeBeast<false>("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
  expectReadLikeBeast<false>("HTTP/1.1 403 Forbidden\r\nContent-Length: 19\r\nConnection: close\r\n\r\nRBAC: access denied");
}

TEST(HttpFastParse, StopsAtTheEndOfTheMessageLeavingPipelinedBytes) {
  const std::string two = "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n";
  HttpHead<true> fast;
  std::size_t used = 0;
  ASSERT_EQ(fastParse(two, fast, used, kHeaderLimitBytes, kBodyLimitBytes), FastParse::kDone);
  EXPECT_EQ(fast.target(), "/1");
  EXPECT_EQ(used, two.size() / 2);
  const std::string answer_and_more = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1";
  HttpHead<false> response;
  ASSERT_EQ(fastParse(answer_and_more, response, used, kHeaderLimitBytes, kBodyLimitBytes), FastParse::kDone);
  EXPECT_EQ(response.body(), "ok");
  EXPECT_EQ(used, answer_and_more.size() - 8);
}

TEST(HttpFastParse, LeavesMalformedAndUnusualRequestsToBeast) {
  expectLeftToBeast<true>("NOT HTTP AT ALL\r\n\r\n");
  expectLeftToBeast<true>("get / HTTP/1.1\r\nHost: x\r\n\r\n");
  expectLeftToBeast<true>("GET  / HTTP/1.1\r\nHost: x\r\n\r\n");
  expectLeftToBeast<true>("GET / HTTP/2.0\r\nHost: x\r\n\r\n");
  expectLeftToBeast<true>("GET / HTTP/1.1 \r\nHost: x\r\n\r\n");
  expectLeftToBeast<true>("GET / HTTP/1.1\nHost: x\n\n");                   // bare line feeds
  expectLeftToBeast<true>("GET / HTTP/1.1\r\nHost : x\r\n\r\n");            // space before the colon
  expectLeftToBeast<true>("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n");  // obsolete line folding
  expectLeftToBeast<true>("GET / HTTP/1.1\r\nHost: x\ry\r\n\r\n");
  expectLeftToBeast<true>("GET / HTTP/1.1\r\nHost: caf\xc3\xa9\r\n\r\n");   // obs-text: Beast's call
  expectLeftToBeast<true>("GET /\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n");
  expectLeftToBeast<true>("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
  expectLeftToBeast<true>("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok");
  expectLeftToBeast<true>("POST / HTTP/1.1\r\nContent-Length: +2\r\n\r\nok");
  expectLeftToBeast<true>("GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n");
  expectLeftToBeast<true>("GET / HTTP/1.1\r\nConnection: close, te\r\n\r\n");
}

TEST(HttpFastParse, LeavesWhatBeastLimitsOrReadsInPiecesToBeast) {
  // Over the header limit: Beast answers 431.
  expectLeftToBeast<true>("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(kHeaderLimitBytes, 'a') + "\r\n\r\n");
  // A body over the limit, announced: Beast answers 413 (here only the head came).
  expectLeftToBeast<true>("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n");
  // Incomplete head or body: Beast reads on as the rest comes.
  expectLeftToBeast<true>("GET / HTTP/1.1\r\nHost: x\r\n");
  expectLeftToBeast<true>("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab");
  // Bodies over 64 KiB are read by Beast piece by piece.
  expectLeftToBeast<true>("POST / HTTP/1.1\r\nContent-Length: 70000\r\n\r\n" + std::string(70000, 'b'));
  // Responses: no length (runs to the end), no body whatever the length says, chunked.
  expectLeftToBeast<false>("HTTP/1.1 200 OK\r\n\r\nuntil the end");
  expectLeftToBeast<false>("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
  expectLeftToBeast<false>("HTTP/1.1 304 Not Modified\r\n\r\n");
  expectLeftToBeast<false>("HTTP/1.1 100 Continue\r\n\r\n");
  expectLeftToBeast<false>("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
  expectLeftToBeast<false>("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n");  // no space after the status
}

}  // namespace
}  // namespace meshproof::live
