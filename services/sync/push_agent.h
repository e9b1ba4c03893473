// The push agent: sends sync's change feed to the ProvinceIngest receiver in batches, in version
// order, and checkpoints after each acknowledgement. A batch's id is made of the versions it
// covers ("{sender}:{first}-{last}-{count}"), so a batch sent again after a crash or a lost reply
// is the same batch to the receiver; the receiver applies each record by version anyway, so
// nothing is applied twice. UNAVAILABLE, DEADLINE_EXCEEDED and other transient failures are
// retried with exponential backoff and jitter; a refusal (PERMISSION_DENIED, INVALID_ARGUMENT,
// UNAUTHENTICATED, FAILED_PRECONDITION) halts the push with the reason and the record it named,
// logs an error and sets chainhub_sync_push_halted until an operator resumes it. Several replicas
// on one PostgreSQL store take turns by a lease, so each batch is sent by one of them.
#ifndef CHAINHUB_SERVICES_SYNC_PUSH_AGENT_H_
#define CHAINHUB_SERVICES_SYNC_PUSH_AGENT_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "chainhub/sync/v1/sync.pb.h"
#include "common/base/clock.h"
#include "common/rpc/call_context.h"
#include "common/store/store.h"
#include "services/sync/province_client.h"

namespace chainhub::sync {

struct PushOptions {
  // Batch ids start with it: the city's name at the receiver.
  std::string sender = "city";
  // Records a batch (at most 1,000, the receiver's limit).
  int batch_size = 500;
  absl::Duration initial_backoff = absl::Milliseconds(200);
  absl::Duration max_backoff = absl::Seconds(30);
  // How long the agent sleeps with nothing to send unless woken (Wake).
  absl::Duration idle_poll = absl::Seconds(1);
  // Replicas on one store push one at a time: the one holding the lease "sync-push", renewed on
  // every round and let go on Stop. A replica that dies keeps it until it expires.
  absl::Duration lease_ttl = absl::Seconds(30);
  // This replica in the lease (empty: LeaseHolderName(), "<hostname>-<pid>").
  std::string holder;
};

class PushAgent {
 public:
  // `client` (not owned) may be disabled: the agent then reports DISABLED and sends nothing.
  PushAgent(Store* store, ProvinceClient* client, PushOptions options, const Clock& clock);
  ~PushAgent();

  void Start();
  void Stop();
  // New changes were committed: send them now rather than at the next poll.
  void Wake();

  // One round: sends the next batch when the push is active, this replica holds the lease and
  // there is a batch. Returns how many records the receiver acknowledged (0: nothing to send, not
  // active, or another replica pushes), or the failure.
  absl::StatusOr<int> PushOnce();

  // Sends `records` as one batch outside the feed (a reconciliation's repair), recorded in the
  // history as kind "repair". Does not move the checkpoint.
  absl::StatusOr<province::v1::IngestBatchResponse> SendRepair(
      const std::vector<province::v1::Record>& records);

  absl::StatusOr<v1::PushStatus> Status();
  absl::StatusOr<v1::ListPushesResponse> List(const v1::ListPushesRequest& request);
  // Operator actions, audited in the same transaction.
  absl::StatusOr<v1::PushStatus> Pause(const AuthorizedCall& call, const std::string& reason);
  absl::StatusOr<v1::PushStatus> Resume(const AuthorizedCall& call);

 private:
  void Run();
  // Records an attempt of `batch_id` (inserting its history row on the first).
  absl::Status RecordAttempt(const std::string& batch_id, absl::string_view kind,
                             int64_t first_version, int64_t last_version, int count,
                             v1::PushOutcome outcome, const province::v1::IngestBatchResponse* ack,
                             const std::string& error);
  absl::Duration Backoff(int failures);

  // Takes or renews the push lease; its fencing token, or nullopt while another replica has it.
  absl::StatusOr<std::optional<int64_t>> HoldLease();

  Store* store_;
  ProvinceClient* client_;
  PushOptions options_;
  // Whether this agent may hold the lease (Stop lets it go).
  std::atomic<bool> held_{false};
  const Clock& clock_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
  std::atomic<int64_t> repairs_{0};
};

}  // namespace chainhub::sync

#endif  // CHAINHUB_SERVICES_SYNC_PUSH_AGENT_H_
