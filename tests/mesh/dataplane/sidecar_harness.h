// Test harness for the sidecar: a manual clock, a small mesh (payments with three
// instances over two zones), and helpers that collect the sidecar's actions by type.
#pragma once
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "mesh/core/clock.h"
#include "mesh/dataplane/sidecar.h"

namespace meshproof::dataplane::testing {

inline Endpoint endpoint(std::string instance, std::string service, std::string subset, std::string zone) {
  return Endpoint{std::move(instance), std::move(service), std::move(subset), std::move(zone)};
}

class SidecarHarness {
 public:
  SidecarHarness() {
    config.mesh.trust_domain = "cluster.local";
    ServiceInfo payments;
    payments.name = "payments";
    payments.namespace_ = "shop";
    payments.endpoints = {endpoint("payments-v1-0", "payments", "v1", "zone-a"),
                          endpoint("payments-v1-1", "payments", "v1", "zone-a"),
                          endpoint("payments-v2-0", "payments", "v2", "zone-b")};
    directory.add(payments);
    ServiceInfo checkout;
    checkout.name = "checkout";
    checkout.namespace_ = "shop";
    checkout.endpoints = {endpoint("checkout-v1-0", "checkout", "v1", "zone-a")};
    directory.add(checkout);
  }

  // Builds the sidecar; call after adjusting `config`.
  Sidecar& client(std::string instance = "checkout-v1-0", std::string service = "checkout") {
    SidecarIdentity id;
    id.instance = std::move(instance);
    id.service = std::move(service);
    id.version = "v1";
    id.namespace_ = "shop";
    id.zone = "zone-a";
    sidecar.emplace(id, config, directory, clock, Rng(seed), sink);
    return *sidecar;
  }

  std::vector<SidecarAction> drain() {
    std::vector<SidecarAction> out;
    SidecarAction a;
    while (sidecar->pollAction(a)) out.push_back(std::move(a));
    return out;
  }

  template <typename T>
  static std::vector<T> only(const std::vector<SidecarAction>& actions) {
    std::vector<T> out;
    for (const auto& a : actions)
      if (const T* p = std::get_if<T>(&a)) out.push_back(*p);
    return out;
  }

  // Advances the clock to `t` and runs the sidecar's due timers.
  void runUntil(TimeNs t) {
    while (sidecar->nextDeadline() <= t) {
      clock.set(std::max(clock.now(), sidecar->nextDeadline()));
      sidecar->advance();
    }
    clock.set(t);
    sidecar->advance();
  }

  void send(AppRequestId id, std::string path = "/pay", std::string method = "POST",
            std::string service = "payments", Headers headers = {}) {
    HttpRequest r;
    r.authority = std::move(service);
    r.path = std::move(path);
    r.method = std::move(method);
    r.headers = std::move(headers);
    sidecar->appRequest(id, std::move(r));
  }

  // Accepts every OpenUpstreamConnection among `actions`; returns `actions` followed by
  // the actions that the new connections caused.
  std::vector<SidecarAction> connectAll(std::vector<SidecarAction> actions) {
    for (const auto& open : only<OpenUpstreamConnection>(actions)) sidecar->upstreamConnected(open.connection);
    for (auto& a : drain()) actions.push_back(std::move(a));
    return actions;
  }

  ManualClock clock;
  config::MeshConfig config;
  ServiceDirectory directory;
  RecordingSink sink;
  std::uint64_t seed = 42;
  std::optional<Sidecar> sidecar;
};

}  // namespace meshproof::dataplane::testing
