// SPIFFE identities: format/parse round trips, Istio's principal form, and rejection of
// malformed IDs per the SPIFFE-ID specification.
#include "mesh/security/spiffe_id.h"

#include <gtest/gtest.h>

#include <string>

namespace meshproof::security {
namespace {

TEST(SpiffeId, FormatsUriAndIstioPrincipal) {
  const SpiffeId id{"cluster.local", "shop", "checkout"};
  EXPECT_EQ(id.uri(), "spiffe://cluster.local/ns/shop/sa/checkout");
  EXPECT_EQ(id.principal(), "cluster.local/ns/shop/sa/checkout");
}

TEST(SpiffeId, ParsesWhatItFormats) {
  const SpiffeId id{"prod.example-corp_1.io", "payments-eu", "svc.acct_2"};
  const SpiffeIdParse parsed = parseSpiffeId(id.uri());
  ASSERT_TRUE(parsed) << parsed.error;
  EXPECT_EQ(*parsed.id, id);
  EXPECT_TRUE(parsed.error.empty());
  const SpiffeIdParse from_principal = parsePrincipal(id.principal());
  ASSERT_TRUE(from_principal) << from_principal.error;
  EXPECT_EQ(*from_principal.id, id);
}

TEST(SpiffeId, ParsesFields) {
  const SpiffeIdParse parsed = parseSpiffeId("spiffe://cluster.local/ns/shop/sa/checkout");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed.id->trust_domain, "cluster.local");
  EXPECT_EQ(parsed.id->namespace_, "shop");
  EXPECT_EQ(parsed.id->service_account, "checkout");
}

TEST(SpiffeId, RejectsMalformedIds) {
  const char* malformed[] = {
      "",
      "cluster.local/ns/shop/sa/checkout",          // no scheme
      "SPIFFE://cluster.local/ns/shop/sa/checkout",  // scheme is lower case
      "https://cluster.local/ns/shop/sa/checkout",
      "spiffe:/cluster.local/ns/shop/sa/checkout",
      "spiffe://",
      "spiffe://cluster.local",                      // no path
      "spiffe://cluster.local/",                     // empty path segment
      "spiffe:///ns/shop/sa/checkout",               // empty trust domain
      "spiffe://Cluster.local/ns/shop/sa/checkout",  // trust domain upper case
      "spiffe://cluster.local:8080/ns/shop/sa/checkout",  // port
      "spiffe://user@cluster.local/ns/shop/sa/checkout",  // user info
      "spiffe://cluster.local/ns/shop/sa/checkout/",      // trailing slash
      "spiffe://cluster.local/ns//sa/checkout",           // empty namespace
      "spiffe://cluster.local/ns/shop/sa/",               // empty service account
      "spiffe://cluster.local/ns/../sa/checkout",         // dot segment
      "spiffe://cluster.local/ns/./sa/checkout",
      "spiffe://cluster.local/ns/shop/sa/check%20out",    // percent-encoding not allowed
      "spiffe://cluster.local/ns/shop/sa/checkout?x=1",   // query
      "spiffe://cluster.local/ns/shop/sa/checkout#f",     // fragment
      "spiffe://cluster.local/sa/checkout/ns/shop",       // wrong layout
      "spiffe://cluster.local/ns/shop",                   // no service account
      "spiffe://cluster.local/ns/shop/sa/checkout/extra", // too long a path
      "spiffe://cluster.local/workload/checkout",
  };
  for (const char* uri : malformed) {
    const SpiffeIdParse parsed = parseSpiffeId(uri);
    EXPECT_FALSE(parsed) << "accepted: " << uri;
    EXPECT_FALSE(parsed.error.empty()) << "no reason for: " << uri;
    EXPECT_EQ(spiffeIdError(uri), parsed.error) << "the check without parsing disagrees on: " << uri;
  }
}

TEST(SpiffeId, TheCheckWithoutParsingAcceptsWhatParses) {
  for (const char* uri : {"spiffe://cluster.local/ns/shop/sa/checkout", "spiffe://a/ns/b/sa/c",
                          "spiffe://td-1.example_2/ns/Shop.v2/sa/check-out_1"}) {
    EXPECT_TRUE(parseSpiffeId(uri)) << uri;
    EXPECT_EQ(spiffeIdError(uri), "") << uri;
  }
  EXPECT_EQ(spiffeIdError("spiffe://" + std::string(2048, 'a')), "longer than 2048 bytes");
}

TEST(SpiffeId, RejectsOverlongIdsAndTrustDomains) {
  const std::string long_td(256, 'a');
  EXPECT_FALSE(parseSpiffeId("spiffe://" + long_td + "/ns/shop/sa/checkout"));
  EXPECT_TRUE(parseSpiffeId("spiffe://" + std::string(255, 'a') + "/ns/shop/sa/checkout"));
  const std::string long_sa(2048, 'x');
  EXPECT_FALSE(parseSpiffeId("spiffe://cluster.local/ns/shop/sa/" + long_sa));
}

TEST(SpiffeId, PrincipalParserRejectsTheSchemeForm) {
  EXPECT_FALSE(parsePrincipal("spiffe://cluster.local/ns/shop/sa/checkout"));
  EXPECT_FALSE(parsePrincipal("cluster.local/ns/shop"));
}

TEST(SpiffeId, PrincipalOfUriStripsTheScheme) {
  EXPECT_EQ(principalOfUri("spiffe://cluster.local/ns/shop/sa/checkout"), "cluster.local/ns/shop/sa/checkout");
  EXPECT_EQ(principalOfUri("cluster.local/ns/shop/sa/checkout"), "");
}

TEST(SpiffeId, NamespaceOfAPrincipal) {
  EXPECT_EQ(principalNamespace("cluster.local/ns/shop/sa/checkout"), "shop");
  EXPECT_EQ(principalNamespace("td/ns/meshproof-system/sa/ingress-gateway"), "meshproof-system");
  EXPECT_EQ(principalNamespace(""), "");
  EXPECT_EQ(principalNamespace("cluster.local/sa/checkout"), "");
  EXPECT_EQ(principalNamespace("cluster.local/ns/shop"), "");
}

}  // namespace
}  // namespace meshproof::security
