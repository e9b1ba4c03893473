#include "common/store/lease.h"

#include <climits>
#include <thread>

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/base/log.h"
#include "common/base/status_util.h"

namespace chainhub {

absl::StatusOr<std::optional<int64_t>> AcquireLease(SqlTx& tx, const std::string& name,
                                                    const std::string& holder, absl::Duration ttl,
                                                    absl::Time now) {
  CHAINHUB_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO leases (name, holder, token, expires_us) VALUES ($1, '', 0, 0) "
              "ON CONFLICT (name) DO NOTHING",
              {name})
          .status());
  CHAINHUB_ASSIGN_OR_RETURN(
      SqlRow row,
      tx.QueryOne("SELECT holder, token, expires_us FROM leases WHERE name = $1", {name}));
  const bool mine = row.Text(0) == holder;
  if (!mine && row.Int(2) > absl::ToUnixMicros(now)) return std::optional<int64_t>();
  const int64_t token = mine ? row.Int(1) : row.Int(1) + 1;
  CHAINHUB_RETURN_IF_ERROR(
      tx.Exec("UPDATE leases SET holder = $2, token = $3, expires_us = $4 WHERE name = $1",
              {name, holder, token, absl::ToUnixMicros(now + ttl)})
          .status());
  return std::optional<int64_t>(token);
}

absl::Status CheckLease(SqlTx& tx, const std::string& name, const std::string& holder,
                        int64_t token, absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT 1 FROM leases WHERE name = $1 AND holder = $2 AND token = $3 "
                          "AND expires_us > $4",
                          {name, holder, token, absl::ToUnixMicros(now)}));
  if (rows.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("lease ", name, " is no longer held by ", holder));
  }
  return absl::OkStatus();
}

absl::Status ReleaseLease(SqlTx& tx, const std::string& name, const std::string& holder) {
  return tx.Exec("UPDATE leases SET expires_us = 0 WHERE name = $1 AND holder = $2", {name, holder})
      .status();
}

absl::Status RunUnderLease(Store& store, const std::string& name, const std::string& holder,
                           absl::Duration ttl, const std::function<bool()>& stop_waiting,
                           const std::function<absl::Status()>& job) {
  auto acquire = [&]() -> absl::StatusOr<bool> {
    std::optional<int64_t> token;
    CHAINHUB_RETURN_IF_ERROR(store.Write([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(token, AcquireLease(tx, name, holder, ttl, absl::Now()));
      return absl::OkStatus();
    }));
    return token.has_value();
  };
  bool announced = false;
  for (;;) {
    CHAINHUB_ASSIGN_OR_RETURN(bool held, acquire());
    if (held) break;
    if (!announced) {
      LogInfo("waiting for another replica's lease", {{"lease", name}});
      announced = true;
    }
    if (stop_waiting()) return absl::CancelledError(absl::StrCat("stopped waiting for ", name));
    absl::SleepFor(ttl / 10);
  }
  // Renewed while the job runs, so a long job keeps it; a renewal that fails is retried, and the
  // lease lapses only if the job outlives a whole ttl of failures.
  absl::Mutex mu;
  bool finished = false;
  std::thread renewer([&] {
    for (;;) {
      {
        absl::MutexLock lock(&mu);
        if (mu.AwaitWithTimeout(absl::Condition(&finished), ttl / 3)) return;
      }
      absl::StatusOr<bool> renewed = acquire();
      if (!renewed.ok() || !*renewed) {
        LogWarn("lease not renewed", {{"lease", name},
                                      {"error", renewed.ok() ? "held by another replica"
                                                             : renewed.status().ToString()}});
      }
    }
  });
  absl::Status result = job();
  {
    absl::MutexLock lock(&mu);
    finished = true;
  }
  renewer.join();
  absl::Status released = store.Write([&](SqlTx& tx) { return ReleaseLease(tx, name, holder); });
  if (!released.ok())
    LogWarn("lease not released", {{"lease", name}, {"error", released.ToString()}});
  return result;
}

bool BackfillOnceAcrossReplicas(Store& store, const std::string& service,
                                const std::atomic<bool>& stopping,
                                const std::function<absl::Status()>& backfill) {
  while (!stopping.load()) {
    absl::Status done = RunUnderLease(
        store, absl::StrCat(service, "-backfill"), LeaseHolderName(), absl::Seconds(30),
        [&] { return stopping.load(); }, backfill);
    if (done.ok()) return true;
    LogWarn(absl::StrCat(service, " backfill failed; retrying"),
            {{"error", std::string(done.message())}});
    for (int i = 0; i < 20 && !stopping.load(); ++i) absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

std::string LeaseHolderName() {
  char host[HOST_NAME_MAX + 1] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return absl::StrCat(host[0] == '\0' ? "host" : host, "-", getpid());
}

}  // namespace chainhub
