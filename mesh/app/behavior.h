// The application model of one service version (SCENARIO.md `behavior:`) as a plain
// value: how long a request takes, how often it fails on its own, how many requests
// it serves at once, and which downstream calls it makes, in order, per request.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "mesh/app/service_time.h"

namespace meshproof::app {

struct DownstreamCall {
  std::string service;  // the called service: the call's authority
  std::string path = "/";
  std::string method = "GET";
  bool optional = false;  // a failed optional call does not fail the request
  bool operator==(const DownstreamCall&) const = default;
};

// Whether a downstream call's final answer counts as success. Only 2xx and 3xx do:
// 0 (no answer: reset, crash), 4xx (403 RBAC, 404 no route, 429) and 5xx all mean
// the app did not get what it called for, so a non-optional call fails the request.
constexpr bool callSucceeded(int status) { return status >= 200 && status < 400; }

struct Behavior {
  ServiceTime service_time;
  double error_rate_percent = 0;    // share of served requests answered 500, 0-100
  std::uint32_t concurrency = 0;    // worker slots; 0 = unlimited
  std::vector<DownstreamCall> calls;  // made one after the other after the service time
  bool operator==(const Behavior&) const = default;
};

}  // namespace meshproof::app
