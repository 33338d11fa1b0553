// The `security:` section: PeerAuthentication overrides, AuthorizationPolicies
// (Istio field names and semantics) and workload certificate lifetimes.
#include <algorithm>
#include <map>
#include <utility>

#include "mesh/config/section_readers.h"
#include "mesh/config/units.h"

namespace meshproof::config {
namespace {

const EnumNames<AuthzAction> kAuthzActionNames{
    {"ALLOW", AuthzAction::kAllow}, {"DENY", AuthzAction::kDeny}, {"AUDIT", AuthzAction::kAudit}};

// Istio accepts exact values, a prefix ("abc*"), a suffix ("*abc") or "*".
std::vector<std::string> readPatternList(const NodeReader& node) {
  std::vector<std::string> values;
  for (const auto& item : node.items()) {
    std::string value = item.asNonEmptyString();
    const auto stars = std::count(value.begin(), value.end(), '*');
    const bool star_at_edge = value.front() == '*' || value.back() == '*';
    if (stars > 1 || (stars == 1 && !star_at_edge))
      item.fail("\"" + value + "\": '*' is only allowed once, at the start or the end");
    values.push_back(std::move(value));
  }
  return values;
}

void readPatternsIfPresent(const NodeReader& node, std::string_view key, std::vector<std::string>& target) {
  if (auto field = node.optional(key)) target = readPatternList(*field);
}

Source readSource(const NodeReader& node) {
  node.expectOnly({"principals", "notPrincipals", "namespaces", "notNamespaces"});
  Source source;
  readPatternsIfPresent(node, "principals", source.principals);
  readPatternsIfPresent(node, "notPrincipals", source.not_principals);
  readPatternsIfPresent(node, "namespaces", source.namespaces);
  readPatternsIfPresent(node, "notNamespaces", source.not_namespaces);
  if (source.principals.empty() && source.not_principals.empty() && source.namespaces.empty() &&
      source.not_namespaces.empty())
    node.fail("give at least one of principals, notPrincipals, namespaces, notNamespaces");
  return source;
}

Operation readOperation(const NodeReader& node) {
  node.expectOnly({"methods", "notMethods", "paths", "notPaths"});
  Operation operation;
  if (auto methods = node.optional("methods")) operation.methods = methods->asStringList();
  if (auto methods = node.optional("notMethods")) operation.not_methods = methods->asStringList();
  readPatternsIfPresent(node, "paths", operation.paths);
  readPatternsIfPresent(node, "notPaths", operation.not_paths);
  if (operation.methods.empty() && operation.not_methods.empty() && operation.paths.empty() &&
      operation.not_paths.empty())
    node.fail("give at least one of methods, notMethods, paths, notPaths");
  return operation;
}

Rule readRule(const NodeReader& node) {
  node.expectOnly({"from", "to"});
  Rule rule;
  if (auto from = node.optional("from")) {
    for (const auto& item : from->items()) {
      item.expectOnly({"source"});
      rule.from.push_back(readSource(item.required("source")));
    }
  }
  if (auto to = node.optional("to")) {
    for (const auto& item : to->items()) {
      item.expectOnly({"operation"});
      rule.to.push_back(readOperation(item.required("operation")));
    }
  }
  return rule;
}

AuthorizationPolicy readAuthorizationPolicy(const NodeReader& node) {
  node.expectOnly({"name", "service", "namespace", "action", "rules"});
  AuthorizationPolicy policy;
  policy.name = node.required("name").asNonEmptyString();
  node.readIfPresent("service", policy.service, &NodeReader::asNonEmptyString);
  node.readIfPresent("namespace", policy.namespace_, &NodeReader::asNonEmptyString);
  if (auto action = node.optional("action")) policy.action = action->asEnum(kAuthzActionNames);
  if (auto rules = node.optional("rules"))
    for (const auto& item : rules->items()) policy.rules.push_back(readRule(item));
  return policy;
}

PeerAuthentication readPeerAuthentication(const NodeReader& node) {
  node.expectOnly({"namespace", "service", "mode"});
  PeerAuthentication peer;
  node.readIfPresent("namespace", peer.namespace_, &NodeReader::asNonEmptyString);
  node.readIfPresent("service", peer.service, &NodeReader::asNonEmptyString);
  peer.mode = node.required("mode").asEnum(kMtlsModeNames);
  return peer;
}

CertificateSettings readCertificates(const NodeReader& node) {
  node.expectOnly({"ttl", "rotateBefore"});
  CertificateSettings certificates;
  const auto ttl = node.optional("ttl");
  const auto rotate_before = node.optional("rotateBefore");
  if (ttl) {
    certificates.ttl = ttl->asPositiveDuration();
    certificates.rotate_before = certificates.ttl / 2;  // Istio's grace period ratio 0.5
  }
  if (rotate_before) {
    certificates.rotate_before = rotate_before->asPositiveDuration();
    if (certificates.rotate_before >= certificates.ttl)
      rotate_before->fail(rotate_before->asString() + " must be shorter than ttl (" +
                          (ttl ? ttl->asString() : formatDuration(certificates.ttl)) + ")");
  }
  return certificates;
}

}  // namespace

std::vector<PeerAuthentication> readPeerAuthentications(const NodeReader& node) {
  std::vector<PeerAuthentication> peers;
  std::map<std::pair<std::string, std::string>, int> line_by_scope;
  for (const auto& item : node.items()) {
    PeerAuthentication peer = readPeerAuthentication(item);
    auto [seen, inserted] = line_by_scope.emplace(std::pair(peer.namespace_, peer.service), item.line());
    if (!inserted)
      item.fail("a peerAuthentication for the same namespace and service is already at line " +
                std::to_string(seen->second));
    peers.push_back(std::move(peer));
  }
  return peers;
}

std::vector<AuthorizationPolicy> readAuthorizationPolicies(const NodeReader& node) {
  std::vector<AuthorizationPolicy> policies;
  std::map<std::string, int> line_by_name;
  for (const auto& item : node.items()) {
    AuthorizationPolicy policy = readAuthorizationPolicy(item);
    const NodeReader name = item.required("name");
    auto [seen, inserted] = line_by_name.emplace(policy.name, name.line());
    if (!inserted)
      name.fail("duplicate policy name \"" + policy.name + "\" (first at line " + std::to_string(seen->second) + ")");
    policies.push_back(std::move(policy));
  }
  return policies;
}

Security readSecurity(const NodeReader& node) {
  node.expectOnly({"peerAuthentication", "authorization", "certificates"});
  Security security;
  if (auto peers = node.optional("peerAuthentication")) security.peer_authentication = readPeerAuthentications(*peers);
  if (auto policies = node.optional("authorization")) security.authorization = readAuthorizationPolicies(*policies);
  if (auto certificates = node.optional("certificates")) security.certificates = readCertificates(*certificates);
  return security;
}

}  // namespace meshproof::config
