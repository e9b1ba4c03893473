// indicators apply, list; targets set, import, list; values report, import, list; ratings enter:
// what an assessment is scored from (考核指标, 目标, 报送数据, 评议打分).
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tools/chainctl/assessment_arguments.h"
#include "tools/chainctl/assessment_client.h"
#include "tools/chainctl/assessment_csv.h"
#include "tools/chainctl/assessment_import.h"
#include "tools/chainctl/assessment_render.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/verbs/assessment_list.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

using Stub = AssessmentClient::Stub;

// A list request narrowed by --subject, --indicator and --period (short names completed).
template <typename Request>
Request NarrowedList(const CommandLine& cmd) {
  Request req;
  if (!cmd.subject.empty()) req.set_subject(SubjectArg(cmd.subject));
  if (!cmd.indicator.empty()) req.set_indicator(IndicatorArg(cmd.indicator));
  req.set_period(cmd.period);
  return req;
}

// The row the operands SUBJECT INDICATOR PERIOD VALUE make; a usage error when VALUE is no
// number.
std::optional<InputRow> OperandRow(const Call& call) {
  absl::StatusOr<double> value = NumberArg("VALUE", call.operands[3]);
  if (!value.ok()) {
    Usage(call.err, value.status().message());
    return std::nullopt;
  }
  InputRow row;
  row.subject = SubjectArg(call.operands[0]);
  row.indicator = IndicatorArg(call.operands[1]);
  row.period = call.operands[2];
  row.value = *value;
  row.evidence = call.cmd.evidence;
  return row;
}

int IndicatorsApply(const Call& call) {
  return ApplyIndicators(*call.assessment, call.operands[0], call.out, call.err);
}

int IndicatorsList(const Call& call) {
  return ShowAssessmentList(call, &Stub::ListIndicators, av1::ListIndicatorsRequest(),
                            PrintIndicatorsTable);
}

int TargetsSet(const Call& call) {
  std::optional<InputRow> row = OperandRow(call);
  if (!row) return kExitUsage;
  AssessmentClient& c = *call.assessment;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::SetTarget, TargetRequest(*row),
                     [&](const av1::Target& t) {
                       call.out << "target " << t.subject() << " " << t.indicator() << " "
                                << t.period() << " = " << FormatFigure(t.value()) << "\n";
                     });
}

int TargetsImport(const Call& call) {
  return ImportInputs(*call.assessment, InputFile::kTargets, call.operands[0], call.out, call.err);
}

int TargetsList(const Call& call) {
  return ShowAssessmentList(call, &Stub::ListTargets,
                            NarrowedList<av1::ListTargetsRequest>(call.cmd), PrintTargetsTable);
}

int ValuesReport(const Call& call) {
  if (call.cmd.evidence.empty()) return call.UsageError();
  std::optional<InputRow> row = OperandRow(call);
  if (!row) return kExitUsage;
  AssessmentClient& c = *call.assessment;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::ReportValue, ValueRequest(*row),
                     [&](const av1::ReportedValue& v) {
                       call.out << "value " << v.subject() << " " << v.indicator() << " "
                                << v.period() << " = " << FormatFigure(v.value()) << " (revision "
                                << v.revision() << ")\n";
                     });
}

int ValuesImport(const Call& call) {
  return ImportInputs(*call.assessment, InputFile::kValues, call.operands[0], call.out, call.err);
}

int ValuesList(const Call& call) {
  auto req = NarrowedList<av1::ListReportedValuesRequest>(call.cmd);
  req.set_include_history(call.cmd.history);
  return ShowAssessmentList(call, &Stub::ListReportedValues, std::move(req), PrintValuesTable);
}

