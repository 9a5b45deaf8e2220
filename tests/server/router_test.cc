#include "server/router.h"

#include <gtest/gtest.h>

namespace ihub {
namespace {

Reply Noop(Services&, RequestContext&) { return {}; }
Reply Other(Services&, RequestContext&) { return {}; }

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(bhttp::verb::get, "/admin/v1/orgs", ApiFamily::kAdmin, Noop);
    router_.Add(bhttp::verb::post, "/admin/v1/orgs", ApiFamily::kAdmin, Noop);
    router_.Add(bhttp::verb::get, "/admin/v1/orgs/{orgId}", ApiFamily::kAdmin, Noop);
    router_.Add(bhttp::verb::delete_, "/admin/v1/orgs/{orgId}/api-keys/{keyId}", ApiFamily::kAdmin, Noop);
    router_.Add(bhttp::verb::get, "/v3/integrations/scopes", ApiFamily::kCapillary, Other);
    router_.Add(bhttp::verb::get, "/v3/integrations/clients/{clientKey}", ApiFamily::kCapillary, Noop);
    router_.Add(bhttp::verb::get, "/v3/integrations/{resourceId}", ApiFamily::kSolvimon, Noop);
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralAndParams) {
  auto m = router_.Find(bhttp::verb::delete_, "/admin/v1/orgs/org_1/api-keys/key_2");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path_template, "/admin/v1/orgs/{orgId}/api-keys/{keyId}");
  ASSERT_EQ(m.params.size, 2);
  EXPECT_EQ(m.params[0], "org_1");
  EXPECT_EQ(m.params[1], "key_2");
  EXPECT_EQ(m.family, ApiFamily::kAdmin);
}

TEST_F(RouterTest, LiteralSegmentBeatsParam) {
  auto m = router_.Find(bhttp::verb::get, "/v3/integrations/scopes");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->handler, &Other);
  EXPECT_EQ(m.params.size, 0);
  m = router_.Find(bhttp::verb::get, "/v3/integrations/intg_1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->path_template, "/v3/integrations/{resourceId}");
  EXPECT_EQ(m.params[0], "intg_1");
}

TEST_F(RouterTest, BacktracksFromALiteralDeadEnd) {
  // "scopes" is a literal child, but "/v3/integrations/scopes/x" only fits nothing;
  // "clients/abc" must still find the param route below the literal "clients".
  auto m = router_.Find(bhttp::verb::get, "/v3/integrations/clients/abc");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params[0], "abc");
  EXPECT_EQ(router_.Find(bhttp::verb::get, "/v3/integrations/scopes/x").route, nullptr);

  Router r;
  r.Add(bhttp::verb::get, "/a/b", ApiFamily::kOps, Noop);
  r.Add(bhttp::verb::get, "/a/{x}/c", ApiFamily::kOps, Other);
  auto hit = r.Find(bhttp::verb::get, "/a/b/c");
  ASSERT_NE(hit.route, nullptr);
  EXPECT_EQ(hit.route->handler, &Other);
  ASSERT_EQ(hit.params.size, 1);
  EXPECT_EQ(hit.params[0], "b");
}

TEST_F(RouterTest, UnknownPathIs404WithFamilyByPrefix) {
  auto m = router_.Find(bhttp::verb::get, "/admin/v1/nothing");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.path_known);
  EXPECT_EQ(m.family, ApiFamily::kAdmin);
  EXPECT_EQ(m.params.size, 0);
}

TEST_F(RouterTest, TrailingSlashAndEmptySegmentsAreDifferentPaths) {
  EXPECT_FALSE(router_.Find(bhttp::verb::get, "/admin/v1/orgs/").path_known);
  EXPECT_FALSE(router_.Find(bhttp::verb::get, "/admin//v1/orgs").path_known);
  EXPECT_FALSE(router_.Find(bhttp::verb::get, "admin/v1/orgs").path_known);
  EXPECT_FALSE(router_.Find(bhttp::verb::get, "").path_known);
}

TEST_F(RouterTest, KnownPathWithOtherMethodListsAllow) {
  auto m = router_.Find(bhttp::verb::put, "/admin/v1/orgs");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_known);
  EXPECT_EQ(m.allow, "GET, HEAD, POST, OPTIONS");
  m = router_.Find(bhttp::verb::get, "/admin/v1/orgs/o/api-keys/k");
  EXPECT_TRUE(m.path_known);
  EXPECT_EQ(m.allow, "DELETE, OPTIONS");
  m = router_.Find(bhttp::verb::unknown, "/admin/v1/orgs");
  EXPECT_TRUE(m.path_known);
  EXPECT_EQ(m.family, ApiFamily::kAdmin);
}

TEST_F(RouterTest, HeadIsServedByGet) {
  auto m = router_.Find(bhttp::verb::head, "/admin/v1/orgs/o1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, bhttp::verb::get);
  m = router_.Find(bhttp::verb::options, "/admin/v1/orgs/o1");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allow, "GET, HEAD, OPTIONS");
}

TEST_F(RouterTest, RoutesAreNumberedInOrder) {
  const auto& routes = router_.routes();
  ASSERT_EQ(routes.size(), 7u);
  for (size_t i = 0; i < routes.size(); ++i) EXPECT_EQ(routes[i]->id, static_cast<int>(i));
}

TEST(FamilyForPathTest, FollowsApiDecisionItem6) {
  EXPECT_EQ(FamilyForPath("/oauth/token"), ApiFamily::kOAuth);
  EXPECT_EQ(FamilyForPath("/oauth/anything/else"), ApiFamily::kOAuth);
  EXPECT_EQ(FamilyForPath("/v1/authorize"), ApiFamily::kAuthorize);
  EXPECT_EQ(FamilyForPath("/v3/integrations/clients"), ApiFamily::kCapillary);
  EXPECT_EQ(FamilyForPath("/v3/integrations"), ApiFamily::kSolvimon);  // item 72
  EXPECT_EQ(FamilyForPath("/v1/integrations"), ApiFamily::kSolvimon);
  EXPECT_EQ(FamilyForPath("/v2/integrations/x"), ApiFamily::kSolvimon);
  EXPECT_EQ(FamilyForPath("/v12/integrations"), ApiFamily::kSolvimon);
  EXPECT_EQ(FamilyForPath("/vx/integrations"), ApiFamily::kOps);
  EXPECT_EQ(FamilyForPath("/api/oem-api/vendor"), ApiFamily::kOem);
  EXPECT_EQ(FamilyForPath("/api/managed-integrations"), ApiFamily::kCentrapay);
  EXPECT_EQ(FamilyForPath("/api/managed-integrations/kete/1"), ApiFamily::kCentrapay);
  EXPECT_EQ(FamilyForPath("/api/invitations/c/accept"), ApiFamily::kCentrapay);
  EXPECT_EQ(FamilyForPath("/admin/v1/orgs"), ApiFamily::kAdmin);
  EXPECT_EQ(FamilyForPath("/admin"), ApiFamily::kOps);
  EXPECT_EQ(FamilyForPath("/livez"), ApiFamily::kOps);
  EXPECT_EQ(FamilyForPath("/.well-known/oauth-authorization-server"), ApiFamily::kOps);
}

}  // namespace
}  // namespace ihub
