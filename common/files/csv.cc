#include "common/files/csv.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/status_util.h"

namespace chainhub {

absl::string_view StripUtf8Bom(absl::string_view text) {
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

absl::StatusOr<CsvLayout> ParseCsvHeader(const std::vector<std::string>& header,
                                         const std::vector<std::string>& known, size_t required) {
  CsvLayout layout;
  layout.width = header.size();
  std::vector<std::string> problems;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(header[i]));
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      problems.push_back(absl::StrCat("unknown column \"", ShownValue(name), "\""));
    } else if (!layout.column.emplace(name, i).second) {
      problems.push_back(absl::StrCat("column \"", name, "\" appears twice"));
    }
  }
  for (size_t i = 0; i < required && i < known.size(); ++i) {
    if (!layout.column.contains(known[i])) {
      problems.push_back(absl::StrCat("column \"", known[i], "\" is required"));
    }
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(absl::StrJoin(problems, "; "), " (known: ", absl::StrJoin(known, ", "), ")"));
  }
  return layout;
}

std::string CsvRecordProblem(const CsvLayout& layout, const CsvRecord& record) {
  if (!record.error.empty()) return absl::StrCat("INVALID_ARGUMENT: ", record.error);
  if (record.fields.size() != layout.width) {
    return absl::StrCat("INVALID_ARGUMENT: row: has ", record.fields.size(),
                        " fields but the header has ", layout.width);
  }
  return "";
}

namespace {

// A small state machine over the bytes; `pos` always points at the next unread byte.
class CsvReader {
 public:
  explicit CsvReader(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::vector<CsvRecord>> ReadAll() {
    std::vector<CsvRecord> records;
    while (pos_ < text_.size()) {
      if (AtLineEnd()) {  // blank line
        ConsumeLineEnd();
        continue;
      }
      CsvRecord record;
      record.line = line_;
      absl::Status status = ReadRecord(record);
      if (!status.ok()) return status;
      records.push_back(std::move(record));
    }
    return records;
  }

 private:
  bool AtLineEnd() const { return text_[pos_] == '\n' || text_[pos_] == '\r'; }

  void ConsumeLineEnd() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  // Marks the record malformed and skips to the start of the next line.
  void FailRecord(CsvRecord& record, std::string error) {
    record.error = std::move(error);
    while (pos_ < text_.size() && !AtLineEnd()) ++pos_;
    if (pos_ < text_.size()) ConsumeLineEnd();
  }

  // Reads fields up to and including the record's line end (or the end of input).
  absl::Status ReadRecord(CsvRecord& record) {
    while (true) {
      std::string field;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        const int open_line = line_;
        ++pos_;
        bool closed = false;
        while (pos_ < text_.size()) {
          const char c = text_[pos_];
          if (c == '"') {
            if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
              field.push_back('"');
              pos_ += 2;
              continue;
            }
            ++pos_;
            closed = true;
            break;
          }
          // Line breaks inside quotes are data; count them so later line numbers stay right.
          if (c == '\n' || (c == '\r' && !(pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n'))) {
            ++line_;
          }
          field.push_back(c);
          ++pos_;
        }
        if (!closed) {
          return absl::InvalidArgumentError(
              absl::StrCat("line ", open_line, ": quoted field is never closed"));
        }
        if (pos_ < text_.size() && text_[pos_] != ',' && !AtLineEnd()) {
          FailRecord(record, absl::StrCat("field ", record.fields.size() + 1,
                                          ": text after the closing quote"));
          return absl::OkStatus();
        }
      } else {
        while (pos_ < text_.size() && text_[pos_] != ',' && !AtLineEnd()) {
          if (text_[pos_] == '"') {
            FailRecord(record, absl::StrCat("field ", record.fields.size() + 1,
                                            ": a quote inside an unquoted field (quote the "
                                            "field and double the quote)"));
            return absl::OkStatus();
          }
          field.push_back(text_[pos_]);
          ++pos_;
        }
      }
      record.fields.push_back(std::move(field));
      if (pos_ >= text_.size()) return absl::OkStatus();
      if (text_[pos_] == ',') {
        ++pos_;
        continue;  // a trailing comma yields a final empty field, read on the next turn
      }
      ConsumeLineEnd();
      return absl::OkStatus();
    }
  }

  absl::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text) {
  return CsvReader(StripUtf8Bom(text)).ReadAll();
}

absl::StatusOr<std::vector<CsvRecord>> ParseCsvFile(absl::string_view text) {
  absl::string_view body = StripUtf8Bom(text);
  int skipped = 0;
  while (absl::StartsWith(body, "#")) {
    const size_t end = body.find('\n');
    body = end == absl::string_view::npos ? absl::string_view() : body.substr(end + 1);
    ++skipped;
  }
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(body);
  if (!records.ok()) return records;
  for (CsvRecord& record : *records) record.line += skipped;
  return records;
}

}  // namespace chainhub
