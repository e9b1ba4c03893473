// The flags every chainhub binary shares (the process contract in docs/architecture.md), each also read from
// the environment as CHAINHUB_<FLAG> (upper case). A flag given on the command line wins over the
// environment.
#ifndef CHAINHUB_COMMON_FLAGS_H_
#define CHAINHUB_COMMON_FLAGS_H_

#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/base/env_flags.h"
#include "common/store/store.h"

ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, data_dir);
ABSL_DECLARE_FLAG(std::string, database_url);
ABSL_DECLARE_FLAG(std::string, redis);
ABSL_DECLARE_FLAG(std::string, redis_password_file);
ABSL_DECLARE_FLAG(bool, require_redis_auth);
ABSL_DECLARE_FLAG(absl::Duration, outbox_republish_window);
ABSL_DECLARE_FLAG(std::string, jwt_secret_file);
ABSL_DECLARE_FLAG(std::string, metrics_listen);
ABSL_DECLARE_FLAG(std::string, tls_cert_file);
ABSL_DECLARE_FLAG(std::string, tls_key_file);
ABSL_DECLARE_FLAG(std::string, tls_client_ca_file);
ABSL_DECLARE_FLAG(std::string, log_level);
ABSL_DECLARE_FLAG(absl::Duration, drain_grace);
ABSL_DECLARE_FLAG(absl::Duration, store_wait);
ABSL_DECLARE_FLAG(int, max_message_bytes);
ABSL_DECLARE_FLAG(int, rpc_threads);
ABSL_DECLARE_FLAG(absl::Duration, event_retention);
ABSL_DECLARE_FLAG(int, rpc_queue_limit);
ABSL_DECLARE_FLAG(int, near_cache_mb);
ABSL_DECLARE_FLAG(int, sqlite_cache_mb);
ABSL_DECLARE_FLAG(int, sqlite_mmap_mb);
ABSL_DECLARE_FLAG(int, sqlite_checkpoint_pages);
ABSL_DECLARE_FLAG(std::string, peer_tls_ca_file);
ABSL_DECLARE_FLAG(std::string, peer_tls_cert_file);
ABSL_DECLARE_FLAG(std::string, peer_tls_key_file);
ABSL_DECLARE_FLAG(absl::Duration, peer_timeout);

namespace chainhub {

inline constexpr int kDefaultRpcThreads = 128;
inline constexpr int kDefaultRpcQueueLimit = 1000;

// How this service calls other chainhub services: TLS (server verified against `tls_ca_file`,
// and this service's certificate for mutual TLS) or plaintext when `tls_ca_file` is empty, and the
// longest deadline of a call.
struct PeerConfig {
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  absl::Duration timeout = absl::Seconds(3);
};

struct ServerConfig {
  std::string service;  // "registry"
  std::string listen;
  std::string data_dir;
  std::string database_url;
  std::string redis;
  // The Redis user's password, read at start (empty: none, or given in `redis`).
  std::string redis_password_file;
  // Refuse to start without Redis credentials.
  bool require_redis_auth = false;
  // OutboxRelayOptions::republish_window.
  absl::Duration outbox_republish_window = absl::Seconds(10);
  std::string jwt_secret_file;
  std::string metrics_listen;
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  // Mutual TLS: which client certificate stands for which principal (calls without a token).
  std::string tls_client_principals_file;
  absl::Duration drain_grace;
  // How long Init waits for a database that refuses connections (UNAVAILABLE).
  absl::Duration store_wait = absl::Minutes(2);
  int max_message_bytes = 0;
  // How long published outbox rows, acknowledged stream entries and inbox rows are kept.
  absl::Duration event_retention = absl::Hours(24 * 7);
  int rpc_threads = kDefaultRpcThreads;
  int rpc_queue_limit = kDefaultRpcQueueLimit;
  // The cache's in-process tier (Cache's near_bytes), in MiB.
  int near_cache_mb = 64;
  // Each SQLite connection's page cache and memory-mapped reads (the embedded store only).
  SqliteTuning sqlite_tuning;
  PeerConfig peer;
};

// Reads the shared flags and checks them (INVALID_ARGUMENT naming the flag).
absl::StatusOr<ServerConfig> ServerConfigFromFlags(std::string service);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_FLAGS_H_
