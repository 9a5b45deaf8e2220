#include "server/envelopes.h"

#include <gtest/gtest.h>

namespace ihub {
namespace {

std::string Body(ApiFamily f, bhttp::status s = bhttp::status::not_found,
                 std::string_view message = "no such endpoint") {
  return MakeErrorResponse(f, s, "NOT_FOUND", message).body();
}

TEST(EnvelopesTest, ProblemDetailsForOwnFamilies) {
  for (ApiFamily f : {ApiFamily::kAdmin, ApiFamily::kOps, ApiFamily::kAuthorize, ApiFamily::kSolvimon}) {
    HttpResponse r = MakeErrorResponse(f, bhttp::status::not_found, "NOT_FOUND", "gone");
    EXPECT_EQ(r[bhttp::field::content_type], "application/problem+json");
    EXPECT_EQ(r.body(),
              R"({"type":"about:blank","title":"Not Found","status":404,"detail":"gone","code":"NOT_FOUND"})");
  }
}

TEST(EnvelopesTest, OAuthUsesRfc6749Errors) {
  EXPECT_EQ(Body(ApiFamily::kOAuth), R"({"error":"invalid_request","error_description":"no such endpoint"})");
  EXPECT_EQ(Body(ApiFamily::kOAuth, bhttp::status::service_unavailable, "later"),
            R"({"error":"temporarily_unavailable","error_description":"later"})");
  EXPECT_EQ(Body(ApiFamily::kOAuth, bhttp::status::internal_server_error, "oops"),
            R"({"error":"server_error","error_description":"oops"})");
}

TEST(EnvelopesTest, SeedFamiliesUseTheirOwnShapes) {
  EXPECT_EQ(Body(ApiFamily::kCapillary),
            R"({"data":null,"errors":[{"code":"NOT_FOUND","message":"no such endpoint"}]})");
  EXPECT_EQ(Body(ApiFamily::kOem), R"({"status":404,"message":"no such endpoint"})");
  EXPECT_EQ(Body(ApiFamily::kCentrapay), R"({"message":"NOT_FOUND","description":"no such endpoint"})");
  HttpResponse r = MakeErrorResponse(ApiFamily::kCentrapay, bhttp::status::not_found, "X", "y");
  EXPECT_EQ(r[bhttp::field::content_type], "application/json");
}

TEST(EnvelopesTest, MessagesAreEscaped) {
  EXPECT_EQ(Body(ApiFamily::kOem, bhttp::status::bad_request, "a \"quoted\"\\ line\nnext\x01"),
            R"({"status":400,"message":"a \"quoted\"\\ line\nnext\u0001"})");
}

TEST(EnvelopesTest, FamilyNames) {
  EXPECT_EQ(FamilyName(ApiFamily::kCapillary), "capillary");
  EXPECT_EQ(FamilyName(ApiFamily::kOAuth), "oauth");
  EXPECT_EQ(FamilyName(ApiFamily::kCentrapay), "centrapay");
}

}  // namespace
}  // namespace ihub
