#include "common/files/table_files.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include <stdlib.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/base/utf8.h"

namespace chainhub {

std::string CsvField(absl::string_view text) {
  if (text.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string CsvText(absl::string_view text) {
  if (!text.empty() && absl::string_view("=+-@\t\r").find(text[0]) != absl::string_view::npos) {
    return CsvField(absl::StrCat("'", text));
  }
  return CsvField(text);
}

void AppendCsvRow(const std::vector<std::string>& fields, std::string* out) {
  absl::StrAppend(out, absl::StrJoin(fields, ","), "\r\n");
}

std::string FormatFixed2(double value) {
  std::string text = absl::StrFormat("%.2f", value);
  return text == "-0.00" ? "0.00" : text;
}

double DisplayWidth(absl::string_view text) {
  double width = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t length = Utf8SequenceLength(text, pos);
    if (length == 0) {
      ++pos;
      ++width;
      continue;
    }
    width += Utf8CodePoint(text, pos, length) >= 0x1100 ? 2 : 1;
    pos += length;
  }
  return width;
}

void SheetWriter::Text(int row, int col, absl::string_view text, lxw_format* format,
                       bool measured) {
  Check(worksheet_write_string(sheet_, row, col, std::string(text).c_str(), format));
  if (measured) Measure(col, DisplayWidth(text));
}

void SheetWriter::Number(int row, int col, double value, lxw_format* format) {
  if (!std::isfinite(value)) return Text(row, col, "", format);
  Check(worksheet_write_number(sheet_, row, col, value, format));
  Measure(col, FormatFixed2(value).size());
}

void SheetWriter::Blank(int row, int col, lxw_format* format) {
  Check(worksheet_write_blank(sheet_, row, col, format));
}

void SheetWriter::Finish(double max_width) {
  for (size_t col = 0; col < widths_.size(); ++col) {
    double width = std::clamp(widths_[col] + 2, 8.0, max_width);
    Check(worksheet_set_column(sheet_, col, col, width, nullptr));
  }
}

void SheetWriter::Check(lxw_error error) {
  if (error != LXW_NO_ERROR && *error_ == LXW_NO_ERROR) *error_ = error;
}

void SheetWriter::Measure(int col, double width) {
  if (static_cast<size_t>(col) >= widths_.size()) widths_.resize(col + 1, 0);
  widths_[col] = std::max(widths_[col], width);
}

absl::StatusOr<TempFile> TempFile::Create(absl::string_view suffix) {
  std::error_code error;
  std::filesystem::path dir = std::filesystem::temp_directory_path(error);
  if (error) dir = "/tmp";
  std::string path = (dir / absl::StrCat("chainhub-export-XXXXXX", suffix)).string();
  int fd = mkstemps(path.data(), static_cast<int>(suffix.size()));
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("cannot create a temporary file in ", dir.string(),
                                            ": ", std::strerror(errno)));
  }
  close(fd);
  return TempFile(std::move(path));
}

TempFile::TempFile(TempFile&& other) noexcept : path_(std::exchange(other.path_, "")) {}

TempFile::~TempFile() {
  if (!path_.empty()) unlink(path_.c_str());
}

absl::StatusOr<std::string> TempFile::Read() const {
  std::ifstream in(path_, std::ios::binary);
  std::ostringstream content;
  if (!in.is_open() || !(content << in.rdbuf())) {
    return absl::InternalError(absl::StrCat("cannot read back ", path_));
  }
  return std::move(content).str();
}

}  // namespace chainhub
