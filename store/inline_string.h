// InlineString<N>: a string of at most N bytes held in the object itself, for identifiers a hot
// path reads (a client's key as its map key, its org id).
//
// libstdc++'s std::string keeps at most 15 bytes inline; a 22-character org id or a 25-character
// client key lives in a heap block, so reading one costs a cache miss of its own on top of the
// record's. Held inline, the bytes arrive with the record's cache lines.
//
// Serialized exactly as a std::string (cereal minimal serialization), so a record that switches a
// field from std::string to InlineString keeps its binary and JSON forms. Loading a longer string
// throws cereal::Exception, which the loaders turn into a Status: only a damaged file has one.
//
// Thread-safety: a plain value.
#pragma once

#include <array>
#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>

#include <cereal/details/helpers.hpp>

namespace ihub {

template <size_t N>
class InlineString {
  static_assert(N > 0 && N < 256, "the length is held in one byte");

 public:
  static constexpr size_t kCapacity = N;

  InlineString() = default;
  // REQUIRES: Fits(s). Callers take s from ids ihub generates or from a checked input.
  explicit InlineString(std::string_view s) { assign(s); }
  InlineString& operator=(std::string_view s) {
    assign(s);
    return *this;
  }

  static bool Fits(std::string_view s) { return s.size() <= N; }

  std::string_view view() const { return std::string_view(bytes_.data(), size_); }
  operator std::string_view() const { return view(); }  // NOLINT: reads like the string it is
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  friend bool operator==(const InlineString& a, const InlineString& b) {
    return a.view() == b.view();
  }
  friend bool operator==(const InlineString& a, std::string_view b) { return a.view() == b; }

  template <typename Archive>
  std::string save_minimal(const Archive&) const {
    return std::string(view());
  }
  template <typename Archive>
  void load_minimal(const Archive&, const std::string& s) {
    if (!Fits(s)) throw cereal::Exception("string longer than " + std::to_string(N) + " bytes");
    assign(s);
  }

 private:
  void assign(std::string_view s) {
    assert(Fits(s));
    size_ = static_cast<uint8_t>(s.size() < N ? s.size() : N);
    s.copy(bytes_.data(), size_);
  }

  uint8_t size_ = 0;
  std::array<char, N> bytes_{};
};

}  // namespace ihub
