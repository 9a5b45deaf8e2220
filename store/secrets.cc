// Secrets: OpenSSL-backed randomness and hashing. See secrets.h.
#include "store/secrets.h"

// SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, but EVP costs a
// provider dispatch, a context allocation and a free per digest: on the hot paths (a token's key,
// an API key's or a client secret's digest on every request) that overhead was larger than the
// compression itself (measured: ~180 ns vs ~460 ns with EVP_Digest). The low-level functions
// still use the CPU's SHA extensions and allocate nothing. Not the one-shot SHA256(): in
// OpenSSL 3 it fetches the algorithm through EVP on every call (token_benchmark miss: 546 ns
// with it, 152 ns with Init/Update/Final).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ihub {
namespace {

[[noreturn]] void DieRandomFailure() {
  std::fputs("ihub: fatal: OpenSSL RAND_bytes failed; refusing to issue guessable secrets\n",
             stderr);
  std::abort();
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PrefixedKey(std::string_view prefix) {
  std::string key(prefix);
  key += RandomBase62(kKeySecretLength);
  return key;
}

// CSPRNG output drawn from OpenSSL in blocks, per thread. Each RAND_bytes call costs a provider
// dispatch, a lock and a DRBG reseed check, several times the cost of generating the ~50 bytes a
// token needs (issuance spent a fifth of its instructions there). Bytes are handed out once, in
// order, and wiped from the pool as they leave it; the pool is wiped when its thread ends. ihubd
// never forks, so no two processes can share a pool.
class RandomPool {
 public:
  static constexpr size_t kSize = 4096;
  static constexpr size_t kMaxDraw = 256;  // larger requests go straight to RAND_bytes

  ~RandomPool() { OPENSSL_cleanse(bytes_, sizeof(bytes_)); }

  void Draw(std::span<uint8_t> out) {
    size_t done = 0;
    while (done < out.size()) {
      if (pos_ == kSize) Refill();
      const size_t n = std::min(out.size() - done, kSize - pos_);
      std::memcpy(out.data() + done, bytes_ + pos_, n);
      OPENSSL_cleanse(bytes_ + pos_, n);
      pos_ += n;
      done += n;
    }
  }

 private:
  void Refill() {
    if (RAND_bytes(bytes_, static_cast<int>(kSize)) != 1) DieRandomFailure();
    pos_ = 0;
  }

  uint8_t bytes_[kSize];
  size_t pos_ = kSize;  // empty until first use
};

}  // namespace

void RandomBytes(std::span<uint8_t> out) {
  if (out.empty()) return;
  if (out.size() <= RandomPool::kMaxDraw) {
    thread_local RandomPool pool;
    pool.Draw(out);
    return;
  }
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) DieRandomFailure();
}

std::string RandomBase62(size_t n) {
  // 248 = 4 * 62: bytes >= 248 are rejected so every character is equally likely.
  constexpr uint8_t kLimit = 248;
  std::string out;
  out.reserve(n);
  uint8_t buf[64];
  while (out.size() < n) {
    // About 3% of bytes are rejected; ask for a few more than needed.
    const size_t want = std::min(sizeof(buf), (n - out.size()) + (n - out.size()) / 16 + 2);
    RandomBytes(std::span<uint8_t>(buf, want));
    for (size_t i = 0; i < want && out.size() < n; ++i) {
      if (buf[i] < kLimit) out.push_back(kBase62Alphabet[buf[i] % 62]);
    }
  }
  OPENSSL_cleanse(buf, sizeof(buf));
  return out;
}

std::string NewId() { return RandomBase62(kIdLength); }
std::string NewApiKey() { return PrefixedKey(kApiKeyPrefix); }
std::string NewRootKey() { return PrefixedKey(kRootKeyPrefix); }

Digest Sha256(std::string_view data) {
  static_assert(std::tuple_size_v<Digest> == SHA256_DIGEST_LENGTH);
  Digest d;
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  SHA256_Final(d.data(), &ctx);
  return d;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool ConstantTimeEquals(const Digest& a, const Digest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool IsBase62(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!ok) return false;
  }
  return true;
}

std::string HexEncode(std::span<const uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  return out;
}

std::optional<Digest> DigestFromHex(std::string_view hex) {
  Digest d;
  if (hex.size() != 2 * d.size()) return std::nullopt;
  for (size_t i = 0; i < d.size(); ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    d[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return d;
}

}  // namespace ihub
