// The files people pass tables around in: CSV a spreadsheet opens right (RFC 4180 with a UTF-8
// byte-order mark, formulas defused), XLSX worksheets written through libxlsxwriter with columns
// sized to their content, and the temporary file a workbook is written to. Shared by every export
// (an assessment run, the province snapshot).
#ifndef CHAINHUB_COMMON_FILES_TABLE_FILES_H_
#define CHAINHUB_COMMON_FILES_TABLE_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "xlsxwriter.h"

namespace chainhub {

// What a CSV file starts with, so that Excel reads it as UTF-8.
inline constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";

// A field, quoted when it holds a comma, quote or line break (quotes doubled).
std::string CsvField(absl::string_view text);
// Text from users (names): a leading = + - @ tab or CR would make a spreadsheet run it, so such
// text gets a leading apostrophe.
std::string CsvText(absl::string_view text);
// The fields joined by commas, and CRLF.
void AppendCsvRow(const std::vector<std::string>& fields, std::string* out);

// Two decimals, never "-0.00".
std::string FormatFixed2(double value);

// The width a spreadsheet column needs for `text`: wide (CJK, full-width) characters count two.
double DisplayWidth(absl::string_view text);

// One worksheet being written: remembers the first libxlsxwriter error and the widest cell of
// each column, so that Finish can size the columns to their content.
class SheetWriter {
 public:
  SheetWriter(lxw_worksheet* sheet, lxw_error* error) : sheet_(sheet), error_(error) {}

  // `measured` cells count towards the column's width (titles spanning columns do not).
  void Text(int row, int col, absl::string_view text, lxw_format* format = nullptr,
            bool measured = true);
  // Non-finite figures are left empty rather than corrupting the file.
  void Number(int row, int col, double value, lxw_format* format = nullptr);
  void Blank(int row, int col, lxw_format* format = nullptr);
  // Sets every measured column's width: the widest cell plus a margin, within [8, max_width].
  void Finish(double max_width = 60);
  lxw_worksheet* sheet() { return sheet_; }

 private:
  void Check(lxw_error error);
  void Measure(int col, double width);

  lxw_worksheet* sheet_;
  lxw_error* error_;
  std::vector<double> widths_;
};

// A file in the temporary directory, removed when this goes out of scope.
class TempFile {
 public:
  static absl::StatusOr<TempFile> Create(absl::string_view suffix);
  TempFile(TempFile&& other) noexcept;
  TempFile& operator=(TempFile&&) = delete;
  ~TempFile();
  const std::string& path() const { return path_; }
  // The whole file; INTERNAL when it cannot be read or is empty (a workbook never is).
  absl::StatusOr<std::string> Read() const;

 private:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_FILES_TABLE_FILES_H_
