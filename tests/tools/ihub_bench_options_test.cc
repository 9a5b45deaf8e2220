#include "tools/ihub_bench/options.h"

#include <gtest/gtest.h>

#include <vector>

namespace ihub::bench {
namespace {

Result<Options> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "ihub-bench");
  return ParseOptions(static_cast<int>(args.size()), args.data());
}

TEST(OptionsTest, DefaultsWithoutFlags) {
  auto o = Parse({});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->host, "127.0.0.1");
  EXPECT_EQ(o->port, 8080);
  EXPECT_EQ(o->scenario, Scenario::kIntrospect);
  EXPECT_EQ(o->connections, 64);
  EXPECT_EQ(o->threads, 2);
  EXPECT_FALSE(o->json);
}

TEST(OptionsTest, ReadsEveryFlagInBothForms) {
  auto o = Parse({"--host", "localhost", "--port=9090", "--root-key", "k", "--orgs", "5",
                  "--clients=100", "--tokens", "1000", "--seed-file", "/tmp/s", "--scenario",
                  "client-get", "--connections", "8", "--threads=4", "--duration", "2.5",
                  "--warmup", "0", "--pipeline", "4", "--json", "--seed-pipeline", "32"});
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->host, "localhost");
  EXPECT_EQ(o->port, 9090);
  EXPECT_EQ(o->root_key, "k");
  EXPECT_EQ(o->orgs, 5);
  EXPECT_EQ(o->clients, 100);
  EXPECT_EQ(o->tokens, 1000);
  EXPECT_EQ(o->seed_file, "/tmp/s");
  EXPECT_EQ(o->scenario, Scenario::kClientGet);
  EXPECT_EQ(o->connections, 8);
  EXPECT_EQ(o->threads, 4);
  EXPECT_DOUBLE_EQ(o->duration_s, 2.5);
  EXPECT_DOUBLE_EQ(o->warmup_s, 0);
  EXPECT_EQ(o->pipeline, 4);
  EXPECT_EQ(o->seed_pipeline, 32);
  EXPECT_TRUE(o->json);
}

TEST(OptionsTest, EveryScenarioNameRoundTrips) {
  for (const char* name : {"token", "introspect", "authorize", "client-get", "mixed", "none"}) {
    auto o = Parse({"--scenario", name});
    ASSERT_TRUE(o.ok()) << name;
    EXPECT_STREQ(ScenarioName(o->scenario), name);
  }
}

TEST(OptionsTest, RejectsBadInput) {
  EXPECT_FALSE(Parse({"--scenario", "flood"}).ok());
  EXPECT_FALSE(Parse({"--port", "70000"}).ok());
  EXPECT_FALSE(Parse({"--connections", "0"}).ok());
  EXPECT_FALSE(Parse({"--duration", "abc"}).ok());
  EXPECT_FALSE(Parse({"--tokens", "12x"}).ok());
  EXPECT_FALSE(Parse({"--threads"}).ok());
  EXPECT_FALSE(Parse({"--bogus"}).ok());
  EXPECT_FALSE(Parse({"--json=yes"}).ok());
  EXPECT_FALSE(Parse({"--synthetic", "--use-seed-file", "f"}).ok());
  EXPECT_FALSE(Parse({"--orgs", "10", "--clients", "5"}).ok());
}

TEST(OptionsTest, ErrorNamesTheFlagButNeverTheValue) {
  auto o = Parse({"--port", "secret-looking-value"});
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.status().message().find("--port"), std::string::npos);
  EXPECT_EQ(o.status().message().find("secret-looking-value"), std::string::npos);
}

TEST(OptionsTest, ThreadsNeverExceedConnections) {
  auto o = Parse({"--connections", "3", "--threads", "8"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->threads, 3);
}

}  // namespace
}  // namespace ihub::bench
