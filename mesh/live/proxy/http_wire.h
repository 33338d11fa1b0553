// The live sidecar's HTTP/1.1 messages as bytes on the wire, each written straight
// into one contiguous buffer that the connection keeps (its capacity reused from one
// message to the next), so that a message leaves in one write: one send() on a plain
// socket, one SSL_write (one TLS record) over mTLS. Beast's serializer would hand the
// socket a gather list of a dozen pieces (start line, every field, the body), which
// TLS turns into one SSL_write per piece unless it is copied together anyway.
//
// What goes out is what the sidecar sent when it forwarded Beast messages edited
// with set(), keep_alive() and prepare_payload():
//   - upstream (to a peer sidecar): the core's request (method, path, its lower-cased
//     headers with the traceparent it set), Host = the core's authority, HTTP/1.1
//     keep-alive, Content-Length of the app's body (when it has one, or for POST, PUT
//     and OPTIONS);
//   - to the local app: the peer's request as it came (its own field names), the
//     traceparent of the core and x-forwarded-client-cert written over its own,
//     keep-alive, the body with its Content-Length;
//   - downstream (an answer): the status line with the response's reason, its fields,
//     Connection as the keep-alive decision wants it, Content-Length of the body.
// Connection, Content-Length and Transfer-Encoding of the original are never copied:
// bodies are whole strings here (a chunked body was decoded by the parser).
#pragma once
#include <string>
#include <string_view>

#include "mesh/core/http.h"
#include "mesh/live/proxy/http_messages.h"

namespace meshproof::live {

// Appends the request for an upstream attempt: the core's view of it, and the body of
// the app's `original` request (nullptr: no body).
void appendUpstreamRequest(std::string& out, const HttpRequest& core, const IncomingRequest* original);

// Appends the peer's `request` for the local app: `traceparent` (empty: keep the
// request's own) and `forwarded_client_cert` (empty: none added) written over its fields.
void appendAppRequest(std::string& out, const IncomingRequest& request, std::string_view traceparent,
                      std::string_view forwarded_client_cert);

// Appends `request` exactly as it is: start line, its fields as they are, the body.
// Its framing must be set already (prepare_payload(), not chunked).
void appendRequest(std::string& out, const Request& request);

// Appends `response` as answered downstream in HTTP/1.`version % 10` with keep-alive or not.
void appendResponse(std::string& out, const Response& response, unsigned version, bool keep_alive);

}  // namespace meshproof::live
