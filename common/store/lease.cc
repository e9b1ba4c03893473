#include "common/store/lease.h"

#include <unistd.h>

#include <climits>

#include "absl/strings/str_cat.h"
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
  return tx.Exec("UPDATE leases SET expires_us = 0 WHERE name = $1 AND holder = $2",
                 {name, holder})
      .status();
}

std::string LeaseHolderName() {
  char host[HOST_NAME_MAX + 1] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return absl::StrCat(host[0] == '\0' ? "host" : host, "-", getpid());
}

}  // namespace chainhub
