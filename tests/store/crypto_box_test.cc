#include "store/crypto_box.h"

#include <sys/stat.h>

#include <filesystem>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "store/secrets.h"
#include "tests/store/temp_dir.h"

namespace ihub {
namespace {

using testing::ReadAll;
using testing::TempDir;

EncryptionKey KeyOf(uint8_t fill) {
  EncryptionKey k{};
  k.fill(fill);
  return k;
}

TEST(CryptoBoxTest, SealOpenRoundTrip) {
  CryptoBox box(KeyOf(7));
  for (std::string pt : {std::string(), std::string("s3cr3t"), std::string(5000, 'z')}) {
    auto sealed = box.Seal(pt, "record-1");
    ASSERT_TRUE(sealed.ok());
    EXPECT_EQ(sealed->size(), pt.size() + kSealOverhead);
    if (!pt.empty()) {
      EXPECT_EQ(sealed->find(pt), std::string::npos);
    }
    auto opened = box.Open(*sealed, "record-1");
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(*opened, pt);
  }
}

TEST(CryptoBoxTest, NoncesAreFreshEverySeal) {
  CryptoBox box(KeyOf(1));
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(*box.Seal("same"));
  EXPECT_EQ(seen.size(), 200u);
}

TEST(CryptoBoxTest, AnyChangeFailsAuthentication) {
  CryptoBox box(KeyOf(2));
  std::string sealed = *box.Seal("client-secret-value", "aad");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] ^= 0x01;
    auto r = box.Open(bad, "aad");
    EXPECT_FALSE(r.ok()) << i;
  }
  EXPECT_FALSE(box.Open(sealed, "other-aad").ok());
  EXPECT_FALSE(box.Open(sealed).ok());
  EXPECT_FALSE(CryptoBox(KeyOf(3)).Open(sealed, "aad").ok());
  EXPECT_FALSE(box.Open(sealed.substr(0, kSealOverhead - 1), "aad").ok());
  EXPECT_FALSE(box.Open(sealed.substr(0, sealed.size() - 1), "aad").ok());
}

TEST(CryptoBoxTest, ParsesHexAndBase64Keys) {
  std::string hex(64, 'a');
  auto k = ParseEncryptionKey("  " + hex + "\n");
  ASSERT_TRUE(k.ok());
  EXPECT_EQ((*k)[0], 0xaa);
  // base64 of 32 bytes 0x00..0x1f.
  auto b = ParseEncryptionKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)[31], 0x1f);
  EXPECT_FALSE(ParseEncryptionKey(std::string(63, 'a')).ok());
  EXPECT_FALSE(ParseEncryptionKey(std::string(64, 'g')).ok());
  EXPECT_FALSE(ParseEncryptionKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==").ok());  // 31 bytes
  auto bad = ParseEncryptionKey("not-a-key-at-all");
  EXPECT_EQ(bad.status().message().find("not-a-key"), std::string::npos);  // never echoed
}

TEST(CryptoBoxTest, GeneratesAPrivateKeyFileOnceAndReusesIt) {
  TempDir dir;
  auto first = LoadEncryptionKey({"", std::nullopt, dir.path()});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->source, KeySource::kGenerated);
  std::string path = dir.Sub("data.key");
  EXPECT_EQ(first->path, path);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_FALSE(first->warnings.empty());
  std::string hex = HexEncode(std::span<const uint8_t>(first->key));
  for (const auto& w : first->warnings) {
    EXPECT_NE(w.find("data directory alone can decrypt"), std::string::npos);
    EXPECT_EQ(w.find(hex), std::string::npos);
  }
  auto second = LoadEncryptionKey({"", std::nullopt, dir.path()});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->source, KeySource::kDataDirFile);
  EXPECT_EQ(second->key, first->key);
  // A sealed value survives the "restart".
  std::string sealed = *CryptoBox(first->key).Seal("x");
  EXPECT_EQ(*CryptoBox(second->key).Open(sealed), "x");
}

TEST(CryptoBoxTest, KeyFileFlagBeatsEnvironmentAndWarnsOnLoosePermissions) {
  TempDir dir;
  std::string file = dir.Sub("k");
  testing::WriteAll(file, std::string(64, 'b') + "\n");
  ::chmod(file.c_str(), 0644);
  auto k = LoadEncryptionKey({file, std::string(64, 'c'), dir.path()});
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->source, KeySource::kKeyFile);
  EXPECT_EQ(k->key[0], 0xbb);
  EXPECT_EQ(k->warnings.size(), 2u);  // env ignored; file readable by others
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("data.key")));

  auto env = LoadEncryptionKey({"", std::string(64, 'c'), dir.path()});
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->source, KeySource::kEnvironment);
  EXPECT_EQ(env->key[0], 0xcc);
  EXPECT_TRUE(env->warnings.empty());

  EXPECT_FALSE(LoadEncryptionKey({"", std::string("short"), dir.path()}).ok());
  testing::WriteAll(file, "garbage");
  EXPECT_FALSE(LoadEncryptionKey({file, std::nullopt, dir.path()}).ok());
  EXPECT_FALSE(LoadEncryptionKey({dir.Sub("missing"), std::nullopt, dir.path()}).ok());
  EXPECT_FALSE(LoadEncryptionKey({"", std::nullopt, dir.Sub("no/such/dir")}).ok());
}

}  // namespace
}  // namespace ihub
