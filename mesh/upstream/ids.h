// Identifiers shared by the upstream state machines: hosts by index into the data
// plane's endpoint vector, requests and connections by ids that only ever increase.
#pragma once
#include <cstddef>
#include <cstdint>

namespace meshproof::upstream {

using HostIndex = std::size_t;
using RequestId = std::uint64_t;
using ConnectionId = std::uint64_t;

}  // namespace meshproof::upstream
