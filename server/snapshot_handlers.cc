#include "server/snapshot_handlers.h"

#include <filesystem>
#include <optional>
#include <string>

#include "codec/json_writer.h"
#include "codec/time_format.h"
#include "server/auth.h"
#include "server/problem.h"
#include "server/router.h"
#include "server/services.h"
#include "store/persistence.h"
#include "store/snapshot_file.h"

namespace ihub {
namespace {

// {sequence, createdAt, sizeBytes, records, journalSeq, file}; records per table.
void WriteSnapshot(JsonWriter& w, const SnapshotHeader& h, const std::string& path,
                   uint64_t size_bytes) {
  w.BeginObject()
      .Field("sequence", h.sequence)
      .Field("createdAt", FormatIso8601Millis(h.created_at_ms))
      .Field("sizeBytes", size_bytes);
  w.Key("records").BeginObject();
  for (const TableCount& t : h.tables) w.Field(t.name, t.records);
  w.EndObject();
  w.Field("journalSeq", h.journal_seq)
      .Field("file", std::filesystem::path(path).filename().string())
      .EndObject();
}

Reply CreateSnapshot(Services& services, RequestContext& ctx) {
  if (Status s = AdmitRootCaller(services, ctx.request); !s.ok()) return ProblemResponse(ctx, s);
  if (services.persistence == nullptr) {
    return {ProblemResponse(ctx, Status::Unavailable("persistence is not running"))};
  }
  // The request context dies when the handler returns, so the answers are
  // built now and only filled in by the completion.
  HttpResponse created = JsonResponse(ctx, bhttp::status::created, "{}");
  HttpResponse failed = ProblemResponse(ctx, Status::Internal("snapshot failed"));
  HttpResponse stopping = ProblemResponse(ctx, Status::Unavailable("shutting down"));
  Persistence* persistence = services.persistence;
  Reply reply;
  reply.deferred = [persistence, created = std::move(created), failed = std::move(failed),
                    stopping = std::move(stopping)](Completion done) mutable {
    persistence->RequestSnapshot([done = std::move(done), created = std::move(created),
                                  failed = std::move(failed), stopping = std::move(stopping)](
                                     const Result<StoreSnapshotResult>& result) mutable {
      if (!result.ok()) {
        done(result.status().code() == StatusCode::kUnavailable ? std::move(stopping)
                                                                 : std::move(failed));
        return;
      }
      std::string body;
      JsonWriter w(body);
      WriteSnapshot(w, result->header, result->path,
                    result->header.header_bytes + result->header.payload_bytes);
      created.body() = std::move(body);
      done(std::move(created));
    });
  };
  return reply;
}

Reply ListSnapshotsHandler(Services& services, RequestContext& ctx) {
  if (Status s = AdmitRootCaller(services, ctx.request); !s.ok()) return ProblemResponse(ctx, s);
  if (services.persistence == nullptr) {
    return {ProblemResponse(ctx, Status::Unavailable("persistence is not running"))};
  }
  auto list = ListSnapshots(services.persistence->snapshot_dir());
  if (!list.ok()) return {ProblemResponse(ctx, list.status())};
  std::string body;
  JsonWriter w(body);
  w.BeginObject().Key("items").BeginArray();
  for (auto it = list->rbegin(); it != list->rend(); ++it) {  // newest first
    if (it->header_status.ok()) WriteSnapshot(w, it->header, it->path, it->size_bytes);
  }
  w.EndArray().EndObject();
  return {JsonResponse(ctx, bhttp::status::ok, std::move(body))};
}

}  // namespace

void RegisterSnapshotRoutes(Router& router) {
  router.Add(bhttp::verb::post, "/admin/v1/snapshots", ApiFamily::kAdmin, CreateSnapshot);
  router.Add(bhttp::verb::get, "/admin/v1/snapshots", ApiFamily::kAdmin, ListSnapshotsHandler);
}

}  // namespace ihub
