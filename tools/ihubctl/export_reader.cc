// Reading a JSON export back into a Store. See export_reader.h.
#include "tools/ihubctl/export_reader.h"

#include <cerrno>
#include <cstdio>
#include <string_view>
#include <type_traits>
#include <variant>

#include <simdjson.h>

#include "codec/form.h"
#include "store/file_io.h"
#include "store/snapshot.h"
#include "store/store.h"

namespace ihub::ctl {
namespace {

namespace od = simdjson::ondemand;

constexpr std::string_view kExportFormat = "ihub-snapshot-export";
constexpr size_t kApplyChunk = 4096;  // records per Store::Apply

Status Invalid(const std::string& path, const std::string& what) {
  return Status::InvalidArgument(path + ": not a usable export: " + what);
}

Status JsonError(const std::string& path, simdjson::error_code e) {
  return Invalid(path, std::string("JSON: ") + simdjson::error_message(e));
}

// Reads one record of table `kind` ({"fields": ..., "raw": "<base64>"}) and adds its Put to
// `batch`. Only "raw" is read.
Status ReadRecord(const std::string& path, std::string_view kind, od::value record,
                  MutationBatch* batch) {
  od::object object;
  if (auto e = record.get_object().get(object)) return JsonError(path, e);
  std::string_view raw;
  if (auto e = object.find_field_unordered("raw").get_string().get(raw)) {
    return Invalid(path, "a record of " + std::string(kind) + " has no \"raw\" string (" +
                             simdjson::error_message(e) + ")");
  }
  Result<std::string> bytes = Base64Decode(raw);
  if (!bytes.ok()) return Invalid(path, "a record's \"raw\" is not base64");
  MutationBatch one;
  if (Status s = DecodeBatch(*bytes, &one); !s.ok() || one.size() != 1) {
    return Invalid(path, "a record's \"raw\" is not one record");
  }
  bool put_of_kind = false;
  std::visit(
      [&](const auto& op) {
        if constexpr (requires { op.record; }) {
          put_of_kind = std::decay_t<decltype(op.record)>::kKind == kind;
        }
      },
      one.front());
  if (!put_of_kind) return Invalid(path, "a record under \"" + std::string(kind) + "\" is not one");
  batch->push_back(std::move(one.front()));
  return Status::Ok();
}

// Reads "tables": {"<kind>": [record, ...], ...} into `store`.
Status ReadTables(const std::string& path, od::value tables, Store* store,
                  const std::function<void()>& tick) {
  od::object object;
  if (auto e = tables.get_object().get(object)) return JsonError(path, e);
  MutationBatch batch;
  for (auto table : object) {
    std::string_view kind_view;
    if (auto e = table.unescaped_key().get(kind_view)) return JsonError(path, e);
    const std::string kind(kind_view);
    od::array list;
    if (auto e = table.value().get_array().get(list)) return JsonError(path, e);
    for (auto record : list) {
      od::value value;
      if (auto e = record.get(value)) return JsonError(path, e);
      if (Status s = ReadRecord(path, kind, value, &batch); !s.ok()) return s;
      if (batch.size() == kApplyChunk) {
        store->Apply(batch);
        batch.clear();
        tick();
      }
    }
  }
  store->Apply(batch);
  return Status::Ok();
}

}  // namespace

bool LooksLikeExport(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  int c = 0;
  while ((c = std::fgetc(f)) == ' ' || c == '\n' || c == '\r' || c == '\t') {
  }
  std::fclose(f);
  return c == '{';
}

Result<ExportHeader> LoadExport(const std::string& path, Store* store,
                                const std::function<void(uint64_t, uint64_t)>& progress) {
  simdjson::padded_string json;
  if (simdjson::padded_string::load(path).get(json)) {
    return ErrnoStatus("read", path, errno != 0 ? errno : EIO);
  }
  od::parser parser;
  od::document doc;
  if (auto e = parser.iterate(json).get(doc)) return JsonError(path, e);
  od::object root;
  if (auto e = doc.get_object().get(root)) return JsonError(path, e);

  ExportHeader header;
  bool format_seen = false, version_seen = false, tables_seen = false;
  auto tick = [&] {
    const char* here = nullptr;
    if (progress && !doc.current_location().get(here)) {
      progress(static_cast<uint64_t>(here - json.data()), json.size());
    }
  };
  for (auto field : root) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return JsonError(path, e);
    simdjson::error_code e = simdjson::SUCCESS;
    if (key == "format") {
      std::string_view format;
      e = field.value().get_string().get(format);
      if (!e && format != kExportFormat) return Invalid(path, "\"format\" is not " + std::string(kExportFormat));
      format_seen = true;
    } else if (key == "version") {
      uint64_t version = 0;
      e = field.value().get_uint64().get(version);
      if (!e && (version == 0 || version > kSnapshotVersion)) {
        return Invalid(path, "format version " + std::to_string(version) + " is not one this build reads (1.." +
                                 std::to_string(kSnapshotVersion) + ")");
      }
      version_seen = true;
    } else if (key == "sequence") {
      e = field.value().get_uint64().get(header.sequence);
    } else if (key == "journalSeq") {
      e = field.value().get_uint64().get(header.journal_seq);
    } else if (key == "createdAtMs") {
      e = field.value().get_int64().get(header.created_at_ms);
    } else if (key == "tables") {
      // The exporter writes the header fields first, so the format is known before any record.
      if (!format_seen || !version_seen) return Invalid(path, "\"tables\" before \"format\" and \"version\"");
      if (Status s = ReadTables(path, field.value(), store, tick); !s.ok()) return s;
      tables_seen = true;
    }
    if (e) return JsonError(path, e);
  }
  if (!tables_seen) return Invalid(path, "no \"tables\"");
  if (header.sequence == 0) return Invalid(path, "no \"sequence\"");
  store->Apply({}, header.journal_seq);
  return header;
}

}  // namespace ihub::ctl
