// The access-log extras of a live request, and which answer it gets.
#include "mesh/live/proxy/access_log_fields.h"

#include "mesh/core/http_wire_size.h"

namespace meshproof::live {

bool answeredFromUpstream(const std::optional<Response>& response, int status, ResponseFlags flags) {
  return response && static_cast<int>(response->result_int()) == status &&
         (flags & ~(kRbacDenied | kMtlsRejected)) == kNoFlags;
}

bool answeredByApp(const std::optional<Response>& response, ResponseFlags flags) {
  return flags == kNoFlags && response.has_value();
}

telemetry::AccessLogExtras accessLogExtras(const IncomingRequest& request, const Response* sent, int status,
                                           ResponseFlags flags) {
  telemetry::AccessLogExtras extras;
  extras.protocol = request.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
  extras.bytes_received = request.body().size();
  if (sent != nullptr) {
    extras.bytes_sent = sent->body().size();
  } else if (status != 0) {
    extras.bytes_sent = localReplyBody(status, flags).size();
  }
  extras.authority = request[beast_http::field::host];
  if (auto it = request.find("x-forwarded-for"); it != request.end()) extras.x_forwarded_for = it->value();
  extras.user_agent = request[beast_http::field::user_agent];
  if (auto it = request.find("x-request-id"); it != request.end()) extras.request_id = it->value();
  return extras;
}

}  // namespace meshproof::live
