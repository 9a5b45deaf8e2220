// Token format: generation, the well-formedness gate, and the store key. See token_format.h.
#include "store/token_format.h"

#include <array>

#include "store/crc32c.h"
#include "store/secrets.h"

namespace ihub {
namespace {

constexpr size_t kSummedLength = kAccessTokenPrefix.size() + kAccessTokenRandomLength;  // 49

// 0..61 for a base62 digit, -1 otherwise (a table: the gate runs on every presented token).
constexpr auto kBase62Value = [] {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (size_t i = 0; i < kBase62Alphabet.size(); ++i) {
    t[static_cast<uint8_t>(kBase62Alphabet[i])] = static_cast<int8_t>(i);
  }
  return t;
}();

// Writes `value` as kAccessTokenChecksumLength base62 digits, most significant first.
void PutChecksum(uint32_t value, char* out) {
  uint64_t v = value;
  for (size_t i = kAccessTokenChecksumLength; i-- > 0;) {
    out[i] = kBase62Alphabet[v % 62];
    v /= 62;
  }
}

}  // namespace

std::string NewAccessToken() {
  std::string token;
  token.reserve(kAccessTokenLength);
  token.append(kAccessTokenPrefix);
  token.append(RandomBase62(kAccessTokenRandomLength));
  char sum[kAccessTokenChecksumLength];
  PutChecksum(crc32c::Value(token), sum);
  token.append(sum, kAccessTokenChecksumLength);
  return token;
}

bool IsWellFormedAccessToken(std::string_view token) {
  if (token.size() != kAccessTokenLength) return false;
  if (token.substr(0, kAccessTokenPrefix.size()) != kAccessTokenPrefix) return false;
  for (size_t i = kAccessTokenPrefix.size(); i < kSummedLength; ++i) {
    if (kBase62Value[static_cast<uint8_t>(token[i])] < 0) return false;
  }
  uint64_t presented = 0;
  for (size_t i = kSummedLength; i < kAccessTokenLength; ++i) {
    const int8_t digit = kBase62Value[static_cast<uint8_t>(token[i])];
    if (digit < 0) return false;
    presented = presented * 62 + static_cast<uint64_t>(digit);
  }
  return presented == crc32c::Value(token.substr(0, kSummedLength));
}

TokenKey TokenKeyOf(std::string_view token) {
  const Digest digest = Sha256(token);
  TokenKey key;
  std::memcpy(&key.lo, digest.data(), sizeof(key.lo));
  std::memcpy(&key.hi, digest.data() + sizeof(key.lo), sizeof(key.hi));
  return key;
}

}  // namespace ihub
