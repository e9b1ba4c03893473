#include "tools/chainctl/assessment_csv.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/chainctl/assessment_arguments.h"
#include "tools/chainctl/digest.h"

namespace chainhub::chainctl {

const std::vector<std::string>& InputColumns(InputFile file) {
  static const std::vector<std::string>* targets =
      new std::vector<std::string>{"subject", "indicator", "period", "value"};
  static const std::vector<std::string>* values =
      new std::vector<std::string>{"subject", "indicator", "period", "value", "evidence"};
  return file == InputFile::kTargets ? *targets : *values;
}

absl::StatusOr<InputLayout> ParseInputHeader(InputFile file,
                                             const std::vector<std::string>& header) {
  return ParseCsvHeader(header, InputColumns(file), InputColumns(file).size());
}

InputRow ParseInputRow(InputFile file, const InputLayout& layout, const CsvRecord& record) {
  InputRow row;
  row.line = record.line;
  row.error = CsvRecordProblem(layout, record);
  if (!row.error.empty()) return row;
  std::vector<std::string> violations;
  auto cell = [&](const std::string& name) -> std::string {
    std::string text(absl::StripAsciiWhitespace(record.fields[layout.column.at(name)]));
    if (text.empty()) violations.push_back(absl::StrCat(name, ": must not be empty"));
    return text;
  };
  const std::string subject = cell("subject");
  const std::string indicator = cell("indicator");
  if (!subject.empty()) row.subject = SubjectArg(subject);
  if (!indicator.empty()) row.indicator = IndicatorArg(indicator);
  row.period = cell("period");
  const std::string value = cell("value");
  if (!value.empty()) {
    absl::StatusOr<double> number = NumberArg("value", value);
    if (number.ok()) {
      row.value = *number;
    } else {
      violations.emplace_back(number.status().message());
    }
  }
  if (file == InputFile::kValues) row.evidence = cell("evidence");
  if (!violations.empty()) {
    row.error = absl::StrCat("INVALID_ARGUMENT: ", absl::StrJoin(violations, "; "));
  }
  return row;
}

namespace {

// A Target or a ReportedValue of the row: subject, indicator, period and value.
template <typename Message>
void SetFigure(const InputRow& row, Message& m) {
  m.set_subject(row.subject);
  m.set_indicator(row.indicator);
  m.set_period(row.period);
  m.set_value(row.value);
}

}  // namespace

assessment::v1::SetTargetRequest TargetRequest(const InputRow& row) {
  assessment::v1::SetTargetRequest req;
  SetFigure(row, *req.mutable_target());
  return req;
}

assessment::v1::ReportValueRequest ValueRequest(const InputRow& row) {
  assessment::v1::ReportValueRequest req;
  SetFigure(row, *req.mutable_value());
  req.mutable_value()->set_evidence(row.evidence);
  const std::string content = absl::StrFormat("%s\n%s\n%s\n%.17g\n%s", row.subject, row.indicator,
                                              row.period, row.value, row.evidence);
  req.set_request_id(absl::StrCat("value:", Sha256Hex(content).substr(0, 32)));
  return req;
}

}  // namespace chainhub::chainctl
