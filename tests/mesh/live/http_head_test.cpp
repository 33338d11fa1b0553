// The sidecar's flat HTTP messages (http_head.h), filled by Beast's basic_parser
// through HeadParser: they read every message exactly as Beast's own parser reads
// it into a Beast message (start line, fields in order with their names as sent,
// keep-alive, body, bytes used, and the same error for what Beast refuses or
// limits), and stop at the end of a message, leaving pipelined bytes.
#include "mesh/live/proxy/http_head.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
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

// The sidecar's reading of `wire`: HeadParser into an HttpHead, started as the sidecar starts it.
template <bool isRequest>
Parsed<isRequest> headRead(const std::string& wire) {
  Parsed<isRequest> out;
  std::optional<HeadParser<isRequest>> parser;
  startParser(parser, out.message);
  out.used = parser->put(boost::asio::buffer(wire), out.error);
  if (!out.error && !parser->is_done()) out.error = beast_http::error::need_more;
  return out;
}

template <bool isRequest>
void expectSame(const HttpHead<isRequest>& head, const beast_http::message<isRequest, beast_http::string_body>& beast) {
  EXPECT_EQ(head.version(), beast.version());
  EXPECT_EQ(head.keep_alive(), beast.keep_alive());
  EXPECT_EQ(head.body(), beast.body());
  if constexpr (isRequest) {
    EXPECT_EQ(head.method(), beast.method());
    EXPECT_EQ(head.method_string(), beast.method_string());
    EXPECT_EQ(head.target(), beast.target());
  } else {
    EXPECT_EQ(head.result_int(), beast.result_int());
    // Beast's message answers its status's standard phrase for an empty one; the
    // head keeps the phrase as sent.
    EXPECT_EQ(head.reason().empty() ? beast_http::obsolete_reason(beast.result()) : head.reason(), beast.reason());
  }
  ASSERT_EQ(std::distance(head.begin(), head.end()), std::distance(beast.begin(), beast.end()));
  auto b = beast.begin();
  for (auto f = head.begin(); f != head.end(); ++f, ++b) {
    EXPECT_EQ(f->name(), b->name());
    EXPECT_EQ(f->name_string(), b->name_string());
    EXPECT_EQ(f->value(), b->value());
  }
}

// Read by both, with the same limits: the same outcome, and on success the same message.
template <bool isRequest>
void expectReadLikeBeast(const std::string& wire) {
  SCOPED_TRACE(wire.substr(0, 200));
  const Parsed<isRequest> head = headRead<isRequest>(wire);
  beast_http::parser<isRequest, beast_http::string_body> parser;
  parser.header_limit(kHeaderLimitBytes);
  parser.body_limit(kBodyLimitBytes);
  parser.eager(true);
  boost::beast::error_code error;
  const std::size_t used = parser.put(boost::asio::buffer(wire), error);
  if (!error && !parser.is_done()) error = beast_http::error::need_more;
  EXPECT_EQ(head.error, error) << head.error.message() << " / " << error.message();
  EXPECT_EQ(head.used, used);
  if (!error) expectSame(head.message, parser.get());
}

