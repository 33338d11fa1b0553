// Requests and responses written into one buffer each.
#include "mesh/live/proxy/http_wire.h"

#include <boost/beast/core/string.hpp>
#include <charconv>

namespace meshproof::live {
namespace {

void appendNumber(std::string& out, std::uint64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

void appendField(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

void appendVersion(std::string& out, unsigned version) {
  out += "HTTP/";
  out += static_cast<char>('0' + version / 10 % 10);
  out += '.';
  out += static_cast<char>('0' + version % 10);
}

// The fields the sidecar writes itself (framing and connection management).
bool framingField(beast_http::field name) {
  return name == beast_http::field::connection || name == beast_http::field::content_length ||
         name == beast_http::field::transfer_encoding;
}

void appendBody(std::string& out, std::string_view body) {
  out += "Content-Length: ";
  appendNumber(out, body.size());
  out += "\r\n\r\n";
  out += body;
}

void appendRequestLine(std::string& out, std::string_view method, std::string_view target, unsigned version) {
  out += method;
  out += ' ';
  out += target;
  out += ' ';
  appendVersion(out, version);
  out += "\r\n";
}

}  // namespace

void appendUpstreamRequest(std::string& out, const HttpRequest& core, const IncomingRequest* original) {
  out += core.method;
  out += ' ';
  out += core.path;
  out += " HTTP/1.1\r\n";
  for (const Header& h : core.headers.items()) {
    if (h.name == "host" || h.name == "connection" || h.name == "content-length" || h.name == "transfer-encoding")
      continue;
    appendField(out, h.name, h.value);
  }
  appendField(out, "Host", core.authority);
  const std::string_view body = original != nullptr ? std::string_view(original->body()) : std::string_view();
  // As Beast's prepare_payload: a length for a body, and for the methods that expect one.
  if (!body.empty() || core.method == "POST" || core.method == "PUT" || core.method == "OPTIONS") {
    appendBody(out, body);
  } else {
    out += "\r\n";
  }
}

void appendAppRequest(std::string& out, const IncomingRequest& request, std::string_view traceparent,
                      std::string_view forwarded_client_cert) {
  appendRequestLine(out, request.method_string(), request.target(), request.version());
  bool framed = false;
  for (const auto& field : request) {
    if (framingField(field.name())) {
      framed = framed || field.name() != beast_http::field::connection;
      continue;
    }
    const std::string_view name = field.name_string();
    if (!traceparent.empty() && boost::beast::iequals(name, "traceparent")) continue;
    if (!forwarded_client_cert.empty() && boost::beast::iequals(name, "x-forwarded-client-cert")) continue;
    appendField(out, name, field.value());
  }
  if (!traceparent.empty()) appendField(out, "traceparent", traceparent);
  if (!forwarded_client_cert.empty()) appendField(out, "x-forwarded-client-cert", forwarded_client_cert);
  if (request.version() < 11) out += "Connection: keep-alive\r\n";
  if (framed || !request.body().empty()) {
    appendBody(out, request.body());
  } else {
    out += "\r\n";
  }
}

void appendRequest(std::string& out, const Request& request) {
  appendRequestLine(out, request.method_string(), request.target(), request.version());
  for (const auto& field : request) appendField(out, field.name_string(), field.value());
  out += "\r\n";
  out += request.body();
}

void appendResponse(std::string& out, const Response& response, unsigned version, bool keep_alive) {
  appendVersion(out, version);
  out += ' ';
  appendNumber(out, response.result_int());
  out += ' ';
  const std::string_view reason = response.reason();
  out += reason.empty() ? std::string_view(beast_http::obsolete_reason(response.result())) : reason;
  out += "\r\n";
  for (const auto& field : response) {
    if (framingField(field.name())) continue;
    appendField(out, field.name_string(), field.value());
  }
  if (version >= 11 && !keep_alive) out += "Connection: close\r\n";
  if (version < 11 && keep_alive) out += "Connection: keep-alive\r\n";
  appendBody(out, response.body());
}

}  // namespace meshproof::live
