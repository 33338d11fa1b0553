// How one attempt to an upstream host ended, as outlier detection sees it: an HTTP
// status, or a failure that originated locally (no response from the host).
#pragma once

namespace meshproof::upstream {

enum class LocalOriginFailure {
  kConnectFailure,  // connection refused / failed before it was established
  kConnectTimeout,  // tcp.connectTimeout passed while connecting
  kReset,           // the connection was closed or reset with the request on it
  kRequestTimeout,  // per-try or route timeout with no response
};

// Envoy, with split_external_local_origin_errors false (Istio's setting), folds
// local-origin failures into HTTP codes before counting: the router reports every
// upstream reset and pool failure (connect failure, connect timeout, reset) as
// LocalOriginConnectFailed, mapped to 503, and a request timeout as
// LocalOriginTimeout with the timeout response code 504 (router.cc
// onUpstreamReset / onUpstreamTimeoutAbort; outlier_detection_impl.cc
// resultToHttpCode). So all of them count as 5xx and as gateway errors.
// Circuit-breaker overflow is never reported (envoy issue #25487).
int outlierStatusFor(LocalOriginFailure failure);

// 5xx and gateway errors (502, 503, 504) as Envoy's Http::CodeUtility defines them.
constexpr bool is5xx(int status) { return status >= 500 && status < 600; }
constexpr bool isGatewayError(int status) { return status >= 502 && status <= 504; }

}  // namespace meshproof::upstream
