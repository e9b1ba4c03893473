#include "common/service/flags.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/base/status_util.h"
#include "common/cache/redis_client.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "gRPC address HOST:PORT; port 0 picks a free port");
ABSL_FLAG(std::string, data_dir, "", "Directory of the embedded SQLite store");
ABSL_FLAG(std::string, database_url, "", "postgresql://… instead of --data_dir");
ABSL_FLAG(std::string, redis, "127.0.0.1:6379",
          "The shared Redis: HOST:PORT, or redis://[USER[:PASSWORD]@]HOST:PORT for an ACL user "
          "(better: the password in --redis_password_file, out of the command line)");
ABSL_FLAG(std::string, redis_password_file, "",
          "File holding the password of the Redis user named in --redis (trailing newline "
          "ignored)");
ABSL_FLAG(bool, require_redis_auth, false,
          "Refuse to start unless --redis names a user and a password is given (in --redis or "
          "--redis_password_file)");
ABSL_FLAG(absl::Duration, outbox_republish_window, absl::Seconds(10),
          "When Redis comes back as a new run (a restart, which may have lost its last second of "
          "writes), events published this long before the last one it acknowledged are published "
          "again; Redis drops those it still has");
ABSL_FLAG(std::string, jwt_secret_file, "",
          "File holding the HS256 secret for bearer tokens; several lines for a rotation (the first "
          "signs, every one verifies)");
ABSL_FLAG(std::string, metrics_listen, "",
          "HOST:PORT for Prometheus text metrics (off when empty)");
ABSL_FLAG(std::string, tls_cert_file, "", "PEM server certificate (TLS when set)");
ABSL_FLAG(std::string, tls_key_file, "", "PEM server private key");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA for client certificates (mutual TLS when set)");
ABSL_FLAG(std::string, tls_client_principals_file, "",
          "With mutual TLS: lines '<certificate common name> <subject> <roles> [<chains>]'; a "
          "call without a token whose certificate is listed is that principal");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");
ABSL_FLAG(absl::Duration, drain_grace, absl::Seconds(1),
          "On SIGTERM: time reported NOT_SERVING before the server stops taking calls");
ABSL_FLAG(int, max_message_bytes, 16 * 1024 * 1024, "Largest request or response message");
ABSL_FLAG(int, rpc_threads, chainhub::kDefaultRpcThreads,
          "Workers running calls' handlers (SQL, Redis) at once; calls beyond wait in a FIFO "
          "queue of --rpc_queue_limit");
ABSL_FLAG(int, rpc_queue_limit, chainhub::kDefaultRpcQueueLimit,
          "Most calls waiting for a worker; a call beyond is refused with RESOURCE_EXHAUSTED, and "
          "a call whose deadline passes while it waits is not run (DEADLINE_EXCEEDED)");
ABSL_FLAG(std::string, peer_tls_ca_file, "",
          "PEM CA that verifies other chainhub services this one calls (TLS when set, else "
          "plaintext)");
ABSL_FLAG(std::string, peer_tls_cert_file, "",
          "PEM client certificate presented to other chainhub services (mutual TLS)");
ABSL_FLAG(std::string, peer_tls_key_file, "", "PEM private key of --peer_tls_cert_file");
ABSL_FLAG(absl::Duration, peer_timeout, absl::Seconds(3),
          "Longest deadline of a call to another chainhub service; a call made while serving one "
          "gets the smaller of this and the caller's remaining time");

ABSL_FLAG(absl::Duration, event_retention, absl::Hours(24 * 7),
          "How long events are kept: published outbox rows, event stream entries every consumer "
          "group has acknowledged, and inbox rows are removed once this old");

ABSL_FLAG(int, near_cache_mb, 64,
          "Memory for cached values each process keeps in front of Redis (0: none); entries are "
          "dropped on every process when a write invalidates them");

ABSL_FLAG(absl::Duration, store_wait, absl::Minutes(2),
          "How long a starting service waits for its database to accept connections (PostgreSQL "
          "starting beside it) before it gives up");
ABSL_FLAG(int, sqlite_cache_mb, 16,
          "The embedded store: each SQLite connection's page cache in MiB (the writer and each "
          "of the 4 readers has one; it fills with the data up to this)");
ABSL_FLAG(int, sqlite_mmap_mb, 256,
          "The embedded store: how much of the database file each SQLite connection reads "
          "through a memory map, in MiB (0: none); mapped pages show as file-backed resident "
          "memory up to this, and the kernel may drop them");
ABSL_FLAG(int, sqlite_checkpoint_pages, 1000,
          "The embedded store: WAL pages after which a checkpointer thread copies them into the "
          "database file beside the writer (0: the writer checkpoints itself, as SQLite does)");

