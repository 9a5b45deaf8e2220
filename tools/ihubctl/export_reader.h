// Reading a JSON export (`ihubctl snapshot export`) back into a Store, for `snapshot restore`
// from an export (API.md §6).
//
// An export holds each record twice: "fields", cereal's JSON view for people and scripts, and
// "raw", the base64 of the record's exact binary form (one journal batch of one Put). Only "raw"
// is read back, so a restore is bit-exact, sealed secrets included; "fields" is ignored.
//
// Thread-safety: single-threaded tool code.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "store/status.h"

namespace ihub {
class Store;
}

namespace ihub::ctl {

// The export's own header: the snapshot it was made from.
struct ExportHeader {
  uint64_t sequence = 0;     // the snapshot counter (its file name)
  uint64_t journal_seq = 0;  // the journal sequence the snapshot covers
  int64_t created_at_ms = 0;
};

// Whether the file at `path` is an export (JSON, first non-blank byte '{') rather than a
// snapshot file (binary, starting with its magic). False if it cannot be read.
bool LooksLikeExport(const std::string& path);

// Reads the export at `path` into `store`, whose last_seq() becomes the export's journalSeq.
// InvalidArgument for anything that is not a whole, well-formed export of a format version this
// build reads (and then `store` may hold part of it); an I/O error when the file cannot be read.
// progress(done, total) is called with bytes of the file. REQUIRES: `store` is empty.
Result<ExportHeader> LoadExport(const std::string& path, Store* store,
                                const std::function<void(uint64_t, uint64_t)>& progress);

}  // namespace ihub::ctl
