#include "services/sync/export.h"

#include <algorithm>
#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/files/table_files.h"

namespace chainhub::sync {

namespace {

using province::v1::Record;
using province::v1::RecordType;

enum class Kind { kText, kYi, kInteger, kScore, kYesNo };

struct Column {
  const char* header;
  Kind kind;
  // Text for kText and kYesNo ("是"/"否"), a number for the others.
  std::function<std::string(const Record&)> text;
  std::function<double(const Record&)> number;
};

Column Text(const char* header, std::function<std::string(const Record&)> f) {
  return {header, Kind::kText, std::move(f), nullptr};
}
Column Yi(const char* header, std::function<int64_t(const Record&)> f) {
  return {header, Kind::kYi, nullptr, [f](const Record& r) { return f(r) / 1e8; }};
}
Column Integer(const char* header, std::function<int64_t(const Record&)> f) {
  return {header, Kind::kInteger, nullptr, [f](const Record& r) { return double(f(r)); }};
}
Column YesNo(const char* header, std::function<bool(const Record&)> f) {
  return {header, Kind::kYesNo, [f](const Record& r) { return std::string(f(r) ? "是" : "否"); },
          nullptr};
}

std::string Joined(const google::protobuf::RepeatedPtrField<std::string>& values) {
  return absl::StrJoin(values, "、");
}

// The columns of one record type, after the ones every sheet shares.
std::vector<Column> ColumnsOf(RecordType type) {
  switch (type) {
    case province::v1::RECORD_TYPE_CHAIN:
      return {Text("产业链编码", [](const Record& r) { return r.chain().chain_id(); }),
              Text("产业链名称", [](const Record& r) { return r.chain().name(); }),
              Text("链长", [](const Record& r) { return r.chain().leader(); }),
              Text("牵头部门", [](const Record& r) { return r.chain().lead_department(); }),
              Text("主要承载地", [](const Record& r) { return Joined(r.chain().host_counties()); }),
              Yi("目标产值（亿元）", [](const Record& r) { return r.chain().target_output_yuan(); }),
              Integer("目标年份", [](const Record& r) { return r.chain().target_year(); })};
    case province::v1::RECORD_TYPE_ENTERPRISE:
      return {Text("统一社会信用代码", [](const Record& r) { return r.enterprise().credit_code(); }),
              Text("企业名称", [](const Record& r) { return r.enterprise().name(); }),
              Text("县市区", [](const Record& r) { return r.enterprise().county(); }),
              Text("园区", [](const Record& r) { return r.enterprise().park(); }),
              Text("企业标签", [](const Record& r) { return Joined(r.enterprise().labels()); }),
              Yi("年产值（亿元）",
                 [](const Record& r) { return r.enterprise().annual_output_yuan(); }),
              Text("所属产业链", [](const Record& r) { return Joined(r.enterprise().chains()); })};
    case province::v1::RECORD_TYPE_PROJECT:
      return {
          Text("项目编号", [](const Record& r) { return r.project().project_id(); }),
          Text("项目名称", [](const Record& r) { return r.project().name(); }),
          Text("所属产业链", [](const Record& r) { return r.project().chain_id(); }),
          Text("县市区", [](const Record& r) { return r.project().county(); }),
          Text("园区", [](const Record& r) { return r.project().park(); }),
          Text("投资方", [](const Record& r) { return r.project().investor(); }),
          Text("投资方来源", [](const Record& r) { return r.project().investor_origin(); }),
          Yi("总投资（亿元）", [](const Record& r) { return r.project().total_investment_yuan(); }),
          Yi("固定资产投资（亿元）",
             [](const Record& r) { return r.project().fixed_asset_investment_yuan(); }),
          Yi("年度计划投资（亿元）",
             [](const Record& r) { return r.project().annual_planned_investment_yuan(); }),
          Yi("累计完成投资（亿元）",
             [](const Record& r) { return r.project().completed_investment_yuan(); }),
          Yi("实际到位资金（亿元）", [](const Record& r) { return r.project().funds_arrived_yuan(); }),
          Text("项目阶段", [](const Record& r) { return r.project().stage(); }),
          Text("签约日期", [](const Record& r) { return r.project().signed_date(); }),
          Text("开工日期", [](const Record& r) { return r.project().started_date(); }),
          Text("投产日期", [](const Record& r) { return r.project().in_production_date(); }),
          YesNo("省重点项目", [](const Record& r) { return r.project().provincial_key(); }),
          YesNo("亿元以上项目", [](const Record& r) { return r.project().above_100m(); }),
          YesNo("省外投资项目", [](const Record& r) { return r.project().from_outside_province(); }),
          Text("责任单位", [](const Record& r) { return r.project().responsible_department(); }),
          Text("红黄绿灯", [](const Record& r) { return r.project().light(); })};
    case province::v1::RECORD_TYPE_PROGRESS:
      return {Text("项目编号", [](const Record& r) { return r.progress().project_id(); }),
              Text("项目名称", [](const Record& r) { return r.progress().project_name(); }),
              Text("月份", [](const Record& r) { return r.progress().month(); }),
              Yi("累计完成投资（亿元）",
                 [](const Record& r) { return r.progress().cumulative_completed_yuan(); }),
              Yi("累计实际到位资金（亿元）",
                 [](const Record& r) { return r.progress().cumulative_funds_arrived_yuan(); })};
    case province::v1::RECORD_TYPE_ASSESSMENT_RESULT:
      return {Text("考核批次", [](const Record& r) { return r.assessment_result().run_id(); }),
              Text("考核期", [](const Record& r) { return r.assessment_result().period(); }),
              Text("产业链编码", [](const Record& r) { return r.assessment_result().chain_id(); }),
              Text("产业链名称", [](const Record& r) { return r.assessment_result().chain_name(); }),
              {"得分", Kind::kScore, nullptr,
               [](const Record& r) { return r.assessment_result().score(); }},
              Integer("名次", [](const Record& r) { return r.assessment_result().rank(); }),
              Text("等次", [](const Record& r) { return r.assessment_result().grade(); })};
    default:
      return {};
  }
}

// The columns every sheet starts with: the provincial category on every row.
std::vector<Column> SharedColumns(const province::ProvinceLists& lists) {
  return {Text("省产业链类别",
               [&lists](const Record& r) {
                 const province::ProvinceLists::List* list = lists.Find(r.list_version());
                 std::vector<std::string> names;
                 for (const auto& id : r.categories()) {
                   auto it = list == nullptr ? decltype(list->chains)::const_iterator()
                                             : list->chains.find(id);
                   names.push_back(list != nullptr && it != list->chains.end() ? it->second : id);
                 }
                 return names.empty() ? std::string("（无对应类别）") : absl::StrJoin(names, "、");
               }),
          Text("类别编码", [](const Record& r) { return Joined(r.categories()); }),
          YesNo("自定类别", [](const Record& r) { return r.category_override(); }),
          Text("清单版本", [](const Record& r) { return r.list_version(); }),
          Text("业务日期", [](const Record& r) { return r.business_date(); })};
}

std::vector<Column> AllColumns(const province::ProvinceLists& lists, RecordType type) {
  std::vector<Column> columns = SharedColumns(lists);
  for (auto& c : ColumnsOf(type)) columns.push_back(std::move(c));
  return columns;
}

std::string CellText(const Column& c, const Record& r) {
  switch (c.kind) {
    case Kind::kText: return CsvText(c.text(r));
    case Kind::kYesNo: return c.text(r);
    case Kind::kYi: return absl::StrFormat("%.4f", c.number(r));
    case Kind::kInteger: return absl::StrCat(static_cast<int64_t>(c.number(r)));
    case Kind::kScore: return FormatFixed2(c.number(r));
  }
  return "";
}

std::map<RecordType, std::vector<const Record*>> ByType(const std::vector<Record>& records) {
  std::map<RecordType, std::vector<const Record*>> out;
  for (const Record& r : records) out[r.type()].push_back(&r);
  for (auto& [type, rows] : out) {
    std::sort(rows.begin(), rows.end(), [](const Record* a, const Record* b) {
      return a->id() < b->id();
    });
  }
  return out;
}

absl::StatusOr<std::string> Csv(const std::vector<const Record*>& rows,
                                const std::vector<Column>& columns) {
  std::string out(kUtf8Bom);
  std::vector<std::string> header;
  for (const Column& c : columns) header.push_back(CsvField(c.header));
  AppendCsvRow(header, &out);
  for (const Record* r : rows) {
    std::vector<std::string> fields;
    fields.reserve(columns.size());
    for (const Column& c : columns) fields.push_back(CellText(c, *r));
    AppendCsvRow(fields, &out);
  }
  return out;
}

absl::StatusOr<std::string> Xlsx(const std::map<RecordType, std::vector<const Record*>>& by_type,
                                 const province::ProvinceLists& lists,
                                 const std::string& list_version, const std::string& date) {
  CHAINHUB_ASSIGN_OR_RETURN(TempFile file, TempFile::Create(".xlsx"));
  lxw_workbook* workbook = workbook_new(file.path().c_str());
  if (workbook == nullptr) {
    return absl::InternalError(absl::StrCat("libxlsxwriter cannot start a workbook at ", file.path()));
  }
  lxw_error error = LXW_NO_ERROR;
  const std::string title = absl::StrCat("省十大产业链对接数据（", list_version, "版清单，截至", date, "）");
  lxw_doc_properties properties = {};
  properties.title = const_cast<char*>(title.c_str());
  // Created at the snapshot's date (00:00 China time): the same snapshot gives the same bytes.
  absl::CivilDay day;
  if (absl::ParseCivilTime(date, &day)) {
    properties.created = absl::ToTimeT(absl::FromCivil(day, ChinaTimeZone()));
  }
  if (lxw_error e = workbook_set_properties(workbook, &properties); e != LXW_NO_ERROR) error = e;
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  format_set_bg_color(header, 0xE8EEF7);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* yi = workbook_add_format(workbook);
  format_set_num_format(yi, "0.0000");
  lxw_format* integer = workbook_add_format(workbook);
  format_set_num_format(integer, "0");
  lxw_format* score = workbook_add_format(workbook);
  format_set_num_format(score, "0.00");
  for (RecordType type : province::RecordTypes()) {
    auto rows = by_type.find(type);
    if (rows == by_type.end()) continue;
    const std::string name(province::RecordTypeName(type));
    SheetWriter sheet(workbook_add_worksheet(workbook, name.c_str()), &error);
    const std::vector<Column> columns = AllColumns(lists, type);
    for (size_t col = 0; col < columns.size(); ++col) {
      sheet.Text(0, static_cast<int>(col), columns[col].header, header);
    }
    int row = 1;
    for (const Record* r : rows->second) {
      for (size_t col = 0; col < columns.size(); ++col) {
        const Column& c = columns[col];
        const int at = static_cast<int>(col);
        switch (c.kind) {
          case Kind::kText:
          case Kind::kYesNo: sheet.Text(row, at, c.text(*r)); break;
          case Kind::kYi: sheet.Number(row, at, c.number(*r), yi); break;
          case Kind::kInteger: sheet.Number(row, at, c.number(*r), integer); break;
          case Kind::kScore: sheet.Number(row, at, c.number(*r), score); break;
        }
      }
      ++row;
    }
    worksheet_freeze_panes(sheet.sheet(), 1, 0);
    worksheet_autofilter(sheet.sheet(), 0, 0, row - 1, static_cast<lxw_col_t>(columns.size() - 1));
    sheet.Finish();
  }
  // Closing writes the file and frees the workbook, also after an error.
  if (lxw_error e = workbook_close(workbook); e != LXW_NO_ERROR && error == LXW_NO_ERROR) error = e;
  if (error != LXW_NO_ERROR) {
    return absl::InternalError(absl::StrCat("libxlsxwriter: ", lxw_strerror(error)));
  }
  return file.Read();
}

}  // namespace

absl::StatusOr<SnapshotFile> ExportSnapshot(const std::vector<Record>& records,
                                            const province::ProvinceLists& lists,
                                            const std::string& list_version,
                                            const std::string& date, v1::ExportFormat format,
                                            RecordType type) {
  const std::string base = absl::StrCat("province-", list_version, "-", date);
  auto by_type = ByType(records);
  if (format == v1::EXPORT_FORMAT_CSV) {
    if (province::RecordTypeSlug(type).empty()) {
      return InvalidField("type", "must be set for CSV (one file per record type)");
    }
    CHAINHUB_ASSIGN_OR_RETURN(std::string csv, Csv(by_type[type], AllColumns(lists, type)));
    return SnapshotFile{absl::StrCat(base, "-", province::RecordTypeSlug(type), ".csv"),
                        std::move(csv)};
  }
  if (format != v1::EXPORT_FORMAT_XLSX) return InvalidField("format", "must be XLSX or CSV");
  if (type != province::v1::RECORD_TYPE_UNSPECIFIED) {
    if (province::RecordTypeSlug(type).empty()) return InvalidField("type", "must be a record type");
    for (auto it = by_type.begin(); it != by_type.end();) {
      it = it->first == type ? std::next(it) : by_type.erase(it);
    }
    // An empty sheet still says what it would hold.
    by_type[type];
  }
  // A sheet for every type, empty ones included, so that the workbook always has the same shape.
  if (type == province::v1::RECORD_TYPE_UNSPECIFIED) {
    for (RecordType t : province::RecordTypes()) by_type[t];
  }
  CHAINHUB_ASSIGN_OR_RETURN(std::string xlsx, Xlsx(by_type, lists, list_version, date));
  return SnapshotFile{absl::StrCat(base, ".xlsx"), std::move(xlsx)};
}

}  // namespace chainhub::sync
