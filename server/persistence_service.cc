#include "server/persistence_service.h"

#include <atomic>
#include <cstdlib>
#include <memory>
#include <thread>

#include "server/config.h"
#include "server/logging.h"
#include "server/services.h"
#include "store/clock.h"
#include "store/crypto_box.h"
#include "store/persistence.h"
#include "store/store.h"

namespace ihub {
namespace {

// Lives for the process; main owns Services, this owns what Services points at.
struct State {
  std::unique_ptr<Store> store;
  std::unique_ptr<Clock> clock;
  std::unique_ptr<CryptoBox> crypto;
  std::unique_ptr<Persistence> persistence;
  std::thread restore_thread;
  std::atomic<bool> restore_failed{false};
  std::function<void()> stop;
};

State& state() {
  static State s;
  return s;
}

void LogPersistence(bool warning, const std::string& message) {
  Log(warning ? LogLevel::kWarn : LogLevel::kInfo, "persistence", {{"detail", message}});
}

}  // namespace

bool OpenPersistence(const Config& config, Services& services) {
  State& st = state();
  if (services.store == nullptr) {
    st.store = std::make_unique<Store>();
    services.store = st.store.get();
  }
  if (services.clock == nullptr) {
    st.clock = std::make_unique<Clock>();
    services.clock = st.clock.get();
  }
  KeyOptions key_options;
  key_options.key_file = config.encryption_key_file;
  if (const char* env = std::getenv(std::string(kEncryptionKeyEnv).c_str())) {
    key_options.env_value = env;
  }
  key_options.data_dir = config.data_dir;
  auto key = LoadEncryptionKey(key_options);
  if (!key.ok()) {
    Log(LogLevel::kError, "cannot load the encryption key", {{"error", key.status().message()}});
    return false;
  }
  for (const std::string& w : key->warnings) Log(LogLevel::kWarn, w);
  st.crypto = std::make_unique<CryptoBox>(key->key);
  services.crypto = st.crypto.get();

  auto persistence = Persistence::Open({config.data_dir, config.fsync, config.snapshot_interval_s,
                                        config.snapshot_keep, LogPersistence,
                                        config.group_commit_delay_us},
                                       services.store, services.clock);
  if (!persistence.ok()) {
    Log(LogLevel::kError, "cannot use the data dir", {{"error", persistence.status().message()}});
    return false;
  }
  st.persistence = std::move(*persistence);
  services.persistence = st.persistence.get();
  services.when_durable = [p = st.persistence.get()](uint64_t seq, std::function<void()> on_durable) {
    p->WhenDurable(seq, [seq, on_durable = std::move(on_durable)](const Status& s) {
      if (s.ok()) {
        on_durable();
        return;
      }
      // The write may not be on disk: never acknowledge it. The journal refuses
      // every later write too, so stop serving rather than hang clients.
      Log(LogLevel::kError, "journal failed; stopping",
          {{"sequence", seq}, {"error", s.message()}});
      if (state().stop) state().stop();
    });
  };
  return true;
}

void StartRestore(Services& services, std::function<void()> stop) {
  State& st = state();
  st.stop = stop;
  st.restore_thread = std::thread([&services, &st, stop = std::move(stop)] {
    auto report = st.persistence->Restore();
    if (!report.ok()) {
      Log(LogLevel::kError, "restore failed; not serving",
          {{"error", report.status().message()}});
      st.restore_failed = true;
      stop();
      return;
    }
    services.ready.store(true, std::memory_order_release);
  });
}

int ClosePersistence(Services& services) {
  State& st = state();
  if (st.restore_thread.joinable()) st.restore_thread.join();
  if (st.restore_failed) return 3;
  if (!st.persistence) return 0;
  Status s = st.persistence->Shutdown(/*final_snapshot=*/true);
  if (!s.ok()) {
    Log(LogLevel::kError, "final snapshot or journal close failed", {{"error", s.message()}});
    return 1;
  }
  return 0;
}

}  // namespace ihub
