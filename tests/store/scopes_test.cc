#include "store/scopes.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace ihub {
namespace {

ScopeEntry Entry(int64_t entity, ScopePermission permission, std::vector<std::string> resources) {
  return ScopeEntry{entity, permission, std::move(resources)};
}

std::shared_ptr<const CompiledScopes> MustCompile(std::vector<ScopeEntry> entries) {
  auto compiled = CompiledScopes::Compile(entries);
  EXPECT_TRUE(compiled.ok()) << compiled.status().message();
  return compiled.ok() ? *compiled : nullptr;
}

constexpr uint32_t kAllEntities = 0b111;

TEST(ScopesTest, ReadWriteGrantsBothMethodClassesOnMatchingPathsOnly) {
  auto scopes = MustCompile({Entry(1, ScopePermission::kReadWrite, {".*v3/targetGroups.*"})});
  EXPECT_TRUE(scopes->Allows(kAllEntities, MethodClass::kRead, "/v3/targetGroups/1"));
  EXPECT_TRUE(scopes->Allows(kAllEntities, MethodClass::kWrite, "/v3/targetGroups"));
  EXPECT_FALSE(scopes->Allows(kAllEntities, MethodClass::kRead, "/v1.1/transaction/add"));
}

TEST(ScopesTest, PermissionLimitsTheMethodClass) {
  auto scopes = MustCompile({Entry(2, ScopePermission::kWrite, {})});
  EXPECT_TRUE(scopes->Allows(kAllEntities, MethodClass::kWrite, "/anything"));
  EXPECT_FALSE(scopes->Allows(kAllEntities, MethodClass::kRead, "/anything"));
  EXPECT_FALSE(scopes->Allows(kAllEntities, MethodClass::kNone, "/anything"));
}

TEST(ScopesTest, PatternsMatchTheWholePath) {
  auto scopes = MustCompile({Entry(3, ScopePermission::kRead, {"/v1\\.1/transaction/add"})});
  EXPECT_TRUE(scopes->Allows(kAllEntities, MethodClass::kRead, "/v1.1/transaction/add"));
  EXPECT_FALSE(scopes->Allows(kAllEntities, MethodClass::kRead, "/v1.1/transaction/add/x"));
  EXPECT_FALSE(scopes->Allows(kAllEntities, MethodClass::kRead, "/x/v1.1/transaction/add"));
}

TEST(ScopesTest, EmptyResourcesUseTheEntityDefaultPaths) {
  auto scopes = MustCompile({Entry(1, ScopePermission::kRead, {})});
  EXPECT_TRUE(scopes->Allows(kAllEntities, MethodClass::kRead, "/v3/targetGroups/7"));
  EXPECT_FALSE(scopes->Allows(kAllEntities, MethodClass::kRead, "/v3/clients"));
}

TEST(ScopesTest, EntityMaskNarrowsWhichScopesCount) {
  auto scopes = MustCompile({Entry(1, ScopePermission::kRead, {}), Entry(2, ScopePermission::kWrite, {})});
  EXPECT_EQ(scopes->entity_mask(), 0b011u);
  const uint32_t only_all = 1u << CatalogIndexOf(2);
  EXPECT_FALSE(scopes->Allows(only_all, MethodClass::kRead, "/v3/targetGroups/7"));
  EXPECT_TRUE(scopes->Allows(only_all, MethodClass::kWrite, "/v3/targetGroups/7"));
}

TEST(ScopesTest, RejectsBadPatternsNamingTheField) {
  auto bad = CompiledScopes::Compile(std::vector{Entry(1, ScopePermission::kRead, {"ok", "(unclosed"})});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("scopes[0].resources[1]"), std::string::npos);

  auto backreference = CompiledScopes::Compile(std::vector{Entry(1, ScopePermission::kRead, {"(a)\\1"})});
  EXPECT_FALSE(backreference.ok());

