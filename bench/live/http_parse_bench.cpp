// Reading the messages of the bench's path: wrk's request (GET /, Host) and the nginx
// origin's answer (five fields, a 19-byte body), parsed by Beast's own parser into a
// Beast message, by Beast's basic_parser into the sidecar's flat HttpHead
// (http_head.h, reused from one message to the next as a connection does).
#include <benchmark/benchmark.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <string>

#include "mesh/live/proxy/http_head.h"

namespace meshproof::live {
namespace {

const std::string kRequest = "GET / HTTP/1.1\r\nHost: backend\r\n\r\n";
const std::string kResponse =
    "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Wed, 02 Dec 2026 01:07:28 GMT\r\nContent-Type: "
    "text/plain\r\nContent-Length: 19\r\nConnection: keep-alive\r\n\r\nhello from backend\n";

template <bool isRequest>
void beastParse(benchmark::State& state, const std::string& wire) {
  for (auto _ : state) {
    beast_http::parser<isRequest, beast_http::string_body> parser;
    parser.eager(true);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(wire), ec);
    auto message = parser.release();
    benchmark::DoNotOptimize(message.keep_alive());
  }
}

template <bool isRequest>
void headParse(benchmark::State& state, const std::string& wire) {
  HttpHead<isRequest> message;
  for (auto _ : state) {
    HeadParser<isRequest> parser(message);
    parser.eager(true);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(wire), ec);
    benchmark::DoNotOptimize(message.keep_alive());
  }
}

void BM_BeastParserRequest(benchmark::State& state) { beastParse<true>(state, kRequest); }
void BM_HeadParserRequest(benchmark::State& state) { headParse<true>(state, kRequest); }
void BM_BeastParserResponse(benchmark::State& state) { beastParse<false>(state, kResponse); }
void BM_HeadParserResponse(benchmark::State& state) { headParse<false>(state, kResponse); }
BENCHMARK(BM_BeastParserRequest);
BENCHMARK(BM_HeadParserRequest);
BENCHMARK(BM_BeastParserResponse);
BENCHMARK(BM_HeadParserResponse);

}  // namespace
}  // namespace meshproof::live
