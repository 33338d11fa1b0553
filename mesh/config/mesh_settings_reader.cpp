// The `mesh:` section: SPIFFE trust domain, the mesh-wide mTLS mode and the live
// sidecar's connection settings (`proxy`).
#include "mesh/config/section_readers.h"

namespace meshproof::config {
namespace {

// SPIFFE: a trust domain is lower-case letters, digits, '.', '-' and '_'.
bool isValidTrustDomain(const std::string& name) {
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) return false;
  return !name.empty();
}

ProxySettings readProxySettings(const NodeReader& node) {
  node.expectOnly({"terminationDrainDuration", "idleTimeout", "requestHeadersTimeout", "accessLog"});
  ProxySettings proxy;
  if (auto d = node.optional("terminationDrainDuration")) proxy.termination_drain_duration = d->asDuration();
  if (auto d = node.optional("idleTimeout")) proxy.idle_timeout = d->asDuration();
  if (auto d = node.optional("requestHeadersTimeout")) proxy.request_headers_timeout = d->asDuration();
  if (auto b = node.optional("accessLog")) proxy.access_log = b->asBool();
  return proxy;
}

}  // namespace

const EnumNames<MtlsMode> kMtlsModeNames{
    {"STRICT", MtlsMode::kStrict}, {"PERMISSIVE", MtlsMode::kPermissive}, {"DISABLE", MtlsMode::kDisable}};

MeshSettings readMeshSettings(const NodeReader& node) {
  node.expectOnly({"trustDomain", "mtls", "proxy"});
  MeshSettings settings;
  if (auto trust_domain = node.optional("trustDomain")) {
    settings.trust_domain = trust_domain->asNonEmptyString();
    if (!isValidTrustDomain(settings.trust_domain))
      trust_domain->fail("\"" + settings.trust_domain +
                         "\" is not a valid trust domain (lower-case letters, digits, '.', '-', '_')");
  }
  if (auto mtls = node.optional("mtls")) settings.mtls = mtls->asEnum(kMtlsModeNames);
  if (auto proxy = node.optional("proxy")) settings.proxy = readProxySettings(*proxy);
  return settings;
}

}  // namespace meshproof::config
