#include "tests/support/workbook_reader.h"

#include <fstream>

#include <gtest/gtest.h>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "tests/support/subprocess.h"

namespace chainhub::testing {

namespace {

// Prints the workbook's sheet names and creation time, then for each sheet its frozen pane, every
// cell as "cell <sheet> <ref> <n|s> <value>" (strings resolved through the shared strings) and
// every bold cell as "bold <sheet> <ref>".
constexpr absl::string_view kReadXlsx = R"(
import sys, zipfile, xml.etree.ElementTree as ET
m = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
z = zipfile.ZipFile(sys.argv[1])
wb = ET.fromstring(z.read('xl/workbook.xml'))
names = [s.get('name') for s in wb.iter(m + 'sheet')]
print('sheets', ','.join(names))
core = ET.fromstring(z.read('docProps/core.xml'))
print('created', core.find('{http://purl.org/dc/terms/}created').text)
shared = []
if 'xl/sharedStrings.xml' in z.namelist():
    for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(m + 'si'):
        shared.append(''.join(t.text or '' for t in si.iter(m + 't')))
styles = ET.fromstring(z.read('xl/styles.xml'))
bold_fonts = [f.find(m + 'b') is not None for f in styles.find(m + 'fonts').iter(m + 'font')]
bold_styles = [bold_fonts[int(x.get('fontId', 0))] for x in styles.find(m + 'cellXfs').iter(m + 'xf')]
for n in range(1, len(names) + 1):
    sheet = ET.fromstring(z.read('xl/worksheets/sheet%d.xml' % n))
    for pane in sheet.iter(m + 'pane'):
        print('pane', n, pane.get('ySplit'), pane.get('state'))
    for c in sheet.iter(m + 'c'):
        if bold_styles[int(c.get('s', 0))]:
            print('bold', n, c.get('r'))
        v = c.find(m + 'v')
        if v is None:
            continue
        if c.get('t') == 's':
            print('cell', n, c.get('r'), 's', shared[int(v.text)].replace('\n', ' '))
        else:
            print('cell', n, c.get('r'), 'n', v.text)
print('END')
)";

}  // namespace

std::string RunPython(absl::string_view program, const std::string& file) {
  Subprocess python;
  absl::Status started =
      python.Start("python3", {"-c", std::string(program), file}, {{"PYTHONIOENCODING", "utf-8"}});
  EXPECT_TRUE(started.ok()) << started;
  absl::StatusOr<std::string> end = python.WaitForLine("END", absl::Seconds(30));
  EXPECT_TRUE(end.ok()) << end.status() << "\n" << python.output();
  absl::StatusOr<ExitStatus> exit = python.Wait(absl::Seconds(30));
  EXPECT_TRUE(exit.ok() && exit->exited() && exit->exit_code() == 0)
      << (exit.ok() ? exit->ToString() : exit.status().ToString());
  return python.output();
}

std::string WriteFile(const TempDir& dir, const std::string& name, const std::string& content) {
  std::string path = dir.File(name);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

Workbook ReadXlsx(const std::string& xlsx) {
  TempDir dir;
  std::string out = RunPython(kReadXlsx, WriteFile(dir, "book.xlsx", xlsx));
  Workbook book;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(line, absl::MaxSplits(' ', 4));
    if (parts[0] == "sheets" && parts.size() == 2) book.sheets = parts[1];
    if (parts[0] == "created" && parts.size() == 2) book.created = parts[1];
    if (parts[0] == "bold" && parts.size() == 3) book.bold.push_back(parts[1] + " " + parts[2]);
    if (parts[0] == "pane" && parts.size() == 4) {
      book.panes[std::stoi(parts[1])] = parts[2] + " " + parts[3];
    }
    if (parts[0] == "cell" && parts.size() == 5) {
      book.cells[std::stoi(parts[1])][parts[2]] = parts[3] + " " + parts[4];
    } else if (parts[0] == "cell" && parts.size() == 4) {
      book.cells[std::stoi(parts[1])][parts[2]] = parts[3] + " ";
    }
  }
  return book;
}

}  // namespace chainhub::testing
