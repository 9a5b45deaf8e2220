#include "codec/query.h"

#include <gtest/gtest.h>

namespace ihub {
namespace {

TEST(QueryTest, SplitTarget) {
  Target t = SplitTarget("/admin/v1/orgs?limit=5&cursor=abc#frag");
  EXPECT_EQ(t.path, "/admin/v1/orgs");
  EXPECT_EQ(t.query, "limit=5&cursor=abc");
  t = SplitTarget("/livez");
  EXPECT_EQ(t.path, "/livez");
  EXPECT_EQ(t.query, "");
  t = SplitTarget("/a?");
  EXPECT_EQ(t.path, "/a");
  EXPECT_EQ(t.query, "");
}

TEST(QueryTest, ParseBoundedInt) {
  EXPECT_EQ(*ParseBoundedInt("42", 1, 100), 42);
  EXPECT_EQ(*ParseBoundedInt("-5", -10, 0), -5);
  for (const char* bad : {"", "+1", " 1", "1 ", "1.0", "0x10", "101", "0", "abc",
                          "99999999999999999999"}) {
    EXPECT_FALSE(ParseBoundedInt(bad, 1, 100).ok()) << bad;
  }
}

TEST(QueryTest, ListDefaultsAndValues) {
  ListQuery q;
  FieldErrors errors;
  ASSERT_TRUE(ParseListQuery("", {.default_limit = 20, .max_limit = 100}, q, errors));
  EXPECT_EQ(q.limit, 20);
  EXPECT_EQ(q.page, 1);
  EXPECT_FALSE(q.cursor.has_value());

  q = ListQuery();
  ASSERT_TRUE(ParseListQuery("limit=100&page=3&cursor=org%2F1&type=kete-enrolment&status=pending"
                             "&other=x&limit=7",
                             {.default_limit = 20, .max_limit = 100}, q, errors));
  EXPECT_EQ(q.limit, 100);
  EXPECT_EQ(q.page, 3);
  EXPECT_EQ(q.cursor, "org/1");
  EXPECT_EQ(q.type, "kete-enrolment");
  EXPECT_EQ(q.status, "pending");
}

TEST(QueryTest, ListErrorsNameTheParameter) {
  ListQuery q;
  FieldErrors errors;
  EXPECT_FALSE(ParseListQuery("limit=501&page=abc&cursor=" + std::string(300, 'c'),
                              {.max_limit = 500}, q, errors));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors.items()[0].field, "limit");
  EXPECT_EQ(errors.items()[0].kind, FieldErrorKind::kOutOfRange);
  EXPECT_EQ(errors.items()[0].message, "limit must be between 1 and 500");
  EXPECT_EQ(errors.items()[1].field, "page");
  EXPECT_EQ(errors.items()[1].kind, FieldErrorKind::kWrongType);
  EXPECT_EQ(errors.items()[2].kind, FieldErrorKind::kTooLong);

  errors = FieldErrors();
  EXPECT_FALSE(ParseListQuery("limit=0", {}, q, errors));
  EXPECT_EQ(errors.front().kind, FieldErrorKind::kOutOfRange);
  errors = FieldErrors();
  EXPECT_FALSE(ParseListQuery("limit=99999999999999999999999", {}, q, errors));
  EXPECT_EQ(errors.front().kind, FieldErrorKind::kOutOfRange);
  errors = FieldErrors();
  EXPECT_FALSE(ParseListQuery("limit=1-2", {}, q, errors));
  EXPECT_EQ(errors.front().kind, FieldErrorKind::kWrongType);
  errors = FieldErrors();
  EXPECT_FALSE(ParseListQuery("cursor=%zz", {}, q, errors));
  EXPECT_TRUE(errors.malformed());
}

}  // namespace
}  // namespace ihub
