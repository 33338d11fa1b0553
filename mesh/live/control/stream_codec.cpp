// JSON and framing of the control-plane stream.
#include "mesh/live/control/stream_codec.h"

#include <nlohmann/json.hpp>

namespace meshproof::live {
namespace {

using Json = nlohmann::json;

Json latencyOf(const telemetry::LatencyHistogram& h) {
  Json buckets = Json::array();
  h.forEachNonEmptyBucket([&](const telemetry::LatencyHistogram::Bucket& b) {
    buckets.push_back({b.lowest_ns + (b.highest_ns - b.lowest_ns) / 2, b.count});
  });
  return buckets;
}

telemetry::LatencyHistogram latencyFrom(const Json& buckets) {
  telemetry::LatencyHistogram h;
  for (const auto& b : buckets) {
    const auto value = b.at(0).get<DurationNs>();
    const auto count = b.at(1).get<std::uint64_t>();
    for (std::uint64_t i = 0; i < count; ++i) h.record(value);
  }
  return h;
}

Json parse(std::string_view text) {
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    throw CodecError(std::string("not a JSON message: ") + e.what());
  }
}

}  // namespace

std::string encodeMessage(const control::ToControlPlane& message) {
  Json j;
  if (const auto* m = std::get_if<control::Hello>(&message)) {
    j = {{"type", "hello"}, {"node", m->node}, {"applied_version", m->applied_version}};
  } else if (const auto* m = std::get_if<control::Ack>(&message)) {
    j = {{"type", "ack"}, {"version", m->version}};
  } else if (const auto* m = std::get_if<control::Nack>(&message)) {
    j = {{"type", "nack"}, {"version", m->version}, {"reason", m->reason}};
  } else if (const auto* m = std::get_if<control::VersionReport>(&message)) {
    j = {{"type", "version"}, {"applied_version", m->applied_version}};
  } else if (const auto* m = std::get_if<control::CertificateSigningRequest>(&message)) {
    j = {{"type", "csr"}, {"pem", m->request->pem()}};
  } else if (const auto* m = std::get_if<control::TelemetryReport>(&message)) {
    j = {{"type", "telemetry"},
         {"requests", m->inbound.requests()},
         {"successes", m->inbound.successes()},
         {"latency", latencyOf(m->inbound.latency())}};
  }
  return j.dump();
}

std::string encodeMessage(const control::ToSidecar& message) {
  Json j;
  if (const auto* m = std::get_if<control::ConfigPush>(&message)) {
    const control::ConfigSnapshot& s = *m->snapshot;
    j = {{"type", "push"},
         {"version", s.version},
         {"changes_applied", s.recipe.changes_applied},
         {"canary_weights", s.recipe.canary_weights},
         {"endpoints", s.endpoints ? Json(*s.endpoints) : Json::object()},
         {"telemetry_services", s.telemetry_services}};
  } else if (const auto* m = std::get_if<control::CertificateIssued>(&message)) {
    j = {{"type", "certificate"}, {"pem", m->certificate->pem()}};
  } else if (const auto* m = std::get_if<control::CertificateDenied>(&message)) {
    j = {{"type", "denied"}, {"reason", m->reason}};
  }
  return j.dump();
}

control::ToControlPlane decodeToControlPlane(std::string_view text) {
  const Json j = parse(text);
  try {
    const std::string type = j.at("type").get<std::string>();
    if (type == "hello") return control::Hello{j.at("node").get<std::string>(), j.at("applied_version").get<std::uint64_t>()};
    if (type == "ack") return control::Ack{j.at("version").get<std::uint64_t>()};
    if (type == "nack") return control::Nack{j.at("version").get<std::uint64_t>(), j.at("reason").get<std::string>()};
    if (type == "version") return control::VersionReport{j.at("applied_version").get<std::uint64_t>()};
    if (type == "csr")
      return control::CertificateSigningRequest{identity::CertificateRequest::fromPem(j.at("pem").get<std::string>())};
    if (type == "telemetry")
      return control::TelemetryReport{telemetry::RequestStats::fromCounts(
          j.at("requests").get<std::uint64_t>(), j.at("successes").get<std::uint64_t>(), latencyFrom(j.at("latency")))};
    throw CodecError("unknown message type \"" + type + "\"");
  } catch (const Json::exception& e) {
    throw CodecError(std::string("bad message: ") + e.what());
  } catch (const identity::IdentityError& e) {
    throw CodecError(std::string("bad certificate request: ") + e.what());
  }
}

control::ToSidecar decodeToSidecar(
    std::string_view text,
    const std::function<std::shared_ptr<const config::MeshConfig>(const control::ConfigRecipe&)>& build) {
  const Json j = parse(text);
  try {
    const std::string type = j.at("type").get<std::string>();
    if (type == "push") {
      auto snapshot = std::make_shared<control::ConfigSnapshot>();
      snapshot->version = j.at("version").get<std::uint64_t>();
      snapshot->recipe.changes_applied = j.at("changes_applied").get<std::size_t>();
      snapshot->recipe.canary_weights = j.at("canary_weights").get<std::map<std::string, int>>();
      snapshot->endpoints = std::make_shared<const dataplane::EndpointTable>(j.at("endpoints").get<dataplane::EndpointTable>());
      snapshot->telemetry_services = j.at("telemetry_services").get<std::vector<std::string>>();
      snapshot->config = build(snapshot->recipe);
      return control::ConfigPush{snapshot};
    }
    if (type == "certificate") return control::CertificateIssued{identity::Certificate::fromPem(j.at("pem").get<std::string>())};
    if (type == "denied") return control::CertificateDenied{j.at("reason").get<std::string>()};
    throw CodecError("unknown message type \"" + type + "\"");
  } catch (const Json::exception& e) {
    throw CodecError(std::string("bad message: ") + e.what());
  } catch (const identity::IdentityError& e) {
    throw CodecError(std::string("bad certificate: ") + e.what());
  }
}

std::string frame(const std::string& payload) {
  const auto n = static_cast<std::uint32_t>(payload.size());
  std::string out;
  out.reserve(4 + payload.size());
  out.push_back(static_cast<char>((n >> 24) & 0xff));
  out.push_back(static_cast<char>((n >> 16) & 0xff));
  out.push_back(static_cast<char>((n >> 8) & 0xff));
  out.push_back(static_cast<char>(n & 0xff));
  out += payload;
  return out;
}

void takeFrames(std::string& buffer, const std::function<void(std::string_view)>& on_frame) {
  std::size_t at = 0;
  while (buffer.size() - at >= 4) {
    const auto* p = reinterpret_cast<const unsigned char*>(buffer.data() + at);
    const std::uint32_t n = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
    if (n > kMaxFrameBytes) throw CodecError("a frame of " + std::to_string(n) + " bytes is over the limit");
    if (buffer.size() - at - 4 < n) break;
    on_frame(std::string_view(buffer).substr(at + 4, n));
    at += 4 + n;
  }
  buffer.erase(0, at);
}

}  // namespace meshproof::live
