#include "store/snapshot.h"

#include <chrono>
#include <optional>
#include <ostream>
#include <tuple>

#include <boost/unordered/unordered_flat_map.hpp>
#include <cereal/archives/binary.hpp>

#include "store/client_record.h"
#include "store/store.h"

namespace ihub {
namespace {

constexpr size_t kLoadBatch = 4096;  // records per Store::Apply while loading

// Appends everything written to it to a std::string.
class StringSink : public std::streambuf {
 public:
  explicit StringSink(std::string* out) : out_(out) {}
  void Retarget(std::string* out) { out_ = out; }

 protected:
  int_type overflow(int_type ch) override {
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      out_->push_back(traits_type::to_char_type(ch));
    }
    return traits_type::not_eof(ch);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    out_->append(s, static_cast<size_t>(n));
    return n;
  }

 private:
  std::string* out_;
};

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A table's copy is a plain vector: capture is a sequence of appends, and only
// the keys that commits touched during the capture are ever looked up.
template <typename Record>
using ImageTable = std::vector<Record>;
template <typename Kinds>
struct ImageOf;
template <typename... Records>
struct ImageOf<KindList<Records...>> {
  using type = std::tuple<ImageTable<Records>...>;
};

}  // namespace

using StoreImage = typename ImageOf<RecordKinds>::type;

// Copies the store into a StoreImage at one journal sequence (header comment).
class SnapshotCapture {
 public:
  static uint64_t Run(const Store& store, CommitTap* tap, StoreImage* image) {
    if (tap == nullptr) {
      return store.WithWritesPaused([&] {
        CopyShards(store, image);
        return store.last_seq();
      });
    }
    store.WithWritesPaused([&] {
      tap->log_.clear();
      tap->active_ = true;
    });
    CopyShards(store, image);
    std::vector<std::pair<uint64_t, MutationBatch>> log;
    uint64_t end_seq = store.WithWritesPaused([&] {
      tap->active_ = false;
      log.swap(tap->log_);
      return store.last_seq();
    });
    // Every shard was copied at some state between the start and end; replaying
    // the batches committed in between, in order, lands every key on its state
    // at end_seq (Put and Erase are whole-record and idempotent).
    if (!log.empty()) RollForward(log, image);
    return end_seq;
  }

 private:
  static void CopyShards(const Store& store, StoreImage* image) {
    store.ForEachTable([&](const auto& table) {
      using Record = typename std::decay_t<decltype(table)>::RecordType;
      auto& out = std::get<ImageTable<Record>>(*image);
      out.reserve(table.size() + table.size() / 16);
      const auto& map = table.records();
      for (size_t shard = 0; shard < map.kShards; ++shard) {
        map.ForEachInShard(shard, [&](const auto&, const Record& r) { out.push_back(r); });
      }
    });
  }

  // The final state of each key touched by the log: a record, or nullopt if erased.
  template <typename Record>
  using Touched = boost::unordered_flat_map<typename Record::Key, std::optional<Record>,
                                            typename Record::KeyHash, std::equal_to<>>;

  static void RollForward(const std::vector<std::pair<uint64_t, MutationBatch>>& log,
                          StoreImage* image) {
    std::apply([&](auto&... tables) { (RollTable(log, tables), ...); }, *image);
  }

  template <typename Record>
  static void RollTable(const std::vector<std::pair<uint64_t, MutationBatch>>& log,
                        ImageTable<Record>& table) {
    Touched<Record> last;
    for (const auto& [seq, batch] : log) {
      for (const Mutation& m : batch) {
        if (const auto* put = std::get_if<Put<Record>>(&m)) {
          last.insert_or_assign(put->record.key(), put->record);
        } else if (const auto* erase = std::get_if<Erase<Record>>(&m)) {
          last.insert_or_assign(erase->key, std::nullopt);
        }
      }
    }
    if (last.empty()) return;
    // Rewrite the copies of touched keys in place, then append the keys the copy lacked.
    size_t kept = 0;
    for (size_t i = 0; i < table.size(); ++i) {
      auto it = last.find(table[i].key());
      if (it == last.end()) {
        if (kept != i) table[kept] = std::move(table[i]);
        ++kept;
      } else if (it->second) {
        table[kept++] = std::move(*it->second);
        last.erase(it);
      } else {
        last.erase(it);
      }
    }
    table.resize(kept);
    for (auto& [key, record] : last) {
      if (record) table.push_back(std::move(*record));
    }
  }
};

std::string EncodeBatch(const MutationBatch& batch) {
  std::string out;
  out.reserve(256);  // a token or client record batch, without regrowth
  // One stream per thread, pointed at each call's string: constructing a std::ostream (its
  // locale and ios state) cost more than encoding a token's batch.
  thread_local StringSink sink(nullptr);
  thread_local std::ostream os(&sink);
  sink.Retarget(&out);
  os.clear();
  {
    cereal::BinaryOutputArchive ar(os);
    ar(batch);
  }
  sink.Retarget(nullptr);
  return out;
}

