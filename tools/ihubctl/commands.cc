#include "tools/ihubctl/commands.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

#include <cereal/archives/json.hpp>

#include "codec/form.h"
#include "codec/json_writer.h"
#include "codec/utf8.h"
#include "store/client_record.h"
#include "store/file_io.h"
#include "store/journal_format.h"
#include "store/journal_reader.h"
#include "store/snapshot.h"
#include "store/snapshot_file.h"
#include "store/store.h"
#include "tools/ihubctl/export_reader.h"

namespace ihub::ctl {
namespace fs = std::filesystem;

Progress::Progress(std::string label) : label_(std::move(label)), tty_(::isatty(2) != 0) {}

Progress::~Progress() {
  if (tty_ && last_percent_ >= 0) std::fputc('\n', stderr);
}

void Progress::Update(uint64_t done, uint64_t total) {
  if (!tty_ || total == 0) return;
  int percent = static_cast<int>(done * 100 / total);
  if (percent == last_percent_) return;
  last_percent_ = percent;
  constexpr int kWidth = 40;
  std::string bar(static_cast<size_t>(percent * kWidth / 100), '#');
  bar.resize(kWidth, ' ');
  std::fprintf(stderr, "\r%s [%s] %3d%%", label_.c_str(), bar.c_str(), percent);
  std::fflush(stderr);
}

namespace {

int Fail(const Status& s) {
  std::fprintf(stderr, "ihubctl: %s\n", s.message().c_str());
  return IsCorruptSnapshot(s) ? kExitDamaged : kExitError;
}

std::string Counts(const SnapshotHeader& h) {
  std::string out;
  for (const TableCount& t : h.tables) {
    if (!out.empty()) out += ",";
    out += t.name + "=" + std::to_string(t.records);
  }
  return out;
}

std::string Iso(int64_t ms) {
  time_t secs = static_cast<time_t>(ms / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Writes `record` as one JSON object (cereal's JSON archive: fields value0, value1, … in
// declaration order; digests as byte arrays, sealed secrets as stored).
template <typename Record>
std::string RecordJson(const Record& record) {
  std::ostringstream os;
  {
    cereal::JSONOutputArchive ar(os, cereal::JSONOutputArchive::Options::NoIndent());
    if constexpr (requires { const_cast<Record&>(record).serialize(ar); }) {
      const_cast<Record&>(record).serialize(ar);  // serialize() only reads when saving
    } else {
      record.save(ar);
    }
  }
  return os.str();
}

// cereal's JSON archive copies string bytes as they are, so a binary field
// (an AES-GCM sealed secret) would make the document invalid JSON. Such bytes
// only occur inside strings (the archive's own syntax is ASCII) and become
// U+FFFD here; the exact record is kept in "raw".
std::string ValidUtf8(const std::string& json) {
  if (IsValidUtf8(json)) return json;
  std::string out;
  const auto* p = reinterpret_cast<const unsigned char*>(json.data());
  for (size_t i = 0; i < json.size();) {
    size_t n = Utf8SequenceLength(p + i, json.size() - i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
    } else {
      out.append(json, i, n);
      i += n;
    }
  }
  return out;
}

// {"fields": the record as JSON, "raw": base64 of its cereal binary form}.
template <typename Record>
std::string ExportRecord(const Record& record) {
  std::string raw = EncodeBatch({Put<Record>{record}});
  return "{\"fields\":" + ValidUtf8(RecordJson(record)) + ",\"raw\":\"" + Base64Encode(raw) + "\"}";
}

}  // namespace

int SnapshotList(const Options& o) {
  auto list = ListSnapshots(o.data_dir + "/snapshots");
  if (!list.ok()) return Fail(list.status());
  std::printf("%-8s %-20s %12s %10s %-8s %s\n", "SEQ", "CREATED", "BYTES", "JOURNAL", "STATUS",
              "RECORDS");
  for (const SnapshotInfo& s : *list) {
    if (!s.header_status.ok()) {
      std::printf("%-8llu %-20s %12llu %10s %-8s %s\n",
                  static_cast<unsigned long long>(s.sequence), "-",
                  static_cast<unsigned long long>(s.size_bytes), "-", "DAMAGED",
                  s.header_status.message().c_str());
      continue;
    }
    std::printf("%-8llu %-20s %12llu %10llu %-8s %s\n",
                static_cast<unsigned long long>(s.sequence), Iso(s.header.created_at_ms).c_str(),
                static_cast<unsigned long long>(s.size_bytes),
                static_cast<unsigned long long>(s.header.journal_seq), "ok",
                Counts(s.header).c_str());
  }
  return kExitOk;
}

int SnapshotVerify(const Options& o) {
  Progress progress("verify");
  auto file = ReadSnapshotFile(o.args[0], [&](uint64_t d, uint64_t t) { progress.Update(d, t); });
  if (!file.ok()) return Fail(file.status());
  uint64_t records = 0;
  Status parsed = VisitSnapshotPayload(file->payload, nullptr, [&](Mutation&&) { ++records; });
  if (!parsed.ok()) return Fail(Status::InvalidArgument(o.args[0] + ": " + parsed.message()));
  std::printf("%s: ok, sequence %llu, journal sequence %llu, %llu records (%s)\n",
              o.args[0].c_str(), static_cast<unsigned long long>(file->header.sequence),
              static_cast<unsigned long long>(file->header.journal_seq),
              static_cast<unsigned long long>(records), Counts(file->header).c_str());
  return kExitOk;
}

int SnapshotExport(const Options& o) {
  Progress progress("export");
  auto file = ReadSnapshotFile(o.args[0], [&](uint64_t d, uint64_t t) { progress.Update(d / 2, t); });
  if (!file.ok()) return Fail(file.status());
  FILE* out = o.output.empty() ? stdout : std::fopen(o.output.c_str(), "w");
  if (out == nullptr) return Fail(ErrnoStatus("create", o.output, errno));
  std::string head;
  JsonWriter w(head);
  w.BeginObject()
      .Field("format", "ihub-snapshot-export")
      .Field("version", kSnapshotVersion)
      .Field("sequence", file->header.sequence)
      .Field("journalSeq", file->header.journal_seq)
      .Field("createdAtMs", file->header.created_at_ms);
  std::fputs(head.c_str(), out);
  std::fputs(",\"tables\":{", out);
  const uint64_t total = file->header.total_records();
  uint64_t done = 0;
  bool first_table = true;
  bool first_record = true;
  Status s = VisitSnapshotPayload(
      file->payload,
      [&](std::string_view kind, uint64_t) {
        std::string name;
        AppendJsonString(name, kind);
        std::fprintf(out, "%s%s:[", first_table ? "" : "]," , name.c_str());
        first_table = false;
        first_record = true;
      },
      [&](Mutation&& m) {
        std::visit([&](const auto& op) {
          if constexpr (requires { op.record; }) {
            std::fputs(first_record ? "\n" : ",\n", out);
            std::fputs(ExportRecord(op.record).c_str(), out);
          }
        }, m);
        first_record = false;
        progress.Update(total + ++done, 2 * total);
      });
  std::fputs(first_table ? "}}\n" : "]}}\n", out);
  if (out != stdout) std::fclose(out);
  if (!s.ok()) return Fail(Status::InvalidArgument(o.args[0] + ": " + s.message()));
  return kExitOk;
}

namespace {

// Empties (with --force) or creates DIR's snapshots/ and journal/ for a restore.
int PrepareRestoreDir(const Options& o, const std::string& snaps, const std::string& journal) {
  std::error_code ec;
  bool has_data = false;
  for (const std::string& d : {snaps, journal}) {
    if (fs::exists(d, ec) && !fs::is_empty(d, ec)) has_data = true;
  }
  if (has_data && !o.force) {
    std::fprintf(stderr, "ihubctl: %s already holds snapshots or a journal; use --force to replace them\n",
                 o.data_dir.c_str());
    return kExitUsage;
  }
  for (const std::string& d : {snaps, journal}) {
    if (has_data) fs::remove_all(d, ec);
    if (Status s = EnsureDir(d); !s.ok()) return Fail(s);
  }
  return kExitOk;
}

// Copies a snapshot file, already verified, into `snaps` under its own name.
Status InstallSnapshotFile(const std::string& src, const std::string& snaps, uint64_t sequence) {
  const std::string dst = snaps + "/" + SnapshotFileName(sequence);
  const std::string tmp = dst + ".tmp";
  std::error_code ec;
  fs::remove(tmp, ec);
  if (Status s = CopyTail(src, 0, tmp); !s.ok()) return s;  // copied and fsynced
  fs::rename(tmp, dst, ec);
  if (ec) return Status::Internal("rename into " + dst + ": " + ec.message());
  return SyncDir(snaps);
}

}  // namespace

// The source is read and checked whole before the data dir is touched: a damaged file or export
// leaves DIR as it was.
int SnapshotRestore(const Options& o) {
  const std::string& src = o.args[0];
  const std::string snaps = o.data_dir + "/snapshots";
  const std::string journal = o.data_dir + "/journal";
  Progress progress("verify");
  auto report = [&](uint64_t d, uint64_t t) { progress.Update(d, t); };
  uint64_t journal_seq = 0;
  if (LooksLikeExport(src)) {
    Store store;
    auto loaded = LoadExport(src, &store, report);
    if (!loaded.ok()) return Fail(loaded.status());
    if (int rc = PrepareRestoreDir(o, snaps, journal); rc != kExitOk) return rc;
    auto written = WriteStoreSnapshot(store, nullptr, snaps + "/" + SnapshotFileName(loaded->sequence),
                                      loaded->sequence, loaded->created_at_ms);
    if (!written.ok()) return Fail(written.status());
    journal_seq = written->header.journal_seq;
  } else {
    auto file = ReadSnapshotFile(src, report);
    if (!file.ok()) return Fail(file.status());
    if (int rc = PrepareRestoreDir(o, snaps, journal); rc != kExitOk) return rc;
    if (Status s = InstallSnapshotFile(src, snaps, file->header.sequence); !s.ok()) return Fail(s);
    journal_seq = file->header.journal_seq;
  }
  std::printf("restored %s into %s (journal sequence %llu)\n", src.c_str(), o.data_dir.c_str(),
              static_cast<unsigned long long>(journal_seq));
  std::fprintf(stderr,
               "ihubctl: note: encrypted secrets need the source's encryption key "
               "(its data.key, --encryption-key-file or IHUB_ENCRYPTION_KEY)\n");
  return kExitOk;
}

int JournalVerify(const Options& o) {
  const std::string dir = o.data_dir + "/journal";
  auto reader = JournalReader::Open(dir, 0);
  if (!reader.ok()) return Fail(reader.status());
  auto segments = ListJournalSegments(dir);
  uint64_t total = 0;
  for (const auto& s : *segments) total += s.size;
  Progress progress("journal");
  uint64_t seq = 0;
  uint64_t first = 0;
  std::string payload;
  while (reader->Next(&seq, &payload)) {
    if (first == 0) first = seq;
    progress.Update(reader->bytes_read(), total);
  }
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.find(".corrupt") != std::string::npos) {
      std::printf("quarantined: %s\n", e.path().c_str());
    }
  }
  std::printf("%zu segments, %llu records, sequences %llu..%llu\n", segments->size(),
              static_cast<unsigned long long>(reader->records_read()),
              static_cast<unsigned long long>(first),
              static_cast<unsigned long long>(reader->last_seq()));
  if (const auto& p = reader->problem()) {
    std::fprintf(stderr, "ihubctl: journal damaged: %s in %s at offset %llu (expected sequence %llu)\n",
                 p->reason.c_str(), p->segment.c_str(), static_cast<unsigned long long>(p->offset),
                 static_cast<unsigned long long>(p->expected_seq));
    return kExitDamaged;
  }
  return kExitOk;
}

}  // namespace ihub::ctl
