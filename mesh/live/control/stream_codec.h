// The control-plane stream on the wire (live mode): frames of a 4-byte big-endian
// length and a JSON object, one per message of mesh/control/messages.h. Snapshots
// travel as their recipe (mesh/control/desired_config.h) and endpoint table: every
// process of a run holds the scenario, so the receiver rebuilds exactly the
// configuration the control plane built. Certificates and requests travel as PEM.
//
//   to the control plane   {"type":"hello","node":..,"applied_version":..}
//                          {"type":"ack","version":..}   {"type":"nack","version":..,"reason":..}
//                          {"type":"version","applied_version":..}
//                          {"type":"csr","pem":..}
//                          {"type":"telemetry","requests":..,"successes":..,"latency":[[ns,count],..]}
//   to a sidecar           {"type":"push","version":..,"changes_applied":..,"canary_weights":{..},
//                           "endpoints":{service:[instances]},"telemetry_services":[..]}
//                          {"type":"certificate","pem":..}   {"type":"denied","reason":..}
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "mesh/control/messages.h"

namespace meshproof::live {

class CodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::uint32_t kMaxFrameBytes = 64u << 20;

std::string encodeMessage(const control::ToControlPlane& message);
std::string encodeMessage(const control::ToSidecar& message);
control::ToControlPlane decodeToControlPlane(std::string_view json);
// `build` turns a snapshot's recipe into its configuration (control::buildConfig with
// the scenario's sections).
control::ToSidecar decodeToSidecar(std::string_view json,
                                   const std::function<std::shared_ptr<const config::MeshConfig>(
                                       const control::ConfigRecipe&)>& build);

// A frame: the 4-byte length, then the payload.
std::string frame(const std::string& payload);
// Takes every complete frame off the front of `buffer` (leaving a partial one) and
// hands its payload to `on_frame`. Throws CodecError on a frame over kMaxFrameBytes.
void takeFrames(std::string& buffer, const std::function<void(std::string_view)>& on_frame);

}  // namespace meshproof::live
