// HTTP/1.1 and TLS record sizes of what the live processes write.
#include "mesh/core/http_wire_size.h"

#include <boost/beast/http/status.hpp>

namespace meshproof {
namespace {

std::string_view reasonOf(int status) {
  const auto s = boost::beast::http::int_to_status(static_cast<unsigned>(status));
  const auto reason = boost::beast::http::obsolete_reason(s);
  return {reason.data(), reason.size()};
}

std::uint64_t digits(std::uint64_t n) {
  std::uint64_t d = 1;
  while (n >= 10) n /= 10, ++d;
  return d;
}

std::uint64_t fieldBytes(std::string_view name, std::uint64_t value_bytes) { return name.size() + 2 + value_bytes + 2; }

// "HTTP/1.1 200 OK\r\n"
std::uint64_t statusLineBytes(int status) { return 9 + digits(static_cast<std::uint64_t>(status)) + 1 + reasonOf(status).size() + 2; }

// Content-Length, the blank line and the body.
std::uint64_t bodyBytes(std::uint64_t body) { return fieldBytes("Content-Length", digits(body)) + 2 + body; }

bool framing(std::string_view name) {
  return name == "host" || name == "connection" || name == "content-length" || name == "transfer-encoding";
}

}  // namespace

std::string localReplyBody(int status, ResponseFlags flags) {
  if (flags & kNoHealthyUpstream) return "no healthy upstream";
  if (flags & kUpstreamOverflow) return "upstream connect error or disconnect/reset before headers. reset reason: overflow";
  if (flags & kUpstreamRequestTimeout) return "upstream request timeout";
  if (flags & kMtlsRejected) return "upstream connect error or disconnect/reset before headers. reset reason: TLS error";
  if (flags & kUpstreamConnectionFailure)
    return "upstream connect error or disconnect/reset before headers. reset reason: connection failure";
  if (flags & (kUpstreamConnectionTermination | kUpstreamRemoteReset))
    return "upstream connect error or disconnect/reset before headers. reset reason: connection termination";
  if (flags & kRbacDenied) return "RBAC: access denied";
  if (flags & kNoRouteFound) return "";
  if (flags & kFaultInjected) return "fault filter abort";
  return std::string(reasonOf(status));
}

std::uint64_t http1RequestBytes(const HttpRequest& request) {
  std::uint64_t bytes = request.method.size() + 1 + request.path.size() + 11;  // " HTTP/1.1\r\n"
  for (const Header& h : request.headers.items())
    if (!framing(h.name)) bytes += fieldBytes(h.name, h.value.size());
  bytes += fieldBytes("Host", request.authority.size());
  const bool length = request.method == "POST" || request.method == "PUT" || request.method == "OPTIONS";
  return bytes + (length ? bodyBytes(0) : 2);
}

std::uint64_t http1AppAnswerBytes(int status, std::string_view instance) {
  std::uint64_t bytes = statusLineBytes(status) + fieldBytes("Content-Type", 10) + fieldBytes("x-app-instance", instance.size());
  // As Beast's prepare_payload: no body and no length for 1xx, 204 and 304.
  if (status < 200 || status == 204 || status == 304) return bytes + 2;
  return bytes + bodyBytes(reasonOf(status).size() + 1);
}

std::uint64_t http1LocalReplyBytes(int status, ResponseFlags flags) {
  std::uint64_t bytes = statusLineBytes(status) + fieldBytes("Server", 9) + fieldBytes("Content-Type", 10);
  if (flags != kNoFlags) bytes += fieldBytes(kFlagsHeader, responseFlagsToString(flags).size());
  return bytes + bodyBytes(localReplyBody(status, flags).size());
}

std::uint64_t tlsRecordBytes(std::uint64_t plaintext) {
  constexpr std::uint64_t kRecord = 16384, kOverhead = 5 + 1 + 16;
  return plaintext + (plaintext + kRecord - 1) / kRecord * kOverhead;
}

}  // namespace meshproof
