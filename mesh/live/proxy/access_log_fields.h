// What the live sidecar's access-log line takes from the messages themselves (Envoy's
// default format, mesh/telemetry/access_log.h): the downstream request's protocol,
// :authority (its Host), X-Forwarded-For, User-Agent and X-Request-Id, the size of its
// body, and the size of the body of the answer it was given: the upstream's (the app's,
// at the destination) or the sidecar's own local reply. Also which of the two a request
// gets, so that the answer written and the answer logged are decided in one place.
#pragma once
#include <optional>

#include "mesh/core/http.h"
#include "mesh/live/proxy/http_messages.h"
#include "mesh/telemetry/access_log.h"

namespace meshproof::live {

// An app's request answered `status` with `flags` by the core: with the last upstream
// response when that is what the core answered (an upstream's RBAC or mTLS denial
// included: it came back with the flags header), else with a local reply.
bool answeredFromUpstream(const std::optional<Response>& response, int status, ResponseFlags flags);
// A peer's request answered with `flags`: with the app's response when there are no
// flags and the app answered, else with a local reply.
bool answeredByApp(const std::optional<Response>& response, ResponseFlags flags);

// The extras for `request`, answered with `sent` (nullptr: a local reply of `status`
// and `flags`; status 0: no answer was sent). Views into `request`: use them before it goes.
telemetry::AccessLogExtras accessLogExtras(const IncomingRequest& request, const Response* sent, int status,
                                           ResponseFlags flags);

}  // namespace meshproof::live
