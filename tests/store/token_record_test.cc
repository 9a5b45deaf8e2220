#include "store/token_record.h"

#include <sstream>

#include <cereal/archives/binary.hpp>
#include <gtest/gtest.h>

#include "store/store.h"

namespace ihub {
namespace {

class TokenRecordTest : public ::testing::Test {
 protected:
  // Issues a token of `client` expiring at `exp`; returns its text.
  std::string Issue(std::string_view client, int64_t exp) {
    std::string text = NewAccessToken();
    TokenRecord t;
    t.token_key = TokenKeyOf(text);
    t.set_client_key(client);
    t.entity_mask = 0b101;
    t.issued_at_s = exp - 100;
    t.expires_at_s = exp;
    auto seq = store_.Write([&](WriteTxn& txn) {
      txn.Put(t);
      return Status::Ok();
    });
    EXPECT_TRUE(seq.ok());
    return text;
  }
  Store store_;
};

TEST_F(TokenRecordTest, StaysSmall) {
  // Memory target: 1M tokens in well under 200 MB (map slot = key + record).
  EXPECT_LE(sizeof(TokenRecord), 56u);
}

TEST_F(TokenRecordTest, IsFoundByTheKeyOfItsText) {
  const std::string text = Issue("ABCDEFGHIJKLMNOPQRSTUVWXY", 1000);
  bool read = store_.tokens().Read(TokenKeyOf(text), [&](const TokenRecord& t) {
    EXPECT_EQ(t.client_key_view(), "ABCDEFGHIJKLMNOPQRSTUVWXY");
    EXPECT_EQ(t.entity_mask, 0b101);
    EXPECT_FALSE(t.expired(999));
    EXPECT_TRUE(t.expired(1000));
  });
  EXPECT_TRUE(read);
  EXPECT_FALSE(store_.tokens().Contains(TokenKeyOf(NewAccessToken())));
}

TEST_F(TokenRecordTest, RoundTripsThroughAMutationBatch) {
  TokenRecord t;
  t.token_key = TokenKeyOf(NewAccessToken());
  t.set_client_key("0123456789012345678901234");
  t.entity_mask = 3;
  t.revoked = true;
  t.issued_at_s = 5;
  t.expires_at_s = 3605;
  MutationBatch batch{Put<TokenRecord>{t}, Erase<TokenRecord>{t.token_key}};
  std::stringstream ss;
  {
    cereal::BinaryOutputArchive out(ss);
    out(batch);
  }
  MutationBatch back;
  {
    cereal::BinaryInputArchive in(ss);
    in(back);
  }
  ASSERT_EQ(back.size(), 2u);
  const auto& put = std::get<Put<TokenRecord>>(back[0]).record;
  EXPECT_EQ(put.token_key, t.token_key);
  EXPECT_EQ(put.client_key_view(), t.client_key_view());
  EXPECT_TRUE(put.revoked);
  EXPECT_EQ(put.expires_at_s, 3605u);
  EXPECT_EQ(std::get<Erase<TokenRecord>>(back[1]).key, t.token_key);
}

TEST_F(TokenRecordTest, EraseIfReclaimsOnlyMatchingTokensWithoutJournaling) {
  int journaled = 0;
  store_.SetJournalSink([&](const MutationBatch&) -> Result<uint64_t> { return ++journaled; });
  const std::string old_token = Issue("AAAAAAAAAAAAAAAAAAAAAAAAA", 100);
  const std::string live_token = Issue("AAAAAAAAAAAAAAAAAAAAAAAAA", 100000);
  EXPECT_EQ(journaled, 2);
  const size_t erased = store_.EraseIf<TokenRecord>(
      [](const TokenRecord& t) { return t.expires_at_s + kExpiredTokenRetentionSeconds <= 5000; });
  EXPECT_EQ(erased, 1u);
  EXPECT_EQ(journaled, 2);
  EXPECT_FALSE(store_.tokens().Contains(TokenKeyOf(old_token)));
  EXPECT_TRUE(store_.tokens().Contains(TokenKeyOf(live_token)));
  EXPECT_EQ(store_.tokens().size(), 1u);
}

}  // namespace
}  // namespace ihub