namespace chainhub {

absl::StatusOr<ServerConfig> ServerConfigFromFlags(std::string service) {
  ServerConfig c;
  c.service = std::move(service);
  c.listen = absl::GetFlag(FLAGS_listen);
  c.data_dir = absl::GetFlag(FLAGS_data_dir);
  c.database_url = absl::GetFlag(FLAGS_database_url);
  c.redis = absl::GetFlag(FLAGS_redis);
  c.redis_password_file = absl::GetFlag(FLAGS_redis_password_file);
  c.require_redis_auth = absl::GetFlag(FLAGS_require_redis_auth);
  c.outbox_republish_window = absl::GetFlag(FLAGS_outbox_republish_window);
  c.jwt_secret_file = absl::GetFlag(FLAGS_jwt_secret_file);
  c.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  c.tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  c.tls_key_file = absl::GetFlag(FLAGS_tls_key_file);
  c.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  c.tls_client_principals_file = absl::GetFlag(FLAGS_tls_client_principals_file);
  c.drain_grace = absl::GetFlag(FLAGS_drain_grace);
  c.store_wait = absl::GetFlag(FLAGS_store_wait);
  c.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  c.rpc_threads = absl::GetFlag(FLAGS_rpc_threads);
  c.event_retention = absl::GetFlag(FLAGS_event_retention);
  c.rpc_queue_limit = absl::GetFlag(FLAGS_rpc_queue_limit);
  c.near_cache_mb = absl::GetFlag(FLAGS_near_cache_mb);
  c.sqlite_tuning.cache_mb = absl::GetFlag(FLAGS_sqlite_cache_mb);
  c.sqlite_tuning.mmap_mb = absl::GetFlag(FLAGS_sqlite_mmap_mb);
  c.sqlite_tuning.checkpoint_pages = absl::GetFlag(FLAGS_sqlite_checkpoint_pages);
  c.peer.tls_ca_file = absl::GetFlag(FLAGS_peer_tls_ca_file);
  c.peer.tls_cert_file = absl::GetFlag(FLAGS_peer_tls_cert_file);
  c.peer.tls_key_file = absl::GetFlag(FLAGS_peer_tls_key_file);
  c.peer.timeout = absl::GetFlag(FLAGS_peer_timeout);

  LogLevel level;
  if (!ParseLogLevel(absl::GetFlag(FLAGS_log_level), &level)) {
    return InvalidField("--log_level", "must be one of debug, info, warn, error");
  }
  SetLogLevel(level);
  if (c.listen.empty() || c.listen.find(':') == std::string::npos) {
    return InvalidField("--listen", "must be HOST:PORT");
  }
  if (c.data_dir.empty() && c.database_url.empty()) {
    return InvalidField("--data_dir", "one of --data_dir or --database_url is required");
  }
  CHAINHUB_ASSIGN_OR_RETURN(RedisOptions redis, ParseRedisAddress(c.redis, "--redis"));
  if (!redis.password.empty() && !c.redis_password_file.empty()) {
    return InvalidField("--redis_password_file",
                        "the password is already in --redis; give it in one place");
  }
  if (c.require_redis_auth && (redis.user.empty() || (redis.password.empty() &&
                                                      c.redis_password_file.empty()))) {
    return InvalidField("--redis",
                        "--require_redis_auth is set: must name a user (redis://USER@HOST:PORT) "
                        "and a password must be given (--redis_password_file)");
  }
  if (c.outbox_republish_window < absl::ZeroDuration()) {
    return InvalidField("--outbox_republish_window", "must not be negative");
  }
  if (c.jwt_secret_file.empty()) {
    return InvalidField("--jwt_secret_file", "is required: every RPC but health needs a token");
  }
  if (c.tls_cert_file.empty() != c.tls_key_file.empty()) {
    return InvalidField("--tls_cert_file", "--tls_cert_file and --tls_key_file go together");
  }
  if (!c.tls_client_principals_file.empty() && c.tls_client_ca_file.empty()) {
    return InvalidField("--tls_client_principals_file",
                        "needs --tls_client_ca_file (client certificates are verified first)");
  }
  if (!c.tls_client_ca_file.empty() && c.tls_cert_file.empty()) {
    return InvalidField("--tls_client_ca_file", "mutual TLS needs --tls_cert_file too");
  }
  if (c.max_message_bytes < 1024) return InvalidField("--max_message_bytes", "must be >= 1024");
  if (c.rpc_threads < 2) return InvalidField("--rpc_threads", "must be >= 2");
  if (c.event_retention < absl::Minutes(1)) {
    return InvalidField("--event_retention", "must be at least 1m");
  }
  if (c.rpc_queue_limit < 0) return InvalidField("--rpc_queue_limit", "must be >= 0");
  if (c.near_cache_mb < 0 || c.near_cache_mb > 65536) {
    return InvalidField("--near_cache_mb", "must be 0-65536");
  }
  if (c.store_wait < absl::ZeroDuration()) return InvalidField("--store_wait", "must be >= 0");
  if (c.sqlite_tuning.cache_mb < 0 || c.sqlite_tuning.cache_mb > 65536) {
    return InvalidField("--sqlite_cache_mb", "must be 0-65536");
  }
  if (c.sqlite_tuning.mmap_mb < 0 || c.sqlite_tuning.mmap_mb > 1048576) {
    return InvalidField("--sqlite_mmap_mb", "must be 0-1048576");
  }
  if (c.sqlite_tuning.checkpoint_pages < 0 || c.sqlite_tuning.checkpoint_pages > 1000000) {
    return InvalidField("--sqlite_checkpoint_pages", "must be 0-1000000");
  }
  if (c.peer.tls_cert_file.empty() != c.peer.tls_key_file.empty()) {
    return InvalidField("--peer_tls_cert_file",
                        "--peer_tls_cert_file and --peer_tls_key_file go together");
  }
  if (!c.peer.tls_cert_file.empty() && c.peer.tls_ca_file.empty()) {
    return InvalidField("--peer_tls_cert_file", "mutual TLS needs --peer_tls_ca_file too");
  }
  if (c.peer.timeout <= absl::ZeroDuration()) {
    return InvalidField("--peer_timeout", "must be positive");
  }
  return c;
}

}  // namespace chainhub
