// CryptoBox: AES-256-GCM encryption at rest for third-party secrets, and the
// loading of its key (API-DECISIONS items 109 and 110).
//
// Sealed values are self-describing byte strings:
//   sealed := version (1 byte, kSealVersion) | nonce (12 bytes, random per seal)
//             | ciphertext (as long as the plaintext) | GCM tag (16 bytes)
// Optional associated data (e.g. the owning record's id) is authenticated but
// not stored, so a sealed value copied into another record fails to open.
// With a random 96-bit nonce, one key stays safe for far more seals than ihub
// will ever make (NIST's limit for random nonces is 2^32 per key).
//
// The key comes from, in order: the --encryption-key-file flag, the
// IHUB_ENCRYPTION_KEY environment variable, or <data-dir>/data.key, which is
// generated (mode 0600) on first start. Key text is 64 hex digits or base64 of
// 32 bytes. The key is never logged; warnings name paths only.
//
// Thread-safety: a CryptoBox is immutable after construction and may be used
// from any number of threads at once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/status.h"

namespace ihub {

inline constexpr size_t kEncryptionKeyBytes = 32;
inline constexpr size_t kSealNonceBytes = 12;
inline constexpr size_t kSealTagBytes = 16;
inline constexpr uint8_t kSealVersion = 1;
inline constexpr size_t kSealOverhead = 1 + kSealNonceBytes + kSealTagBytes;
inline constexpr std::string_view kDataKeyFileName = "data.key";
inline constexpr std::string_view kEncryptionKeyEnv = "IHUB_ENCRYPTION_KEY";

using EncryptionKey = std::array<uint8_t, kEncryptionKeyBytes>;

class CryptoBox {
 public:
  explicit CryptoBox(const EncryptionKey& key) : key_(key) {}
  ~CryptoBox();
  CryptoBox(const CryptoBox&) = default;
  CryptoBox& operator=(const CryptoBox&) = default;

  // Encrypts `plaintext` under a fresh random nonce. Errors: kInvalidArgument
  // for inputs over 1 GiB; kInternal if OpenSSL fails.
  Result<std::string> Seal(std::string_view plaintext, std::string_view aad = {}) const;

  // Decrypts a value made by Seal with the same key and `aad`. Errors:
  // kInvalidArgument if it is malformed, or was altered, or the key or aad
  // differ (GCM tag mismatch) — never returns unauthenticated bytes.
  Result<std::string> Open(std::string_view sealed, std::string_view aad = {}) const;

 private:
  EncryptionKey key_;
};

// Parses 64 hex digits or standard base64 of exactly 32 bytes; surrounding
// whitespace is ignored. The error message never echoes the input.
Result<EncryptionKey> ParseEncryptionKey(std::string_view text);

enum class KeySource { kKeyFile, kEnvironment, kDataDirFile, kGenerated };

struct KeyOptions {
  std::string key_file;                  // --encryption-key-file; empty if not given
  std::optional<std::string> env_value;  // IHUB_ENCRYPTION_KEY, if set
  std::string data_dir;                  // where data.key lives or is generated
};

struct LoadedKey {
  EncryptionKey key{};
  KeySource source = KeySource::kGenerated;
  std::string path;                   // the file read or written; empty for the env
  std::vector<std::string> warnings;  // for the caller to log; never contain key bytes
};

// Loads the key per the order above; generates <data_dir>/data.key (0600,
// fsynced, created exclusively) when none exists. Errors: kInvalidArgument
// for an unparseable key; kInternal for I/O failures.
Result<LoadedKey> LoadEncryptionKey(const KeyOptions& options);

}  // namespace ihub
