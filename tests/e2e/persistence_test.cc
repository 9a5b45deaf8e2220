// End-to-end persistence: kill -9 at random moments never loses an acknowledged
// write (fsync always and batch), and damaged snapshots and journals are
// detected, reported, and fallen back from while the server still starts.
#include <csignal>
#include <filesystem>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "store/journal_reader.h"
#include "store/snapshot_file.h"
#include "tests/e2e/e2e_harness.h"
#include "tests/store/temp_dir.h"

namespace ihub::e2e {
namespace {

namespace fs = std::filesystem;

Headers Root() { return {{"X-Api-Key", std::string(TestServer::kRootKey)}}; }

bool WaitReady(const TestServer& server) {
  HttpClient c = server.Client();
  for (int i = 0; i < 200; ++i) {
    if (c.Get("/readyz").status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// Every org id the server lists.
std::set<std::string> ListOrgIds(const TestServer& server) {
  std::set<std::string> ids;
  HttpClient c = server.Client();
  std::string cursor;
  for (;;) {
    std::string target = "/admin/v1/orgs?limit=500";
    if (!cursor.empty()) target += "&cursor=" + cursor;
    HttpResult r = c.Get(target, Root());
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return ids;
    for (auto item : r.Json()["items"].get_array()) {
      ids.insert(std::string(item["id"].get_string().value()));
    }
    auto next = r.Json()["nextCursor"];
    if (next.is_null()) return ids;
    cursor = std::string(next.get_string().value());
  }
}

void CrashRepeatedly(const std::string& fsync, int rounds) {
  testing::TempDir dir;
  TestServer server({{"--fsync", fsync, "--threads", "2", "--snapshot-interval", "1",
                      "--snapshot-keep", "2", "--access-log", "off"},
                     {}, dir.path()});
  ASSERT_TRUE(server.ok()) << server.Logs();
  std::mt19937 rng(std::random_device{}());
  std::set<std::string> acked;
  std::mutex mu;
  for (int round = 0; round < rounds; ++round) {
    ASSERT_TRUE(WaitReady(server)) << server.Logs();
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([&, w] {
        HttpClient c = server.Client();
        for (int n = 0; !stop; ++n) {
          HttpResult r = c.Post("/admin/v1/orgs",
                                R"({"name":"r)" + std::to_string(round) + "w" + std::to_string(w) +
                                    "n" + std::to_string(n) + R"("})",
                                Root());
          if (r.status != 201) {
            if (w == 0 && n % 50 == 0) c.Post("/admin/v1/snapshots", "", Root());
            continue;  // the server is gone; keep trying until told to stop
          }
          std::lock_guard lock(mu);
          acked.insert(std::string(r.Json()["id"].get_string().value()));
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + rng() % 900));
    EXPECT_EQ(server.Stop(SIGKILL), 128 + SIGKILL);
    stop = true;
    for (auto& t : writers) t.join();
    ASSERT_TRUE(server.Start()) << server.Logs();
    ASSERT_TRUE(WaitReady(server)) << server.Logs();
    std::set<std::string> present = ListOrgIds(server);
    size_t missing = 0;
    for (const std::string& id : acked) missing += present.count(id) == 0;
    ASSERT_EQ(missing, 0u) << "round " << round << ": " << missing << " of " << acked.size()
                           << " acknowledged writes lost (fsync " << fsync << ")";
  }
  EXPECT_GT(acked.size(), 100u);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

TEST(PersistenceE2ETest, KillNineNeverLosesAnAcknowledgedWriteWithBatch) { CrashRepeatedly("batch", 12); }

TEST(PersistenceE2ETest, KillNineNeverLosesAnAcknowledgedWriteWithAlways) { CrashRepeatedly("always", 8); }

// Writes `n` orgs and returns their ids.
std::vector<std::string> WriteOrgs(const TestServer& server, int n) {
  std::vector<std::string> ids;
  HttpClient c = server.Client();
  for (int i = 0; i < n; ++i) {
    HttpResult r = c.Post("/admin/v1/orgs", R"({"name":"o)" + std::to_string(i) + R"("})", Root());
    EXPECT_EQ(r.status, 201);
    ids.emplace_back(r.Json()["id"].get_string().value());
  }
  return ids;
}

TEST(PersistenceE2ETest, DamagedSnapshotsAreReportedAndFallenBackFrom) {
  testing::TempDir base;
  std::string golden = base.Sub("golden");
  std::set<std::string> all;
  std::string newest;
  {
    TestServer server({{"--snapshot-interval", "0", "--access-log", "off"}, {}, golden});
    ASSERT_TRUE(server.ok() && WaitReady(server)) << server.Logs();
    for (auto& id : WriteOrgs(server, 20)) all.insert(id);
    HttpClient c = server.Client();
    ASSERT_EQ(c.Post("/admin/v1/snapshots", "", Root()).status, 201);
    for (auto& id : WriteOrgs(server, 20)) all.insert(id);
    HttpResult second = c.Post("/admin/v1/snapshots", "", Root());
    ASSERT_EQ(second.status, 201) << second.body;
    newest = golden + "/snapshots/" + std::string(second.Json()["file"].get_string().value());
    for (auto& id : WriteOrgs(server, 5)) all.insert(id);
    EXPECT_EQ(server.Stop(SIGKILL), 128 + SIGKILL);  // no final snapshot
  }
  const std::string bytes = testing::ReadAll(newest);
  std::mt19937 rng(42);
  std::vector<std::pair<std::string, std::string>> damages;  // what, new bytes
  for (size_t cut : {size_t{0}, size_t{7}, size_t{40}, size_t{100}, bytes.size() / 2, bytes.size() - 1}) {
    damages.emplace_back("truncated at " + std::to_string(cut), bytes.substr(0, cut));
  }
  for (int i = 0; i < 6; ++i) {
    std::string flipped = bytes;
    size_t at = rng() % flipped.size();
    flipped[at] ^= static_cast<char>(1 << (rng() % 8));
    damages.emplace_back("bit flipped at byte " + std::to_string(at), flipped);
  }
  for (const auto& [what, damaged] : damages) {
    std::string dir = base.Sub("run");
    fs::remove_all(dir);
    fs::copy(golden, dir, fs::copy_options::recursive);
    std::string target = dir + "/snapshots/" + fs::path(newest).filename().string();
    testing::WriteAll(target, damaged);
    TestServer server({{"--snapshot-interval", "0", "--access-log", "off"}, {}, dir});
    ASSERT_TRUE(server.ok() && WaitReady(server)) << what << "\n" << server.Logs();
    EXPECT_EQ(ListOrgIds(server), all) << what;
    EXPECT_TRUE(server.WaitForLog("corrupt snapshot")) << what << "\n" << server.Logs();
    EXPECT_TRUE(fs::exists(target + ".corrupt")) << what;
    EXPECT_EQ(server.Stop(SIGTERM), 0);
  }
}

TEST(PersistenceE2ETest, DamagedJournalTailsAreCutAndReported) {
  testing::TempDir base;
  std::string golden = base.Sub("golden");
  std::vector<std::string> ids;
  {
    TestServer server({{"--snapshot-interval", "0", "--access-log", "off"}, {}, golden});
    ASSERT_TRUE(server.ok() && WaitReady(server)) << server.Logs();
    ids = WriteOrgs(server, 30);
    EXPECT_EQ(server.Stop(SIGKILL), 128 + SIGKILL);
  }
  auto segments = ListJournalSegments(golden + "/journal");
  ASSERT_TRUE(segments.ok());
  ASSERT_FALSE(segments->empty());
  const std::string seg_name = fs::path(segments->back().path).filename().string();
  const std::string bytes = testing::ReadAll(segments->back().path);
  std::mt19937 rng(7);
  for (int i = 0; i < 10; ++i) {
    size_t at = 16 + rng() % (bytes.size() - 16);
    bool truncate = i % 2 == 0;
    std::string damaged = bytes;
    if (truncate) {
      damaged.resize(at);
    } else {
      damaged[at] ^= 0x20;
    }
    std::string dir = base.Sub("run");
    fs::remove_all(dir);
    fs::copy(golden, dir, fs::copy_options::recursive);
    testing::WriteAll(dir + "/journal/" + seg_name, damaged);
    TestServer server({{"--snapshot-interval", "0", "--access-log", "off"}, {}, dir});
    ASSERT_TRUE(server.ok() && WaitReady(server)) << server.Logs();
    std::set<std::string> present = ListOrgIds(server);
    // What survives is a prefix of the writes: everything before the damage.
    size_t prefix = 0;
    while (prefix < ids.size() && present.count(ids[prefix])) ++prefix;
    EXPECT_EQ(present.size(), prefix) << "offset " << at;
    EXPECT_LT(prefix, ids.size()) << "offset " << at;
    EXPECT_TRUE(server.WaitForLog("journal damaged")) << server.Logs();
    // The server keeps working after the cut: new writes land and survive a restart.
    auto more = WriteOrgs(server, 2);
    ASSERT_TRUE(server.Restart(SIGKILL)) << server.Logs();
    ASSERT_TRUE(WaitReady(server));
    std::set<std::string> after = ListOrgIds(server);
    for (const auto& id : more) EXPECT_TRUE(after.count(id)) << "offset " << at;
    EXPECT_EQ(server.Stop(SIGTERM), 0);
  }
}

TEST(PersistenceE2ETest, AnUnreadableDataDirIsAnErrorNotAnEmptyServer) {
  testing::TempDir base;
  std::string file = base.Sub("not-a-dir");
  testing::WriteAll(file, "x");
  TestServer server({{"--access-log", "off"}, {}, file, /*start=*/false});
  EXPECT_FALSE(server.Start());
  EXPECT_NE(server.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace ihub::e2e
