// What a sidecar asks its driver to do. The sidecar never touches a socket: the
// driver (SimGrid actor or asio loop) polls these and carries them out in order,
// then reports back through the sidecar's input methods.
#pragma once
#include <cstdint>
#include <string>
#include <variant>

#include "mesh/core/endpoint.h"
#include "mesh/core/http.h"

namespace meshproof::dataplane {

// Sidecar-wide ids. Attempts and connections are unique within one sidecar.
using AppRequestId = std::uint64_t;   // chosen by the driver for requests from the local app
using InboundId = std::uint64_t;      // chosen by the driver for requests from peers
using AttemptId = std::uint64_t;      // one upstream try of an outbound request
using ConnectionId = std::uint64_t;   // one upstream connection

// Open a connection to `endpoint`, over mTLS when `mtls`; report upstreamConnected /
// upstreamConnectFailed.
struct OpenUpstreamConnection {
  ConnectionId connection = 0;
  Endpoint endpoint;
  bool mtls = true;
};

// Close the connection (or abandon it while connecting); nothing more is reported.
struct CloseUpstreamConnection {
  ConnectionId connection = 0;
};

// Send an attempt on an open connection; report upstreamResponse, or
// upstreamConnectionClosed if the connection dies first.
struct SendUpstream {
  AttemptId attempt = 0;
  ConnectionId connection = 0;
  Endpoint endpoint;
  HttpRequest request;  // carries traceparent
  bool mtls = true;
  bool shadow = false;  // a mirrored copy: the response is discarded
  AppRequestId app_request = 0;  // the app's request this attempt serves (0 for a mirrored copy)
};

// The final answer to a request the local app sent out.
struct RespondToApp {
  AppRequestId request = 0;
  int status = 0;
  ResponseFlags flags = kNoFlags;
};

// A peer's request passed authentication and authorization: hand it to the local app,
// then report appResponded.
struct DeliverToApp {
  InboundId request = 0;
  HttpRequest http;
  std::string source_principal;  // empty when plaintext
};

// The answer to a peer's request: the app's, or a local reply (403 RBAC, UMTLS).
struct RespondToPeer {
  InboundId request = 0;
  int status = 0;
  ResponseFlags flags = kNoFlags;  // local-reply flags, visible to the caller's sidecar
};

using SidecarAction =
    std::variant<OpenUpstreamConnection, CloseUpstreamConnection, SendUpstream, RespondToApp, DeliverToApp,
                 RespondToPeer>;

}  // namespace meshproof::dataplane
