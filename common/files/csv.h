// An RFC 4180 CSV reader for the files department systems export: quoted fields, doubled quotes
// inside them, line breaks inside quoted fields, CRLF or LF line ends and a leading UTF-8
// byte-order mark. Pure functions over bytes, so the importer and the fuzz target share them.
#ifndef CHAINHUB_COMMON_FILES_CSV_H_
#define CHAINHUB_COMMON_FILES_CSV_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace chainhub {

// One record (logical row) of a CSV file.
struct CsvRecord {
  // 1-based physical line on which the record starts (the header is line 1), so that a user can
  // find it in an editor even when an earlier quoted field spans several lines.
  int line = 0;
  std::vector<std::string> fields;
  // Non-empty when the record is malformed (e.g. text after a closing quote, or a quote inside an
  // unquoted field); `fields` is then incomplete. The reader resumes at the next line, so one bad
  // row does not hide the rows after it.
  std::string error;
};

// Splits `text` into records. Blank lines are skipped; a final line break is optional. A lone CR
// counts as a line end like LF and CRLF. A quoted field left open at the end of the input is the
// only error that fails the whole parse (INVALID_ARGUMENT naming the line where the quote opened):
// everything after it would be one field.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text);

// Strips a leading UTF-8 byte-order mark (EF BB BF), if any.
absl::string_view StripUtf8Bom(absl::string_view text);

// A whole CSV file as people write them: ParseCsv after a leading byte-order mark and the comment
// lines before the header ("# …", as the shipped sample files start) are skipped. Line numbers
// still count the comment lines, so an error names the line an editor shows.
absl::StatusOr<std::vector<CsvRecord>> ParseCsvFile(absl::string_view text);

// Where each column of a file with named columns sits, from its header row.
struct CsvLayout {
  std::map<std::string, size_t> column;
  // Columns in the header: every row must have this many fields.
  size_t width = 0;
};

// A header row (names trimmed, ASCII case ignored) → its layout, among the `known` columns of
// which the first `required` must be there. INVALID_ARGUMENT naming every unknown, repeated or
// missing column: `unknown column "x"; column "month" is required (known: external_id, …)`; an
// unknown name is shown cut short (ShownValue).
absl::StatusOr<CsvLayout> ParseCsvHeader(const std::vector<std::string>& header,
                                         const std::vector<std::string>& known, size_t required);

// Why a data record cannot be read by `layout` ("INVALID_ARGUMENT: " and the record's own error,
// or its field count against the header's); empty when it can.
std::string CsvRecordProblem(const CsvLayout& layout, const CsvRecord& record);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_FILES_CSV_H_