int RatingsEnter(const Call& call) {
  absl::StatusOr<std::string> scheme = LatestSchemeArg("SCHEME", call.operands[0]);
  if (!scheme.ok()) return Usage(call.err, scheme.status().message());
  absl::StatusOr<double> points = NumberArg("POINTS", call.operands[4]);
  if (!points.ok()) return Usage(call.err, points.status().message());
  av1::EnterRatingRequest req;
  av1::RatingEntry& r = *req.mutable_rating();
  r.set_scheme(*scheme);
  r.set_item(call.operands[1]);
  r.set_subject(SubjectArg(call.operands[2]));
  r.set_period(call.operands[3]);
  r.set_points(*points);
  r.set_note(call.cmd.note);
  AssessmentClient& c = *call.assessment;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::EnterRating, req,
                     [&](const av1::RatingEntry& e) {
                       call.out << "rating " << e.scheme() << " " << e.item() << " " << e.subject()
                                << " " << e.period() << " = " << FormatFigure(e.points()) << "\n";
                     });
}

}  // namespace

void AddIndicatorsVerbs(VerbTable& table) {
  table.Add({.noun = "indicators",
             .verb = "apply",
             .synopsis = "FILE",
             .help = "YAML/JSON with `indicators:` (data/assessment/\n"
                     "indicators.yaml): creates new ones, updates changed\n"
                     "ones; prints created/updated/unchanged",
             .usage = "usage: chainctl indicators apply FILE",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kAssessment,
             .run = IndicatorsApply});
  table.Add({.noun = "indicators",
             .verb = "list",
             .synopsis = "[--all]",
             .help = "name, 名称, 单位, 方向, 来源",
             .usage = "indicators list takes no arguments",
             .needs = Needs::kAssessment,
             .run = IndicatorsList});
}

void AddTargetsVerbs(VerbTable& table) {
  table.Add({.noun = "targets",
             .verb = "set",
             .synopsis = "SUBJECT INDICATOR PERIOD VALUE",
             .help = "e.g. targets set pv output 2026 1700",
             .usage = "usage: chainctl targets set SUBJECT INDICATOR PERIOD VALUE",
             .min_operands = 4,
             .max_operands = 4,
             .needs = Needs::kAssessment,
             .run = TargetsSet});
  table.Add({.noun = "targets",
             .verb = "import",
             .synopsis = "FILE.csv",
             .help = "columns subject,indicator,period,value; a target\n"
                     "already set to the value is not sent again",
             .usage = "usage: chainctl targets import FILE.csv",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kAssessment,
             .run = TargetsImport});
  table.Add({.noun = "targets",
             .verb = "list",
             .synopsis = "[--subject=…] [--indicator=…] [--period=…] [--all]",
             .help = "the targets set (序时 ones are derived, not listed)",
             .usage = "targets list takes no arguments",
             .needs = Needs::kAssessment,
             .run = TargetsList});
}

void AddValuesVerbs(VerbTable& table) {
  table.Add({.noun = "values",
             .verb = "report",
             .synopsis = "SUBJECT INDICATOR PERIOD VALUE --evidence=TEXT",
             .help = "a reported value (产值, 税收); again: a new revision",
             .usage = "usage: chainctl values report SUBJECT INDICATOR PERIOD VALUE "
                      "--evidence=TEXT",
             .min_operands = 4,
             .max_operands = 4,
             .needs = Needs::kAssessment,
             .run = ValuesReport});
  table.Add({.noun = "values",
             .verb = "import",
             .synopsis = "FILE.csv",
             .help = "columns subject,indicator,period,value,evidence;\n"
                     "a row sent before replays (changes nothing)",
             .usage = "usage: chainctl values import FILE.csv",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kAssessment,
             .run = ValuesImport});
  table.Add({.noun = "values",
             .verb = "list",
             .synopsis = "[--history] [--subject=…] [--indicator=…] [--period=…]",
             .help = "the latest per subject, indicator and period;\n"
                     "--history: every revision, newest first",
             .usage = "values list takes no arguments",
             .needs = Needs::kAssessment,
             .run = ValuesList});
}

void AddRatingsVerbs(VerbTable& table) {
  table.Add({.noun = "ratings",
             .verb = "enter",
             .synopsis = "SCHEME ITEM SUBJECT PERIOD POINTS [--note=…]",
             .help = "an assessor's points for a rating item (评议)",
             .usage = "usage: chainctl ratings enter SCHEME ITEM SUBJECT PERIOD POINTS [--note=…]",
             .min_operands = 5,
             .max_operands = 5,
             .needs = Needs::kAssessment,
             .run = RatingsEnter});
}

}  // namespace chainhub::chainctl
