// The sizes on the wire of the HTTP/1.1 messages meshproof's live processes write:
// the request a sidecar sends a peer, the stand-in app's answer, a sidecar's local
// reply, and the TLS records that carry them between sidecars. The simulator charges
// its network these bytes, so that a narrowed link delays a call by the time live
// mode's own bytes take through it; live mode charges its narrowed links the same
// record overhead. tests/mesh/live/http_wire_size_test.cpp holds each size to what
// the live code really writes.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "mesh/core/http.h"

namespace meshproof {

// The header that carries a local reply's response flags to the calling sidecar.
inline constexpr const char* kFlagsHeader = "x-meshproof-flags";

// Envoy's body for a local reply (503 "no healthy upstream", 403 "RBAC: access
// denied", ...); otherwise the status's reason phrase.
std::string localReplyBody(int status, ResponseFlags flags);

// A request from a sidecar to a peer: request line, the headers (the core's, less
// framing ones), Host, and no body (a Content-Length: 0 for POST, PUT and OPTIONS).
std::uint64_t http1RequestBytes(const HttpRequest& request);

// The stand-in app's answer (`meshproof app`) with `status`, kept alive: status line,
// Content-Type, x-app-instance, Content-Length and the reason phrase as the body.
std::uint64_t http1AppAnswerBytes(int status, std::string_view instance);

// A sidecar's local reply with `status` and `flags`, kept alive: Server, Content-Type,
// the flags header when there are flags, Content-Length and localReplyBody.
std::uint64_t http1LocalReplyBytes(int status, ResponseFlags flags);

// What `plaintext` bytes written at once take as TLS 1.3 records (AES-GCM or
// ChaCha20-Poly1305): per record of at most 16 KiB, a 5-byte header, the content
// type byte and the 16-byte tag.
std::uint64_t tlsRecordBytes(std::uint64_t plaintext);

}  // namespace meshproof