Status DecodeBatch(std::string_view payload, MutationBatch* batch) {
  MemoryStreambuf buf(payload);
  std::istream is(&buf);
  try {
    cereal::BinaryInputArchive ar(is);
    ar(*batch);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("journal record does not parse: ") + e.what());
  }
  return Status::Ok();
}

Result<StoreSnapshotResult> WriteStoreSnapshot(const Store& store, CommitTap* tap,
                                               const std::string& path, uint64_t sequence,
                                               int64_t created_at_ms) {
  StoreSnapshotResult result;
  auto t0 = std::chrono::steady_clock::now();
  StoreImage image;
  uint64_t journal_seq = SnapshotCapture::Run(store, tap, &image);
  result.capture_seconds = SecondsSince(t0);
  t0 = std::chrono::steady_clock::now();

  auto writer = SnapshotFileWriter::Create(path, std::tuple_size_v<StoreImage>);
  if (!writer.ok()) return writer.status();
  std::vector<TableCount> counts;
  try {
    cereal::BinaryOutputArchive ar((*writer)->stream());
    ar(static_cast<uint32_t>(std::tuple_size_v<StoreImage>));
    std::apply(
        [&](const auto&... tables) {
          auto one = [&](const auto& table) {
            using Record = typename std::decay_t<decltype(table)>::value_type;
            ar(std::string(Record::kKind), static_cast<uint64_t>(table.size()));
            for (const Record& record : table) ar(record);
            counts.push_back({std::string(Record::kKind), table.size()});
          };
          (one(tables), ...);
        },
        image);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("snapshot serialization failed: ") + e.what());
  }
  auto header = (*writer)->Commit(sequence, journal_seq, created_at_ms, std::move(counts));
  if (!header.ok()) return header.status();
  result.header = std::move(*header);
  result.path = path;
  result.write_seconds = SecondsSince(t0);
  return result;
}

namespace {

// Reads one table's records, calling put(Put<Record>) for each.
template <typename Record, typename Fn>
void ReadTable(cereal::BinaryInputArchive& ar, uint64_t count, Fn&& put) {
  for (uint64_t i = 0; i < count; ++i) {
    Put<Record> op;
    ar(op.record);
    put(Mutation(std::move(op)));
  }
}

// Reads one table of kind `kind`; false if the kind is unknown.
template <typename... Records, typename Fn>
bool ReadKnownTable(KindList<Records...>, cereal::BinaryInputArchive& ar, std::string_view kind,
                    uint64_t count, Fn&& put) {
  bool known = false;
  auto one = [&]<typename R>() {
    if (!known && R::kKind == kind) {
      known = true;
      ReadTable<R>(ar, count, put);
    }
  };
  (one.template operator()<Records>(), ...);
  return known;
}

}  // namespace

Status VisitSnapshotPayload(std::string_view payload,
                            const std::function<void(std::string_view, uint64_t)>& on_table,
                            const std::function<void(Mutation&&)>& on_record) {
  MemoryStreambuf buf(payload);
  std::istream is(&buf);
  try {
    cereal::BinaryInputArchive ar(is);
    uint32_t tables = 0;
    ar(tables);
    if (tables > kMaxTables) return Status::InvalidArgument("snapshot payload: too many tables");
    for (uint32_t t = 0; t < tables; ++t) {
      std::string kind;
      uint64_t count = 0;
      ar(kind, count);
      // Every record takes at least one byte: a count beyond the payload is damage.
      if (count > payload.size()) return Status::InvalidArgument("snapshot payload: bad count");
      if (on_table) on_table(kind, count);
      if (!ReadKnownTable(RecordKinds{}, ar, kind, count, on_record)) {
        return Status::InvalidArgument("snapshot payload: unknown table " + kind);
      }
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("snapshot payload does not parse: ") + e.what());
  }
  return Status::Ok();
}

Result<SnapshotHeader> LoadStoreSnapshot(const std::string& path, Store* store,
                                         const std::function<void(uint64_t, uint64_t)>& progress) {
  auto file = ReadSnapshotFile(path, progress);
  if (!file.ok()) return file.status();
  MutationBatch batch;
  batch.reserve(kLoadBatch);
  auto flush = [&] {
    store->Apply(batch);
    batch.clear();
  };
  Status s = VisitSnapshotPayload(file->payload, nullptr, [&](Mutation&& put) {
    batch.push_back(std::move(put));
    if (batch.size() == kLoadBatch) flush();
  });
  if (!s.ok()) {
    // The checksum matched, so this is not damage but a file this build cannot
    // read (or a bug): never skip it silently.
    return Status::Internal("snapshot " + path + " passes its checksum but does not load: " +
                            s.message());
  }
  flush();
  store->Apply({}, file->header.journal_seq);
  return std::move(file->header);
}

}  // namespace ihub
