// Mutation: one staged change to the store, as data. A write's batch of mutations is what the
// journal records (cereal) and what replay and snapshot loading hand back to Store::Apply.
//
// The variant holds Put<R> and Erase<R> for each kind of RecordKinds, interleaved in list order
// (Put<R0>, Erase<R0>, Put<R1>, ...), so appending a kind never renumbers existing alternatives:
// cereal writes the variant index, which is therefore part of the on-disk format.
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include <cereal/types/variant.hpp>
#include <cereal/types/vector.hpp>

#include "store/records.h"

namespace ihub {

// Insert or replace `record` (and its index entries).
template <typename Record>
struct Put {
  Record record;
  template <typename Archive>
  void serialize(Archive& ar) {
    ar(record);
  }
};

// Remove the record with primary key `key` (and its index entries); a no-op when absent.
template <typename Record>
struct Erase {
  typename Record::Key key;
  template <typename Archive>
  void serialize(Archive& ar) {
    ar(key);
  }
};

namespace mutation_detail {
template <typename Tuple>
struct TupleToVariant;
template <typename... Ts>
struct TupleToVariant<std::tuple<Ts...>> {
  using type = std::variant<Ts...>;
};
template <typename Kinds>
struct MutationOf;
template <typename... Records>
struct MutationOf<KindList<Records...>> {
  using type = typename TupleToVariant<decltype(std::tuple_cat(
      std::declval<std::tuple<Put<Records>, Erase<Records>>>()...))>::type;
};
}  // namespace mutation_detail

using Mutation = typename mutation_detail::MutationOf<RecordKinds>::type;
using MutationBatch = std::vector<Mutation>;

}  // namespace ihub
