#include "server/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

namespace ihub {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  ConfigOutcome Parse(std::vector<std::string> args) {
    return ParseConfig(args, [this](const char* name) -> const char* {
      auto it = env_.find(name);
      return it == env_.end() ? nullptr : it->second.c_str();
    });
  }
  std::string WriteFile(const std::string& text) {
    std::string path = ::testing::TempDir() + "ihub_config_" + std::to_string(::getpid()) + ".json";
    std::ofstream(path) << text;
    return path;
  }
  std::map<std::string, std::string> env_;
};

TEST_F(ConfigTest, Defaults) {
  ConfigOutcome o = Parse({});
  ASSERT_EQ(o.action, ConfigOutcome::Action::kRun) << o.message;
  const Config& c = o.config;
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8080);
  EXPECT_GE(c.threads, 1);
  EXPECT_EQ(c.data_dir, "./data");
  EXPECT_EQ(c.snapshot_interval_s, 300);
  EXPECT_EQ(c.snapshot_keep, 5);
  EXPECT_EQ(c.fsync, FsyncMode::kBatch);
  EXPECT_EQ(c.issuer, "http://127.0.0.1:8080");
  EXPECT_TRUE(c.issuer_defaulted);
  EXPECT_EQ(c.max_body, 1u << 20);
  EXPECT_EQ(c.max_connections, 10000);
  EXPECT_EQ(c.idle_timeout_s, 60);
  EXPECT_EQ(c.header_timeout_s, 10);
  EXPECT_TRUE(c.access_log);
}

TEST_F(ConfigTest, FlagsInBothForms) {
  ConfigOutcome o = Parse({"--listen", "0.0.0.0:0", "--threads=3", "--fsync", "always", "--max-body",
                           "4M", "--access-log=off", "--issuer", "https://id.example"});
  ASSERT_EQ(o.action, ConfigOutcome::Action::kRun) << o.message;
  EXPECT_EQ(o.config.listen_host, "0.0.0.0");
  EXPECT_EQ(o.config.listen_port, 0);
  EXPECT_EQ(o.config.threads, 3);
  EXPECT_EQ(o.config.fsync, FsyncMode::kAlways);
  EXPECT_EQ(o.config.max_body, 4u << 20);
  EXPECT_FALSE(o.config.access_log);
  EXPECT_EQ(o.config.issuer, "https://id.example");
  EXPECT_FALSE(o.config.issuer_defaulted);
}

TEST_F(ConfigTest, PrecedenceIsFlagThenEnvThenFileThenDefault) {
  std::string file = WriteFile(R"({"threads": 2, "snapshot-keep": 7, "data-dir": "/f", "access-log": false})");
  env_["IHUB_CONFIG"] = file;
  env_["IHUB_DATA_DIR"] = "/env";
  env_["IHUB_THREADS"] = "4";
  ConfigOutcome o = Parse({"--threads", "6"});
  ASSERT_EQ(o.action, ConfigOutcome::Action::kRun) << o.message;
  EXPECT_EQ(o.config.threads, 6);          // flag
  EXPECT_EQ(o.config.data_dir, "/env");    // env over file
  EXPECT_EQ(o.config.snapshot_keep, 7);    // file over default
  EXPECT_FALSE(o.config.access_log);       // file, JSON boolean
  EXPECT_EQ(o.config.snapshot_interval_s, 300);
  std::remove(file.c_str());
}

TEST_F(ConfigTest, ConfigFlagBeatsConfigEnv) {
  std::string file = WriteFile(R"({"snapshot-interval": 0})");
  env_["IHUB_CONFIG"] = "/does/not/exist.json";
  ConfigOutcome o = Parse({"--config", file});
  ASSERT_EQ(o.action, ConfigOutcome::Action::kRun) << o.message;
  EXPECT_EQ(o.config.snapshot_interval_s, 0);
  std::remove(file.c_str());
}

TEST_F(ConfigTest, BadValuesAreErrorsNamingFlagAndSource) {
  struct Case {
    std::vector<std::string> args;
    const char* needle;
  };
  const Case cases[] = {
      {{"--threads", "0"}, "--threads"},
      {{"--threads", "two"}, "--threads"},
      {{"--listen", "127.0.0.1"}, "--listen"},
      {{"--listen", "127.0.0.1:70000"}, "--listen"},
      {{"--fsync", "sometimes"}, "always, batch or none"},
      {{"--max-body", "0"}, "--max-body"},
      {{"--max-body", "5G"}, "--max-body"},
      {{"--access-log", "maybe"}, "--access-log"},
      {{"--idle-timeout", "-1"}, "--idle-timeout"},
      {{"--nope", "1"}, "unknown flag --nope"},
      {{"--threads"}, "needs a value"},
      {{"stray"}, "unexpected argument"},
      {{"--config", "/does/not/exist.json"}, "cannot read config file"},
  };
  for (const Case& k : cases) {
    ConfigOutcome o = Parse(k.args);
    EXPECT_EQ(o.action, ConfigOutcome::Action::kError) << k.args[0];
    EXPECT_NE(o.message.find(k.needle), std::string::npos) << o.message;
  }
  env_["IHUB_SNAPSHOT_KEEP"] = "0";
  ConfigOutcome o = Parse({});
  EXPECT_EQ(o.action, ConfigOutcome::Action::kError);
  EXPECT_NE(o.message.find("env IHUB_SNAPSHOT_KEEP"), std::string::npos) << o.message;
}

TEST_F(ConfigTest, BadConfigFileContent) {
  std::string file = WriteFile(R"({"no-such-flag": 1})");
  ConfigOutcome o = Parse({"--config", file});
  EXPECT_EQ(o.action, ConfigOutcome::Action::kError);
  EXPECT_NE(o.message.find("no-such-flag"), std::string::npos);
  std::ofstream(file) << "[1,2]";
  EXPECT_EQ(Parse({"--config", file}).action, ConfigOutcome::Action::kError);
  std::ofstream(file) << R"({"threads": 1.5})";
  EXPECT_EQ(Parse({"--config", file}).action, ConfigOutcome::Action::kError);
  std::remove(file.c_str());
}

TEST_F(ConfigTest, HelpAndVersion) {
  ConfigOutcome h = Parse({"--help"});
  EXPECT_EQ(h.action, ConfigOutcome::Action::kHelp);
  for (const char* flag : {"--listen", "--threads", "--data-dir", "--snapshot-interval", "--snapshot-keep",
                           "--fsync", "--issuer", "--max-body", "--max-connections", "--idle-timeout",
                           "--header-timeout", "--encryption-key-file", "--access-log", "--config"}) {
    EXPECT_NE(h.message.find(flag), std::string::npos) << flag;
  }
  EXPECT_EQ(Parse({"--version"}).action, ConfigOutcome::Action::kVersion);
}

TEST_F(ConfigTest, Ipv6AndLocalhost) {
  ConfigOutcome o = Parse({"--listen", "[::1]:9000"});
  ASSERT_EQ(o.action, ConfigOutcome::Action::kRun) << o.message;
  EXPECT_EQ(o.config.listen_host, "::1");
  EXPECT_EQ(o.config.issuer, "http://[::1]:9000");
  EXPECT_EQ(Parse({"--listen", "localhost:1"}).config.listen_host, "127.0.0.1");
}

}  // namespace
}  // namespace ihub
