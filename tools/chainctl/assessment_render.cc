#include "tools/chainctl/assessment_render.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "tools/chainctl/assessment_arguments.h"
#include "tools/chainctl/render.h"
#include "tools/chainctl/text_table.h"

namespace chainhub::chainctl {
namespace {

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

// An enum value's name without its type's prefix, in lower case: "count", "total_investment".
std::string Word(const std::string& name, absl::string_view prefix) {
  return absl::AsciiStrToLower(absl::StripPrefix(name, prefix));
}

std::string MeasureText(const av1::Measure& m) {
  std::string text = absl::StrCat(Word(av1::Aggregate_Name(m.aggregate()), "AGGREGATE_"), " ",
                                  Word(av1::MeasureEntity_Name(m.entity()), "MEASURE_ENTITY_"));
  if (m.field() != av1::MEASURE_FIELD_UNSPECIFIED) {
    absl::StrAppend(&text, " ", Word(av1::MeasureField_Name(m.field()), "MEASURE_FIELD_"));
  }
  if (m.scale() != 0 && m.scale() != 1)
    absl::StrAppend(&text, " ×", absl::StrFormat("%g", m.scale()));
  return text;
}

std::string SourceText(const av1::Indicator& i) {
  if (i.has_measure()) return MeasureText(i.measure());
  if (i.has_reported()) return absl::StrCat("reported by ", i.reported().owner_department());
  return "-";
}

// The item columns of a ranking: the first subject's items, then any item another has that it
// lacks (as the exports order them).
std::vector<const av1::ItemResult*> ItemColumns(const av1::Run& run) {
  std::vector<const av1::ItemResult*> columns;
  std::set<std::string> seen;
  for (const auto& r : run.results()) {
    for (const auto& item : r.items()) {
      if (seen.insert(item.key()).second) columns.push_back(&item);
    }
  }
  return columns;
}

}  // namespace

std::string FormatScore(double points) {
  // A deduction of nothing is −0 (and −0.001 rounds to it); neither is shown as "-0.00".
  std::string text = absl::StrFormat("%.2f", points);
  return text == "-0.00" ? "0.00" : text;
}

std::string FormatFigure(double value) {
  std::string text = absl::StrFormat("%.6f", value);
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

std::string RankChangeText(const av1::SubjectResult& result) {
  if (result.previous_rank() == 0) return "-";
  if (result.rank_change() > 0) return absl::StrCat("↑", result.rank_change());
  if (result.rank_change() < 0) return absl::StrCat("↓", -result.rank_change());
  return "0";
}

void PrintIndicatorsTable(const av1::ListIndicatorsResponse& page, std::ostream& out) {
  TextTable table({"name", "名称", "单位", "方向", "来源"});
  for (const auto& i : page.indicators()) {
    table.AddRow({i.name(), i.display_name(), OrDash(i.unit()),
                  i.direction() == av1::DIRECTION_LOWER_IS_BETTER ? "↓" : "↑", SourceText(i)});
  }
  table.Print(out);
}

void PrintTargetsTable(const av1::ListTargetsResponse& page, std::ostream& out) {
  TextTable table({"subject", "indicator", "period", "value", "principal", "updated"});
  for (const auto& t : page.targets()) {
    table.AddRow({t.subject(), t.indicator(), t.period(),
                  absl::StrCat(FormatFigure(t.value()), t.derived() ? " (序时)" : ""),
                  OrDash(t.principal()), OrDash(FormatTimestamp(t.update_time()))});
  }
  table.Print(out);
}

void PrintValuesTable(const av1::ListReportedValuesResponse& page, std::ostream& out) {
  TextTable table(
      {"subject", "indicator", "period", "value", "rev", "evidence", "principal", "reported"});
  for (const auto& v : page.values()) {
    table.AddRow({v.subject(), v.indicator(), v.period(), FormatFigure(v.value()),
                  absl::StrCat(v.revision()), v.evidence(), OrDash(v.principal()),
                  OrDash(FormatTimestamp(v.report_time()))});
  }
  table.Print(out);
}

void PrintSchemesTable(const av1::ListSchemesResponse& page, std::ostream& out) {
  TextTable table({"name", "version", "名称", "subjects", "items", "total", "sample"});
  for (const auto& s : page.schemes()) {
    const std::string subjects =
        s.subjects().empty()
            ? (s.subject_kind() == av1::SUBJECT_KIND_COUNTIES ? "all counties" : "all chains")
            : absl::StrCat(s.subjects_size());
    table.AddRow({s.name(), absl::StrCat(s.version()), s.display_name(), subjects,
                  absl::StrCat(s.items_size()), FormatFigure(s.total_points()),
                  s.sample() ? "sample" : ""});
  }
  table.Print(out);
}

void PrintRunsTable(const av1::ListRunsResponse& page, std::ostream& out) {
  TextTable table({"name", "scheme", "period", "kind", "trigger", "as of", "created"});
  for (const auto& r : page.runs()) {
    table.AddRow({r.name(), absl::StrCat(r.scheme(), "@", r.scheme_version()), r.period(),
                  RunKindName(r.kind()), RunTriggerName(r.trigger()), r.as_of_date(),
                  OrDash(FormatTimestamp(r.create_time()))});
  }
  table.Print(out);
}

void PrintSchedulesTable(const av1::ListSchedulesResponse& page, std::ostream& out) {
  TextTable table({"name", "scheme", "cadence", "days after", "time", "provisional", "last period",
                   "next run"});
  for (const auto& s : page.schedules()) {
    table.AddRow({s.name(), s.scheme(), CadenceName(s.cadence()),
                  absl::StrCat(s.days_after_period_end()), OrDash(s.time_of_day()),
                  s.keep_provisional() ? "yes" : "no", OrDash(s.last_period()),
                  OrDash(FormatTimestamp(s.next_run_time()))});
  }
  table.Print(out);
}

void PrintRanking(const av1::Run& run, absl::string_view scheme_title, std::ostream& out) {
  out << (scheme_title.empty() ? run.scheme() : std::string(scheme_title)) << " (" << run.scheme()
      << " v" << run.scheme_version() << ") · " << run.period() << " · " << RunKindName(run.kind())
      << "\n";
  out << run.name() << "  as of " << run.as_of_date() << "  digest "
      << run.inputs_digest().substr(0, 16) << "\n\n";
  const std::vector<const av1::ItemResult*> columns = ItemColumns(run);
  std::vector<std::string> header = {"名次", "名称", "总分", "等级", "名次变化"};
  for (const av1::ItemResult* c : columns) header.push_back(c->key());
  TextTable table(std::move(header));
  for (const auto& r : run.results()) {
    std::vector<std::string> row = {absl::StrCat(r.rank()), r.display_name(),
                                    FormatScore(r.total()), GradeName(r.grade()),
                                    RankChangeText(r)};
    for (const av1::ItemResult* c : columns) {
      std::string cell;
      for (const auto& item : r.items()) {
        if (item.key() == c->key()) cell = FormatScore(item.points());
      }
      row.push_back(cell);
    }
    table.AddRow(std::move(row));
  }
  if (table.empty()) {
    out << "(no subjects)\n";
  } else {
    table.Print(out);
  }
  if (!columns.empty()) {
    out << "\nitems:\n";
    for (const av1::ItemResult* c : columns) {
      out << "  " << c->key() << "  " << c->display_name() << " (" << c->method() << ", "
          << FormatFigure(c->max_points()) << ")\n";
    }
  }
  if (!run.problems().empty()) {
    out << "\nproblems:\n";
    for (const std::string& p : run.problems()) out << "  - " << p << "\n";
  }
}

void PrintExplanation(const av1::ExplainScoreResponse& explanation, absl::string_view subject,
                      std::ostream& out) {
  const av1::ItemResult& item = explanation.item();
  KeyValueList kv;
  kv.Add("subject", std::string(subject));
  kv.Add("item", absl::StrCat(item.key(), " ", item.display_name()));
  if (!item.indicator().empty()) kv.Add("indicator", item.indicator());
  kv.Add("actual", FormatFigure(item.actual()));
  if (item.has_target()) kv.Add("target", FormatFigure(item.target()));
  kv.Add("method", item.parameters().empty()
                       ? item.method()
                       : absl::StrCat(item.method(), " (", item.parameters(), ")"));
  kv.Add("points",
         absl::StrCat(FormatScore(item.points()), " / ", FormatFigure(item.max_points())));
  kv.Add("formula", OrDash(item.formula()));
  if (!item.problem().empty()) kv.Add("problem", item.problem());
  kv.Print(out);
  out << "\nfacts (" << explanation.total_size() << "):\n";
  if (explanation.facts().empty()) {
    out << "(none)\n";
    return;
  }
  TextTable table({"resource", "名称", "value", "detail"});
  for (const auto& f : explanation.facts()) {
    table.AddRow(
        {f.resource(), OrDash(f.display_name()), FormatFigure(f.value()), OrDash(f.detail())});
  }
  table.Print(out);
}

void PrintReplay(const av1::ReplayRunResponse& replay, std::ostream& out) {
  if (replay.matches()) {
    out << "replay matches: digest " << replay.recorded_digest()
        << ", every total, rank, grade and item's points the same\n";
    return;
  }
  out << "replay does NOT match\n  recorded digest " << replay.recorded_digest()
      << "\n  replayed digest " << replay.replayed_digest() << "\n";
  if (replay.differences().empty()) return;
  out << "\n";
  TextTable table({"subject", "item", "what", "recorded", "replayed"});
  for (const auto& d : replay.differences()) {
    table.AddRow({d.subject(), OrDash(d.item()), d.what(), d.recorded(), d.replayed()});
  }
  table.Print(out);
}

}  // namespace chainhub::chainctl
