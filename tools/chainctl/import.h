// `chainctl enterprises import`: a CSV file of enterprises sent to BatchUpsertEnterprises in
// batches. Rows that do not parse are reported with their line and never sent; the batch request
// ids derive from the file's SHA-256, so running the same file again replays instead of writing
// twice. `chainctl seed` loads data/enterprises.csv through the same code.
#ifndef CHAINHUB_TOOLS_CHAINCTL_IMPORT_H_
#define CHAINHUB_TOOLS_CHAINCTL_IMPORT_H_

#include <functional>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tools/chainctl/client.h"

namespace chainhub::chainctl {

inline constexpr int kDefaultBatchSize = 500;
inline constexpr int kMaxBatchSize = 1000;  // the registry's limit per BatchUpsertEnterprises

struct ImportOptions {
  int batch_size = kDefaultBatchSize;
  bool validate_only = false;
  // Request ids are "<prefix>:<sha256(file)[:16]>:<batch index>".
  std::string request_id_prefix = "import";
  // Progress on `err`: a bar when it is a terminal, otherwise a plain line every ~10%.
  bool show_progress = true;
  // When set, rows for which it returns true are counted as unchanged and not sent (seed compares
  // with the live enterprises). What is sent then depends on the registry's state, so each batch's
  // request id derives from the batch's content instead of the file's:
  // "<prefix>:<sha256(batch)[:16]>:<batch index>".
  std::function<bool(const registry::v1::Enterprise&)> unchanged;
};

struct ImportSummary {
  int rows = 0;          // data rows in the file
  int parse_failed = 0;  // rows refused before sending
  int created = 0;
  int updated = 0;
  int unchanged = 0;   // rows options.unchanged held back
  int validated = 0;   // with validate_only: rows the registry accepted
  int row_failed = 0;  // rows the registry refused
  int not_sent = 0;    // rows left unsent after an RPC failure
  // Not OK when the file could not be read or parsed as a whole (bad header, open quote).
  absl::Status file_status;
  // Not OK when a BatchUpsertEnterprises call failed; the import stopped there.
  absl::Status rpc_status;

  int failed() const { return parse_failed + row_failed + not_sent; }
};

// The request id of one batch: "<prefix>:<sha256(bytes)[:16]>:<index>", qualified with the batch
// size when it is not the default and with "validate" for --validate_only, so that the same id is
// never reused for a different request (the registry refuses that).
std::string BatchRequestId(const ImportOptions& options, absl::string_view file_sha256_hex,
                           int batch_index);

// Parses `bytes` (the content of `file_name`), sends the good rows and prints each failed row to
// `err` as "line N: credit_code X: message".
ImportSummary ImportEnterprises(Connection& connection, absl::string_view bytes,
                                const ImportOptions& options, std::ostream& err);

// The whole subcommand: reads `path`, imports, prints the summary to `out`; returns the exit code
// (0 all rows succeeded, 3 some rows failed, 2 an RPC failed, 1 the file is unusable).
int RunImport(Connection& connection, const std::string& path, const ImportOptions& options,
              std::ostream& out, std::ostream& err);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_IMPORT_H_
