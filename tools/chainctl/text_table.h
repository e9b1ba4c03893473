// Plain-text tables for a terminal: columns aligned by display width, where CJK characters take
// two columns, so that 光伏 lines up under "id" as well as "pv" does.
#ifndef CHAINHUB_TOOLS_CHAINCTL_TEXT_TABLE_H_
#define CHAINHUB_TOOLS_CHAINCTL_TEXT_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace chainhub::chainctl {

// Terminal columns `text` (UTF-8) occupies: 2 for East Asian wide and fullwidth characters, 0 for
// combining marks and zero-width characters, 1 otherwise (an invalid byte counts as 1).
int DisplayWidth(absl::string_view text);

// `text` followed by spaces up to `width` display columns (unchanged when already wider).
std::string PadRight(absl::string_view text, int width);

// Rows of cells printed under a header, each column as wide as its widest cell, two spaces apart.
// The last column is not padded, so lines carry no trailing spaces.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// "key  value" lines with the keys padded to one width; a value with line breaks continues under
// the first value line. For showing every field of one resource.
class KeyValueList {
 public:
  void Add(std::string key, std::string value) {
    items_.emplace_back(std::move(key), std::move(value));
  }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_TEXT_TABLE_H_