TEST(HttpHead, ReadsPlainRequestsAsBeastDoes) {
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

TEST(HttpHead, ReadsPlainResponsesAsBeastDoes) {
  expectReadLikeBeast<false>(
      "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Wed, 02 Dec 2026 01:07:28 GMT\r\nContent-Type: text/plain\r\n"
      "Content-Length: 19\r\nConnection: keep-alive\r\n\r\nhello from backend\n");
  expectReadLikeBeast<false>("HTTP/1.1 503 Service Unavailable\r\nx-meshproof-flags: UH\r\nContent-Length: 19\r\n\r\n"
                             "no healthy upstream");
  expectReadLikeBeast<false>("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");
  expectReadLikeBeast<false>("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
  expectReadLikeBeast<false>("HTTP/1.1 403 Forbidden\r\nContent-Length: 19\r\nConnection: close\r\n\r\nRBAC: access denied");
}

TEST(HttpHead, StopsAtTheEndOfTheMessageLeavingPipelinedBytes) {
  const std::string two = "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n";
  const Parsed<true> first = headRead<true>(two);
  ASSERT_FALSE(first.error) << first.error.message();
  EXPECT_EQ(first.message.target(), "/1");
  EXPECT_EQ(first.used, two.size() / 2);
  const Parsed<false> response = headRead<false>("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1");
  ASSERT_FALSE(response.error) << response.error.message();
  EXPECT_EQ(response.message.body(), "ok");
  EXPECT_EQ(response.used, std::string("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").size());
}

TEST(HttpHead, RefusesAndLimitsAsBeastDoes) {
  expectReadLikeBeast<true>("NOT HTTP AT ALL\r\n\r\n");
  expectReadLikeBeast<true>("get / HTTP/1.1\r\nHost: x\r\n\r\n");
  expectReadLikeBeast<true>("GET  / HTTP/1.1\r\nHost: x\r\n\r\n");
  expectReadLikeBeast<true>("GET / HTTP/2.0\r\nHost: x\r\n\r\n");
  expectReadLikeBeast<true>("GET / HTTP/1.1 \r\nHost: x\r\n\r\n");
  expectReadLikeBeast<true>("GET / HTTP/1.1\nHost: x\n\n");                   // bare line feeds
  expectReadLikeBeast<true>("GET / HTTP/1.1\r\nHost : x\r\n\r\n");            // space before the colon
  expectReadLikeBeast<true>("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n");  // obsolete line folding
  expectReadLikeBeast<true>("GET / HTTP/1.1\r\nHost: x\ry\r\n\r\n");
  expectReadLikeBeast<true>("GET / HTTP/1.1\r\nHost: caf\xc3\xa9\r\n\r\n");   // obs-text: Beast's call
  expectReadLikeBeast<true>("GET /\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n");
  expectReadLikeBeast<true>("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
  expectReadLikeBeast<true>("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok");
  expectReadLikeBeast<true>("POST / HTTP/1.1\r\nContent-Length: +2\r\n\r\nok");
  expectReadLikeBeast<true>("GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n");
  expectReadLikeBeast<true>("GET / HTTP/1.1\r\nConnection: close, te\r\n\r\n");
  expectReadLikeBeast<true>("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(kHeaderLimitBytes, 'a') + "\r\n\r\n");
  expectReadLikeBeast<true>("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n");
  expectReadLikeBeast<true>("GET / HTTP/1.1\r\nHost: x\r\n");
  expectReadLikeBeast<true>("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab");
  expectReadLikeBeast<true>("POST / HTTP/1.1\r\nContent-Length: 70000\r\n\r\n" + std::string(70000, 'b'));
  expectReadLikeBeast<false>("HTTP/1.1 200 OK\r\n\r\nuntil the end");
  expectReadLikeBeast<false>("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
  expectReadLikeBeast<false>("HTTP/1.1 304 Not Modified\r\n\r\n");
  expectReadLikeBeast<false>("HTTP/1.1 100 Continue\r\n\r\n");
  expectReadLikeBeast<false>("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
  expectReadLikeBeast<false>("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n");  // no space after the status
}

TEST(HttpHead, RefusesMalformedRequestsWithBeastsErrors) {
  EXPECT_EQ(headRead<true>("GET / HTTP/1.1\r\nHost : x\r\n\r\n").error, beast_http::error::bad_field);
  EXPECT_EQ(headRead<true>("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(kHeaderLimitBytes, 'a') +
                           "\r\n\r\n")
                .error,
            beast_http::error::header_limit);
  EXPECT_EQ(headRead<true>("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n").error,
            beast_http::error::body_limit);
}

// A bandwidth fault charges a message its wire size: exact for the canonical form.
TEST(HttpHead, KnowsItsWireSizeInTheCanonicalForm) {
  for (const std::string& wire : {std::string("GET / HTTP/1.1\r\nHost: backend\r\n\r\n"),
                                 std::string("POST /orders/17 HTTP/1.1\r\nHost: shop\r\ncontent-length: 5\r\n"
                                             "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n\r\nhello")}) {
    const auto read = headRead<true>(wire);
    ASSERT_FALSE(read.error) << read.error.message();
    EXPECT_EQ(read.message.wireBytes(), wire.size()) << wire;
  }
  const std::string response = "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\nx-a: b\r\n\r\nno";
  const auto read = headRead<false>(response);
  ASSERT_FALSE(read.error) << read.error.message();
  EXPECT_EQ(read.message.wireBytes(), response.size());
}

TEST(HttpHead, KeepsItsFieldsThroughCopiesAndMoves) {
  Parsed<true> parsed = headRead<true>("GET /a HTTP/1.1\r\nHost: backend\r\nX-One: 1\r\n\r\n");
  ASSERT_FALSE(parsed.error);
  HttpHead<true> copy = parsed.message;
  HttpHead<true> moved = std::move(parsed.message);
  for (const HttpHead<true>* m : {&copy, &moved}) {
    EXPECT_EQ(m->target(), "/a");
    ASSERT_NE(m->find("x-one"), m->end());
    EXPECT_EQ(m->find("x-one")->value(), "1");
    EXPECT_EQ(m->find(beast_http::field::host)->value(), "backend");
  }
}

}  // namespace
}  // namespace meshproof::live
