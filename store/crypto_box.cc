#include "store/crypto_box.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <fstream>
#include <memory>
#include <span>
#include <sstream>

#include "store/file_io.h"
#include "store/secrets.h"

namespace ihub {
namespace {

constexpr size_t kMaxSealInput = 1u << 30;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const EVP_CIPHER* Aes256Gcm() {
  // Fetched once: implicit fetching on every call costs a lock and a lookup.
  static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return cipher;
}

const auto* U8(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

CryptoBox::~CryptoBox() { OPENSSL_cleanse(key_.data(), key_.size()); }

Result<std::string> CryptoBox::Seal(std::string_view plaintext, std::string_view aad) const {
  if (plaintext.size() > kMaxSealInput || aad.size() > kMaxSealInput) {
    return Status::InvalidArgument("value too large to encrypt");
  }
  std::string out(kSealOverhead + plaintext.size(), '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  o[0] = kSealVersion;
  unsigned char* nonce = o + 1;
  RandomBytes(std::span<uint8_t>(nonce, kSealNonceBytes));
  unsigned char* ct = nonce + kSealNonceBytes;
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || Aes256Gcm() == nullptr ||
      EVP_EncryptInit_ex2(ctx.get(), Aes256Gcm(), key_.data(), nonce, nullptr) != 1 ||
      (!aad.empty() &&
       EVP_EncryptUpdate(ctx.get(), nullptr, &len, U8(aad), static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(ctx.get(), ct, &len, U8(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), ct + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kSealTagBytes,
                          ct + plaintext.size()) != 1) {
    return Status::Internal("AES-256-GCM encryption failed");
  }
  return out;
}

Result<std::string> CryptoBox::Open(std::string_view sealed, std::string_view aad) const {
  if (sealed.size() < kSealOverhead || static_cast<uint8_t>(sealed[0]) != kSealVersion ||
      sealed.size() - kSealOverhead > kMaxSealInput || aad.size() > kMaxSealInput) {
    return Status::InvalidArgument("malformed encrypted value");
  }
  const unsigned char* nonce = U8(sealed) + 1;
  const unsigned char* ct = nonce + kSealNonceBytes;
  size_t ct_len = sealed.size() - kSealOverhead;
  std::string out(ct_len, '\0');
  auto* pt = reinterpret_cast<unsigned char*>(out.data());
  // The tag is only read by OpenSSL; the cast drops const for its API.
  auto* tag = const_cast<unsigned char*>(ct + ct_len);
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || Aes256Gcm() == nullptr ||
      EVP_DecryptInit_ex2(ctx.get(), Aes256Gcm(), key_.data(), nonce, nullptr) != 1 ||
      (!aad.empty() &&
       EVP_DecryptUpdate(ctx.get(), nullptr, &len, U8(aad), static_cast<int>(aad.size())) != 1) ||
      EVP_DecryptUpdate(ctx.get(), pt, &len, ct, static_cast<int>(ct_len)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kSealTagBytes, tag) != 1) {
    return Status::Internal("AES-256-GCM decryption failed");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), pt + len, &len) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return Status::InvalidArgument("encrypted value failed authentication");
  }
  return out;
}

Result<EncryptionKey> ParseEncryptionKey(std::string_view text) {
  text = Trim(text);
  EncryptionKey key{};
  if (text.size() == 2 * kEncryptionKeyBytes) {
    bool ok = true;
    for (size_t i = 0; i < kEncryptionKeyBytes && ok; ++i) {
      int hi = HexValue(text[2 * i]);
      int lo = HexValue(text[2 * i + 1]);
      ok = hi >= 0 && lo >= 0;
      key[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    if (ok) return key;
  }
  // Base64 of 32 bytes is 44 characters ending in one '='.
  if (text.size() == 44 && text[43] == '=' && text[42] != '=') {
    unsigned char buf[33];
    if (EVP_DecodeBlock(buf, U8(text), 44) == 33) {
      std::copy(buf, buf + kEncryptionKeyBytes, key.begin());
      OPENSSL_cleanse(buf, sizeof(buf));
      return key;
    }
  }
  return Status::InvalidArgument(
      "encryption key must be 64 hex characters or base64 of 32 bytes");
}

namespace {

Result<EncryptionKey> ReadKeyFile(const std::string& path, std::vector<std::string>* warnings) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("read encryption key file", path, errno);
  if ((st.st_mode & 077) != 0) {
    warnings->push_back("encryption key file " + path +
                        " is readable by group or others; chmod 600 it");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return Status::Internal("read encryption key file " + path);
  std::string s = text.str();
  auto key = ParseEncryptionKey(s);
  OPENSSL_cleanse(s.data(), s.size());
  if (!key.ok()) return Status::InvalidArgument(key.status().message() + " (in " + path + ")");
  return key;
}

Result<EncryptionKey> GenerateKeyFile(const std::string& path) {
  EncryptionKey key{};
  RandomBytes(std::span<uint8_t>(key));
  std::string text = HexEncode(std::span<const uint8_t>(key)) + "\n";
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.valid()) return ErrnoStatus("create encryption key file", path, errno);
  Status s = WriteAll(fd.get(), text.data(), text.size(), path);
  OPENSSL_cleanse(text.data(), text.size());
  if (s.ok() && ::fsync(fd.get()) != 0) s = ErrnoStatus("fsync", path, errno);
  if (!s.ok()) {
    ::unlink(path.c_str());
    return s;
  }
  return key;
}

}  // namespace

Result<LoadedKey> LoadEncryptionKey(const KeyOptions& options) {
  LoadedKey out;
  if (!options.key_file.empty()) {
    if (options.env_value) {
      out.warnings.push_back(std::string(kEncryptionKeyEnv) +
                             " is ignored because --encryption-key-file is given");
    }
    auto key = ReadKeyFile(options.key_file, &out.warnings);
    if (!key.ok()) return key.status();
    out.key = *key;
    out.source = KeySource::kKeyFile;
    out.path = options.key_file;
    return out;
  }
  if (options.env_value) {
    auto key = ParseEncryptionKey(*options.env_value);
    if (!key.ok()) {
      return Status::InvalidArgument(std::string(kEncryptionKeyEnv) + ": " + key.status().message());
    }
    out.key = *key;
    out.source = KeySource::kEnvironment;
    return out;
  }
  out.path = options.data_dir + "/" + std::string(kDataKeyFileName);
  struct stat st {};
  bool exists = ::stat(out.path.c_str(), &st) == 0;
  auto key = exists ? ReadKeyFile(out.path, &out.warnings) : GenerateKeyFile(out.path);
  if (!key.ok()) return key.status();
  if (!exists) {
    if (Status s = SyncDir(options.data_dir); !s.ok()) return s;
  }
  out.key = *key;
  out.source = exists ? KeySource::kDataDirFile : KeySource::kGenerated;
  out.warnings.push_back("encryption key " + out.path +
                         " is stored beside the data, so the data directory alone can decrypt "
                         "the stored secrets; move it elsewhere and pass --encryption-key-file");
  return out;
}

}  // namespace ihub