  auto too_long = CompiledScopes::Compile(
      std::vector{Entry(1, ScopePermission::kRead, {std::string(kMaxPatternLength + 1, 'a')})});
  EXPECT_FALSE(too_long.ok());

  auto huge_program = CompiledScopes::Compile(std::vector{Entry(1, ScopePermission::kRead, {"((a{100}){100}){100}"})});
  EXPECT_FALSE(huge_program.ok());

  auto unknown_entity = CompiledScopes::Compile(std::vector{Entry(9, ScopePermission::kRead, {})});
  ASSERT_FALSE(unknown_entity.ok());
  EXPECT_NE(unknown_entity.status().message().find("entityId"), std::string::npos);
}

TEST(ScopesTest, MethodsAreClassifiedCaseInsensitively) {
  MethodClass cls;
  ASSERT_TRUE(ClassifyMethod("get", &cls));
  EXPECT_EQ(cls, MethodClass::kRead);
  ASSERT_TRUE(ClassifyMethod("Delete", &cls));
  EXPECT_EQ(cls, MethodClass::kWrite);
  ASSERT_TRUE(ClassifyMethod("OPTIONS", &cls));
  EXPECT_EQ(cls, MethodClass::kNone);
  EXPECT_FALSE(ClassifyMethod("TRACE", &cls));
}

TEST(ScopesTest, ScopeStringsRoundTripThroughTheCatalog) {
  EXPECT_EQ(CatalogIndexOfName("targetgroups"), 0);
  EXPECT_EQ(CatalogIndexOfName("nope"), -1);
  EXPECT_EQ(EntityMaskToScopeString(0b101), "TargetGroups Transaction");
}

TEST(ScopesTest, IdenticalListsShareOneCompiledObject) {
  const std::vector<ScopeEntry> seed = {Entry(1, ScopePermission::kReadWrite, {".*v3/targetGroups.*"}),
                                        Entry(2, ScopePermission::kWrite, {})};
  auto a = MustCompile(seed);
  auto b = MustCompile(seed);
  EXPECT_EQ(a.get(), b.get());
  // Any difference is another list, including patterns that only split differently.
  EXPECT_NE(MustCompile({Entry(1, ScopePermission::kRead, {".*v3/targetGroups.*"}),
                         Entry(2, ScopePermission::kWrite, {})})
                .get(),
            a.get());
  auto ab_c = MustCompile({Entry(1, ScopePermission::kRead, {"/ab", "/c"})});
  auto a_bc = MustCompile({Entry(1, ScopePermission::kRead, {"/a", "b/c"})});
  EXPECT_NE(ab_c.get(), a_bc.get());
  EXPECT_TRUE(ab_c->Allows(kAllEntities, MethodClass::kRead, "/ab"));
  EXPECT_FALSE(a_bc->Allows(kAllEntities, MethodClass::kRead, "/ab"));
}

TEST(ScopesTest, ASharedObjectLivesOnlyAsLongAsItsHolders) {
  const std::vector<ScopeEntry> entries = {Entry(3, ScopePermission::kRead, {"/only/this/path/42"})};
  std::weak_ptr<const CompiledScopes> weak = MustCompile(entries);
  EXPECT_TRUE(weak.expired());  // the cache holds it weakly: no record, no object
  auto again = MustCompile(entries);
  EXPECT_TRUE(again->Allows(kAllEntities, MethodClass::kRead, "/only/this/path/42"));
}

TEST(ScopesTest, ConcurrentCompilesOfOneListAgreeOnOneObject) {
  const std::vector<ScopeEntry> entries = {Entry(1, ScopePermission::kRead, {"/concurrent/[0-9]+"})};
  std::vector<std::shared_ptr<const CompiledScopes>> got(8);
  std::vector<std::thread> threads;
  for (auto& slot : got) {
    threads.emplace_back([&entries, &slot] { slot = *CompiledScopes::Compile(entries); });
  }
  for (auto& t : threads) t.join();
  for (const auto& c : got) EXPECT_EQ(c.get(), got[0].get());
}

}  // namespace
}  // namespace ihub
