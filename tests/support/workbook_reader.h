// Reading back the files the exports write, as a spreadsheet would: an XLSX workbook through
// python3's zipfile and ElementTree (no library of ours in the way), and a python3 program run on
// any file. For tests of the assessment run and province snapshot exports.
#ifndef CHAINHUB_TESTS_SUPPORT_WORKBOOK_READER_H_
#define CHAINHUB_TESTS_SUPPORT_WORKBOOK_READER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {

// Runs a python3 program on `file` and returns its stdout (the program ends it with "END").
std::string RunPython(absl::string_view program, const std::string& file);

// Writes `content` to dir/name; returns the path.
std::string WriteFile(const TempDir& dir, const std::string& name, const std::string& content);

// The sheet names (comma-separated, in order), the creation time, each sheet's frozen pane
// ("<ySplit> frozen"), its cells (sheet number from 1 → ref → "n <number>" or "s <text>") and
// its bold cells ("<sheet> <ref>").
struct Workbook {
  std::string sheets;
  std::string created;
  std::map<int, std::string> panes;
  std::map<int, std::map<std::string, std::string>> cells;
  std::vector<std::string> bold;
};

Workbook ReadXlsx(const std::string& xlsx);

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_WORKBOOK_READER_H_
