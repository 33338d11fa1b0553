// The `mesh:` section: SPIFFE trust domain and the mesh-wide mTLS mode.
#include "mesh/config/section_readers.h"

namespace meshproof::config {
namespace {

// SPIFFE: a trust domain is lower-case letters, digits, '.', '-' and '_'.
bool isValidTrustDomain(const std::string& name) {
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) return false;
  return !name.empty();
}

}  // namespace

const EnumNames<MtlsMode> kMtlsModeNames{
    {"STRICT", MtlsMode::kStrict}, {"PERMISSIVE", MtlsMode::kPermissive}, {"DISABLE", MtlsMode::kDisable}};

MeshSettings readMeshSettings(const NodeReader& node) {
  node.expectOnly({"trustDomain", "mtls"});
  MeshSettings settings;
  if (auto trust_domain = node.optional("trustDomain")) {
    settings.trust_domain = trust_domain->asNonEmptyString();
    if (!isValidTrustDomain(settings.trust_domain))
      trust_domain->fail("\"" + settings.trust_domain +
                         "\" is not a valid trust domain (lower-case letters, digits, '.', '-', '_')");
  }
  if (auto mtls = node.optional("mtls")) settings.mtls = mtls->asEnum(kMtlsModeNames);
  return settings;
}

}  // namespace meshproof::config
