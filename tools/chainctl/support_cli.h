// What the support verb files (verbs/support_*.cc) share: required flags, arguments refused before
// anything is sent, the files they read, a List fetched whole, and the line each entry of an
// `apply` file gets.
#ifndef CHAINHUB_TOOLS_CHAINCTL_SUPPORT_CLI_H_
#define CHAINHUB_TOOLS_CHAINCTL_SUPPORT_CLI_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/base/env_flags.h"
#include "common/base/fields.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/csv_file.h"
#include "tools/chainctl/support_client.h"

namespace chainhub::chainctl {

using SupportStub = SupportClient::Stub;

// Whether a required flag is missing; when it is, says so as a usage error ("--flag: required
// (what)"), and the caller returns kExitUsage.
inline bool Missing(const Call& call, absl::string_view flag, const std::string& value,
                    absl::string_view what = "") {
  if (!value.empty()) return false;
  Usage(call.err, absl::StrCat("--", flag, ": required", what.empty() ? "" : " (", what,
                               what.empty() ? "" : ")"));
  return true;
}

// A bad argument, refused before anything is sent: its message as a usage error.
inline int BadArgument(const Call& call, const absl::Status& status) {
  return Usage(call.err, status.message());
}

// The text of the file an operand names, or nullopt after a usage error.
inline std::optional<std::string> ReadOperandFile(const Call& call, const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFlagFile(path, "FILE");
  if (!bytes.ok()) {
    Usage(call.err, bytes.status().message());
    return std::nullopt;
  }
  return *std::move(bytes);
}

// A file the service would refuse to read: "<path>: <error>", exit 1.
inline int BadFile(const Call& call, const std::string& path, const absl::Status& status) {
  call.err << path << ": ";
  PrintError(status, call.err, nullptr);
  return kExitUsage;
}

// Today in China, the default of every --date.
inline std::string Today(const Call& call) { return ChinaDate(call.cmd.clock->Now()); }

// --filter and one more condition, joined with AND.
inline std::string AndFilter(const std::string& filter, const std::string& condition) {
  if (filter.empty()) return condition;
  return absl::StrCat("(", filter, ") AND ", condition);
}

// Every page of a List (1000 a call).
template <typename Request, typename Response>
grpc::Status FetchAll(SupportClient& c,
                      grpc::Status (SupportStub::*rpc)(grpc::ClientContext*, const Request&,
                                                       Response*),
                      Request request, Response* out) {
  request.set_page_size(1000);
  return FetchPages(c.connection(), c.stub(), rpc, std::move(request), true, out);
}

// What `apply` did with one entry of a file, and the line it prints: "created   NAME",
// "updated   NAME (officers, cadence)", "unchanged NAME".
enum class Applied { kCreated, kUpdated, kUnchanged };

inline void PrintApplied(std::ostream& out, Applied applied, const std::string& name,
                         const std::vector<std::string>& fields = {}) {
  switch (applied) {
    case Applied::kCreated:
      out << "created   " << name << "\n";
      return;
    case Applied::kUpdated:
      out << "updated   " << name << " (" << absl::StrJoin(fields, ", ") << ")\n";
      return;
    case Applied::kUnchanged:
      out << "unchanged " << name << "\n";
      return;
  }
}

// The counts of an apply, then its failed entries; the exit code (FinishRows).
struct ApplyCounts {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  RowTally tally;

  // Takes one entry's outcome (row counts from 1); false when the apply must stop.
  bool Take(const grpc::Status& status, int row, const std::string& id, Applied applied) {
    if (status.ok()) {
      ++(applied == Applied::kCreated   ? created
         : applied == Applied::kUpdated ? updated
                                        : unchanged);
    }
    return tally.Take(status, row, id, applied != Applied::kUnchanged);
  }

  int Finish(const std::string& path, size_t entries, absl::string_view what, SupportClient& c,
             std::ostream& out, std::ostream& err) {
    const int failed = static_cast<int>(tally.failed.size()) + tally.not_sent;
    out << "applied " << path << ": " << entries << " " << what << ", " << created << " created, "
        << updated << " updated, " << unchanged << " unchanged, " << failed << " failed\n";
    return FinishRows(std::move(tally.failed), failed > 0, tally.stopped,
                      "entries already applied are found and left as they are",
                      c.connection().options(), out, err);
  }
};

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_SUPPORT_CLI_H_
