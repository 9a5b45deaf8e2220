#include "tools/ihub_bench/dataset.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "tools/ihub_bench/requests.h"

namespace ihub::bench {
namespace {

class DatasetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/ihub_bench_dataset_testXXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/seed";
  }
  void TearDown() override {
    std::remove(path_.c_str());
    rmdir(dir_.c_str());
  }
  std::string dir_, path_;
};

TEST_F(DatasetTest, SaveThenLoadGivesTheSameRecords) {
  const Dataset d = SyntheticDataset(3, 7, 20);
  ASSERT_TRUE(SaveDataset(d, path_).ok());
  struct stat st {};
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // it holds secrets

  auto loaded = LoadDataset(path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_EQ(loaded->orgs(), 3u);
  ASSERT_EQ(loaded->clients(), 7u);
  ASSERT_EQ(loaded->token_count(), 20u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(loaded->org_keys[i], d.org_keys[i]);
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(loaded->client_keys[i], d.client_keys[i]);
    EXPECT_EQ(loaded->client_secrets[i], d.client_secrets[i]);
    EXPECT_EQ(loaded->client_org[i], i % 3);
  }
  for (size_t i = 0; i < 20; ++i) {
    EXPECT_EQ(loaded->tokens[i], d.tokens[i]);
    EXPECT_EQ(loaded->token_client[i], i % 7);
  }
}

TEST_F(DatasetTest, RejectsABadIndexWithoutEchoingTheLine) {
  std::ofstream(path_) << "ihub-bench-seed 1\norg o1 key1\nclient 5 ck cs-secret\n";
  auto loaded = LoadDataset(path_);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("line 3"), std::string::npos);
  EXPECT_EQ(loaded.status().message().find("cs-secret"), std::string::npos);
}

TEST_F(DatasetTest, RejectsAFileWithoutTheHeader) {
  std::ofstream(path_) << "org o1 key1\n";
  EXPECT_FALSE(LoadDataset(path_).ok());
  EXPECT_FALSE(LoadDataset(dir_ + "/missing").ok());
}

TEST(RequestsTest, IntrospectRequestIsCompleteHttp) {
  const Dataset d = SyntheticDataset(1, 1, 1);
  RequestBuilder rb(d, "127.0.0.1:8080");
  std::string out;
  rb.Introspect(0, &out);
  const std::string body = "token=" + std::string(d.tokens[0]);
  EXPECT_TRUE(out.starts_with("POST /oauth/introspect HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"));
  EXPECT_NE(out.find("X-Api-Key: " + std::string(d.org_keys[0]) + "\r\n"), std::string::npos);
  EXPECT_NE(out.find("Content-Length: " + std::to_string(body.size()) + "\r\n"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\r\n\r\n" + body));
}

}  // namespace
}  // namespace ihub::bench
