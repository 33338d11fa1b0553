// What an application instance asks its driver to do: answer a request the sidecar
// delivered, or send a downstream call through the sidecar. The driver polls these
// in order and reports call answers back through AppInstance::callAnswered.
#pragma once
#include <cstdint>
#include <variant>

#include "mesh/core/http.h"

namespace meshproof::app {

using RequestId = std::uint64_t;  // chosen by the driver for each delivered request
using CallId = std::uint64_t;     // chosen by the app for each downstream call; never 0

// The answer to a delivered request.
struct Respond {
  RequestId request = 0;
  int status = 0;
};

// Send `http` (authority = the called service) through the local sidecar, then
// report callAnswered(call, final status), or status 0 when no answer comes.
struct Call {
  CallId call = 0;
  HttpRequest http;  // carries the inbound request's traceparent, when it had one
};

using AppAction = std::variant<Respond, Call>;

}  // namespace meshproof::app
