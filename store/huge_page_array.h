// HugePageArray: a fixed-size array of value-initialized elements for the store's large tables,
// backed by transparent huge pages when it is large enough to fill one.
//
// Why: a token validation reads one slot of a 64 MB table at a random place. With 4 KiB pages the
// slot's page is almost never in the TLB, so the lookup pays a page walk (two-dimensional under a
// hypervisor) before its cache miss even starts. With 2 MiB pages the table needs a few dozen TLB
// entries, which the second-level TLB holds. Linux gives huge pages to anonymous memory only where
// asked (transparent_hugepage=madvise is the common default), only in 2 MiB-aligned ranges, so an
// array of at least kHugePage bytes is mapped on its own, aligned, and advised MADV_HUGEPAGE.
//
// Arrays from kMapThreshold up to 2 MiB are mapped too, on ordinary pages (rounding them up to a
// huge page would waste memory): a growing table frees its old array, and a mapping goes back to
// the kernel when it is freed, where a large block freed to tcmalloc stays resident until tcmalloc
// reuses it. Measured: with the 2 MiB tables mapped and the smaller ones from tcmalloc, a million
// tokens cost 230 bytes of RSS each instead of 170, the difference being the freed 1 MiB tables.
// Smaller arrays come from operator new.
//
// The advice is a hint: where the kernel has no huge pages to give (THP disabled, memory
// fragmented) the array works the same on ordinary pages.
//
// Thread-safety: none of its own; as a plain array.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace ihub {

inline constexpr size_t kHugePage = size_t{2} << 20;
inline constexpr size_t kMapThreshold = size_t{64} << 10;

namespace huge_pages {
// Maps `bytes`; from kHugePage up (then a multiple of it), aligned to kHugePage and advised huge
// pages. Throws std::bad_alloc when the mapping fails.
void* Map(size_t bytes);
void Unmap(void* p, size_t bytes);
}  // namespace huge_pages

template <typename T>
class HugePageArray {
  static_assert(std::is_trivially_destructible_v<T>, "elements are never destroyed one by one");

 public:
  HugePageArray() = default;
  explicit HugePageArray(size_t n) : size_(n) {
    if (n == 0) return;
    if (n * sizeof(T) >= kMapThreshold) {
      // The kernel rounds a small mapping up to whole pages; a large one is whole huge pages.
      mapped_bytes_ = n * sizeof(T) >= kHugePage
                          ? (n * sizeof(T) + kHugePage - 1) / kHugePage * kHugePage
                          : n * sizeof(T);
      data_ = static_cast<T*>(huge_pages::Map(mapped_bytes_));
    } else {
      data_ = static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{alignof(T)}));
    }
    std::uninitialized_value_construct_n(data_, n);
  }
  ~HugePageArray() { Release(); }
  HugePageArray(HugePageArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        mapped_bytes_(std::exchange(other.mapped_bytes_, 0)) {}
  HugePageArray& operator=(HugePageArray&& other) noexcept {
    if (this != &other) {
      Release();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      mapped_bytes_ = std::exchange(other.mapped_bytes_, 0);
    }
    return *this;
  }

  T* get() { return data_; }
  const T* get() const { return data_; }
  size_t size() const { return size_; }
  bool mapped() const { return mapped_bytes_ != 0; }
  bool huge_pages_advised() const { return mapped_bytes_ >= kHugePage; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

 private:
  void Release() {
    if (data_ == nullptr) return;
    if (mapped_bytes_ != 0) {
      huge_pages::Unmap(data_, mapped_bytes_);
    } else {
      ::operator delete(data_, std::align_val_t{alignof(T)});
    }
    data_ = nullptr;
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t mapped_bytes_ = 0;  // 0: from operator new
};

}  // namespace ihub
