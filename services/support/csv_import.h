// What every CSV import of support (ImportRequests, ImportPolicyItems, ImportSupplierSpend) does
// before its own rows: read the whole ImportRows stream (at most a size), parse it as a file
// (byte-order mark and leading "# …" comment lines skipped), read the header against the import's
// columns, and hold the row count to a limit. Each data record is then read by its cells.
#ifndef CHAINHUB_SERVICES_SUPPORT_CSV_IMPORT_H_
#define CHAINHUB_SERVICES_SUPPORT_CSV_IMPORT_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chainhub/support/v1/support.pb.h"
#include "common/files/csv.h"
#include "common/rpc/client_stream.h"

namespace chainhub::support {

struct CsvImportLimits {
  // The import's columns, the first `required` of them required.
  const std::vector<std::string>* columns = nullptr;
  size_t required = 0;
  size_t max_bytes = 8 << 20;
  size_t max_rows = 100000;
};

struct CsvImport {
  // Whether any message of the stream asked for validate_only.
  bool validate_only = false;
  // records[0] is the header.
  std::vector<CsvRecord> records;
  CsvLayout layout;
  size_t rows() const { return records.size() - 1; }
};

// Reads the stream to its end (so the client's stream ends cleanly even when the upload is too
// big) and the file's header. INVALID_ARGUMENT on field "csv" for a file over the size, a quote
// left open, a missing or malformed header (with the columns), a bad header (every unknown,
// repeated or missing column, "line N: …") or more rows than the limit.
absl::StatusOr<CsvImport> ReadCsvImport(ClientStream<v1::ImportRowsRequest>& reader,
                                        const CsvImportLimits& limits);

// The cells of a data record by column name; nullopt, with "line N: row: …" added to `errors`,
// when the record is malformed or its field count is not the header's.
std::optional<std::map<std::string, std::string>> CsvImportCells(
    const CsvImport& file, const CsvRecord& record, std::vector<std::string>* errors);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_CSV_IMPORT_H_
