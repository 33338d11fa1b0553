// HTTP messages in the live sidecar: the requests and responses it reads (flat
// HttpHeads, http_head.h), Beast requests for clients that build their own (the
// orchestrator's load generator), the core's view of a request (method, path,
// authority, lower-cased headers), the
// Envoy-like local replies the sidecar makes itself (503 no healthy upstream, 504
// upstream request timeout, 403 RBAC, ...), and the header that carries a local
// reply's response flags to the calling sidecar.
#pragma once
#include <boost/beast/http.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mesh/core/http.h"
#include "mesh/core/http_wire_size.h"
#include "mesh/live/proxy/http_head.h"

namespace meshproof::live {

namespace beast_http = boost::beast::http;
// A request a client builds with Beast and sends on an UpstreamConnection.
using Request = beast_http::request<beast_http::string_body>;
// A request the sidecar read (from the app or a peer).
using IncomingRequest = HttpHead<true>;
// A response: read from an upstream, or a local reply.
using Response = HttpHead<false>;

// A local reply's response flags go to the calling sidecar in kFlagsHeader ("RBAC",
// "UMTLS", Envoy's short names; mesh/core/http_wire_size.h); the caller reports them,
// as the simulator carries them.

// Limits on what a sidecar reads (Envoy's defaults are 60 KiB of headers).
inline constexpr std::uint32_t kHeaderLimitBytes = 60 * 1024;
inline constexpr std::uint64_t kBodyLimitBytes = 4 * 1024 * 1024;

// Starts `parser` reading a message into `into`, with the sidecar's limits, the
// body read with the head.
template <bool isRequest>
void startParser(std::optional<HeadParser<isRequest>>& parser, HttpHead<isRequest>& into) {
  parser.emplace(into);
  parser->header_limit(kHeaderLimitBytes);
  parser->body_limit(kBodyLimitBytes);
  parser->eager(true);
}

// Messages the node is done with, kept for the connections to read the next ones
// into: a message keeps its text's capacity, so a recycled one is read without an
// allocation. A connection without spares (nullptr) reads into fresh messages.
class MessageSpares {
 public:
  template <bool isRequest>
  void give(HttpHead<isRequest>&& message) {
    auto& spares = of<isRequest>();
    // A message that held a large body would keep its memory while the sidecar idles
    // and hand it to the smallest message next: it goes.
    if (spares.size() < kKept && message.capacityBytes() <= kKeptCapacityBytes) spares.push_back(std::move(message));
  }
  // Replaces `into` (moved from, or spent) with a spare when there is one.
  template <bool isRequest>
  void take(HttpHead<isRequest>& into) {
    auto& spares = of<isRequest>();
    if (spares.empty()) return;
    into = std::move(spares.back());
    spares.pop_back();
  }

 private:
  static constexpr std::size_t kKept = 256;
  static constexpr std::size_t kKeptCapacityBytes = 64 * 1024;
  template <bool isRequest>
  std::vector<HttpHead<isRequest>>& of() {
    if constexpr (isRequest) {
      return requests_;
    } else {
      return responses_;
    }
  }
  std::vector<HttpHead<true>> requests_;
  std::vector<HttpHead<false>> responses_;
};

// The core's request: `authority` is the Host header without a port.
HttpRequest coreRequest(const IncomingRequest& request);

// A reply the sidecar makes itself, with Envoy's body text for the flags.
Response localReply(int status, ResponseFlags flags, unsigned version, bool keep_alive);

}  // namespace meshproof::live
