// Helpers shared by the store tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>

#include "store/store.h"

namespace ihub {

// Stores `record` in one committed write and returns the write's sequence.
template <typename Record>
uint64_t PutRecord(Store& store, const Record& record) {
  auto seq = store.Write([&](WriteTxn& txn) {
    txn.Put(record);
    return Status::Ok();
  });
  EXPECT_TRUE(seq.ok());
  return seq.ok() ? *seq : 0;
}

}  // namespace ihub
