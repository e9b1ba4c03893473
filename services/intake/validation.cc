#include "services/intake/validation.h"

#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/credit_code.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "services/intake/names.h"

namespace chainhub::intake {
namespace {

constexpr size_t kMaxDisplayName = 128;
constexpr size_t kMaxCounty = 64;
constexpr size_t kMaxPark = 128;
constexpr size_t kMaxInvestorName = 128;
constexpr size_t kMaxLeader = 64;
constexpr size_t kMaxNote = 500;
constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxDescription = 2000;
constexpr size_t kMaxImportSource = 128;
constexpr int kMaxProvinceChains = 10;
constexpr int64_t kMaxTotalInvestment = 10'000'000'000'000;  // 10万亿元

// "project.county", or "county" when there is no prefix.
std::string Path(const std::string& prefix, absl::string_view name) {
  return prefix.empty() ? std::string(name) : absl::StrCat(prefix, ".", name);
}

// Moves the violations carried by a status from a common/ parser into `v`.
void Collect(const absl::Status& status, std::vector<FieldViolation>* v) {
  if (status.ok()) return;
  std::vector<FieldViolation> found = FieldViolationsOf(status);
  if (found.empty()) found.push_back({"", std::string(status.message())});
  v->insert(v->end(), found.begin(), found.end());
}

bool IsValidExternalId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

void CheckDate(const std::string& field, const std::string& date, bool required,
               std::vector<FieldViolation>* v) {
  if (date.empty()) {
    if (required) v->push_back({field, "must not be empty"});
  } else if (!IsValidDate(date)) {
    v->push_back({field, absl::StrCat("must be a date YYYY-MM-DD, got ", Quoted(date))});
  }
}

void CheckDepartment(const std::string& field, const std::string& name,
                     std::vector<FieldViolation>* v) {
  if (name.empty()) {
    v->push_back({field, "must not be empty"});
  } else {
    Collect(DepartmentName::Parse(field, name).status(), v);
  }
}

std::string StatusName(v1::WorkItemStatus status) {
  if (!v1::WorkItemStatus_IsValid(status)) return absl::StrCat(static_cast<int>(status));
  std::string name = v1::WorkItemStatus_Name(status);
  if (absl::StartsWith(name, "WORK_ITEM_STATUS_")) name.erase(0, 17);
  return name;
}

std::vector<v1::WorkItemStatus> AllowedStatusMoves(v1::WorkItemStatus from) {
  switch (from) {
    case v1::WORK_ITEM_STATUS_OPEN:
      return {v1::WORK_ITEM_STATUS_COORDINATING, v1::WORK_ITEM_STATUS_RESOLVED,
              v1::WORK_ITEM_STATUS_ESCALATED};
    case v1::WORK_ITEM_STATUS_COORDINATING:
      return {v1::WORK_ITEM_STATUS_RESOLVED, v1::WORK_ITEM_STATUS_ESCALATED};
    case v1::WORK_ITEM_STATUS_ESCALATED:
      return {v1::WORK_ITEM_STATUS_COORDINATING, v1::WORK_ITEM_STATUS_RESOLVED};
    default:
      return {};  // RESOLVED is final
  }
}

}  // namespace

void CheckProject(const v1::Project& project, const std::string& prefix,
                  std::vector<FieldViolation>* violations) {
  auto* v = violations;
  auto field = [&](absl::string_view name) { return Path(prefix, name); };

  CheckOneLineText(v, field("display_name"), project.display_name(), true, kMaxDisplayName);

  std::optional<ChainName> chain;
  if (project.chain().empty()) {
    v->push_back({field("chain"), "must not be empty"});
  } else if (auto parsed = ChainName::Parse(field("chain"), project.chain()); parsed.ok()) {
    chain = std::move(*parsed);
  } else {
    Collect(parsed.status(), v);
  }
  if (!project.node().empty()) {
    if (auto node = NodeName::Parse(field("node"), project.node()); !node.ok()) {
      Collect(node.status(), v);
    } else if (chain && !(node->Chain() == *chain)) {
      v->push_back({field("node"), absl::StrCat("must be a node of ", chain->String(), ", got ",
                                                Quoted(project.node()))});
    }
  }

  if (project.province_chains_size() > kMaxProvinceChains) {
    v->push_back({field("province_chains"),
                  absl::StrCat("must have at most ", kMaxProvinceChains, " entries")});
  }
  std::set<std::string> seen;
  for (int i = 0; i < project.province_chains_size(); ++i) {
    const std::string& id = project.province_chains(i);
    const std::string path = absl::StrCat(field("province_chains"), "[", i, "]");
    if (!IsValidId(id)) {
      v->push_back({path, absl::StrCat("must be a province chain id (2-40 of a-z, 0-9 and '-', "
                                       "starting with a letter), got ",
                                       Quoted(id))});
    } else if (!seen.insert(id).second) {
      v->push_back({path, absl::StrCat("duplicates an earlier entry ", Quoted(id))});
    }
  }

  CheckOneLineText(v, field("county"), project.county(), true, kMaxCounty);
  CheckOneLineText(v, field("park"), project.park(), false, kMaxPark);

  const v1::Investor& investor = project.investor();
  CheckOneLineText(v, field("investor.name"), investor.name(), true, kMaxInvestorName);
  if (investor.origin() == v1::INVESTOR_ORIGIN_UNSPECIFIED ||
      !v1::InvestorOrigin_IsValid(investor.origin())) {
    v->push_back({field("investor.origin"), "must be IN_PROVINCE, OUT_OF_PROVINCE or FOREIGN"});
  }
  if (!investor.credit_code().empty()) {
    Collect(ValidateCreditCode(investor.credit_code(), field("investor.credit_code")), v);
  }

  if (project.source() == v1::PROJECT_SOURCE_UNSPECIFIED ||
      !v1::ProjectSource_IsValid(project.source())) {
    v->push_back({field("source"), "must be INVESTMENT or TALENT"});
  }

  const int64_t total = project.total_investment_yuan();
  const bool total_ok = total > 0 && total <= kMaxTotalInvestment;
  if (!total_ok) {
    v->push_back({field("total_investment_yuan"),
                  absl::StrCat("must be more than 0 and at most ", kMaxTotalInvestment,
                               " yuan (10万亿), got ", total)});
  }
  // Parts of the total: only compared with it when the total itself is sound.
  auto part = [&](absl::string_view name, int64_t value) {
    if (value < 0) {
      v->push_back({field(name), absl::StrCat("must not be negative, got ", value)});
    } else if (total_ok && value > total) {
      v->push_back({field(name), absl::StrCat("must not exceed total_investment_yuan (", total,
                                              "), got ", value)});
    }
  };
  part("fixed_asset_investment_yuan", project.fixed_asset_investment_yuan());
  part("annual_planned_investment_yuan", project.annual_planned_investment_yuan());

  CheckOneLineText(v, field("responsible_leader"), project.responsible_leader(), false, kMaxLeader);
  CheckDepartment(field("responsible_department"), project.responsible_department(), v);
  CheckDate(field("planned_start_date"), project.planned_start_date(), false, v);
  if (!project.external_id().empty() && !IsValidExternalId(project.external_id())) {
    v->push_back(
        {field("external_id"), absl::StrCat("must be 1-64 of A-Z, a-z, 0-9, '.', '_' and '-', got ",
                                            Quoted(project.external_id()))});
  }
}

bool IsValidMonth(absl::string_view month) {
  if (month.size() != 7 || month[4] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(month[i]))) return false;
  }
  const int m = (month[5] - '0') * 10 + (month[6] - '0');
  return m >= 1 && m <= 12;
}

void CheckProgressReport(const v1::ProgressReport& report, const std::string& prefix,
                         std::vector<FieldViolation>* violations) {
  auto* v = violations;
  if (!IsValidMonth(report.month())) {
    v->push_back({Path(prefix, "month"),
                  absl::StrCat("must be a month YYYY-MM, got ", Quoted(report.month()))});
  }
  if (report.cumulative_completed_yuan() < 0) {
    v->push_back({Path(prefix, "cumulative_completed_yuan"),
                  absl::StrCat("must not be negative, got ", report.cumulative_completed_yuan())});
  }
  if (report.cumulative_funds_arrived_yuan() < 0) {
    v->push_back(
        {Path(prefix, "cumulative_funds_arrived_yuan"),
         absl::StrCat("must not be negative, got ", report.cumulative_funds_arrived_yuan())});
  }
  CheckMultiLineText(v, Path(prefix, "note"), report.note(), false, kMaxNote);
}

void CheckWorkItem(const v1::WorkItem& item, const std::string& prefix,
                   std::vector<FieldViolation>* violations) {
  auto* v = violations;
  if (item.kind() == v1::WORK_ITEM_KIND_UNSPECIFIED || !v1::WorkItemKind_IsValid(item.kind())) {
    v->push_back({Path(prefix, "kind"), "must be ISSUE or TASK"});
  }
  CheckOneLineText(v, Path(prefix, "title"), item.title(), true, kMaxTitle);
  CheckMultiLineText(v, Path(prefix, "description"), item.description(), false, kMaxDescription);
  const std::string& subject = item.subject();
  if (subject.empty()) {
    v->push_back({Path(prefix, "subject"), "must not be empty"});
  } else if (!ProjectName::Parse("", subject).ok() && !ChainName::Parse("", subject).ok()) {
    v->push_back({Path(prefix, "subject"),
                  absl::StrCat("must be projects/{id} or chains/{chain}, got ", Quoted(subject))});
  }
  CheckDepartment(Path(prefix, "owner_department"), item.owner_department(), v);
  CheckDate(Path(prefix, "deadline"), item.deadline(), true, v);
}

absl::Status CheckImportHeader(const v1::ImportHeader& header) {
  std::vector<FieldViolation> v;
  CheckOneLineText(&v, "header.source", header.source(), false, kMaxImportSource);
  return ToStatus(v);
}

absl::Status CheckWorkItemTransition(v1::WorkItemStatus from, v1::WorkItemStatus to,
                                     absl::string_view note) {
  std::vector<FieldViolation> v;
  if (to == v1::WORK_ITEM_STATUS_UNSPECIFIED || !v1::WorkItemStatus_IsValid(to)) {
    v.push_back({"to_status", "must be one of OPEN, COORDINATING, RESOLVED, ESCALATED"});
  }
  const bool needs_note =
      to == v1::WORK_ITEM_STATUS_ESCALATED || to == v1::WORK_ITEM_STATUS_RESOLVED;
  if (needs_note && note.empty()) {
    v.push_back({"note", absl::StrCat("must not be empty when moving to ", StatusName(to))});
  } else {
    CheckMultiLineText(&v, "note", note, false, kMaxNote);
  }
  CHAINHUB_RETURN_IF_ERROR(ToStatus(v));

  const std::vector<v1::WorkItemStatus> allowed = AllowedStatusMoves(from);
  for (v1::WorkItemStatus s : allowed) {
    if (s == to) return absl::OkStatus();
  }
  if (from == v1::WORK_ITEM_STATUS_UNSPECIFIED || !v1::WorkItemStatus_IsValid(from)) {
    return FailedPrecondition("to_status", "the item has no current status");
  }
  if (allowed.empty()) {
    return FailedPrecondition(
        "to_status", absl::StrCat(StatusName(from), " is final; the item moves no further"));
  }
  std::vector<std::string> names;
  for (v1::WorkItemStatus s : allowed) names.push_back(StatusName(s));
  std::string list = names.size() == 2 ? absl::StrCat(names[0], " or ", names[1])
                                       : absl::StrCat(names[0], ", ", names[1], " or ", names[2]);
  return FailedPrecondition(
      "to_status", absl::StrCat("from ", StatusName(from), " an item moves to ", list, ", not ",
                                StatusName(to)));
}

const std::vector<std::string>& ProjectWritableFields() {
  static const auto* const kFields = new std::vector<std::string>{
      "display_name",
      "node",
      "province_chains",
      "county",
      "park",
      "investor",
      "source",
      "total_investment_yuan",
      "fixed_asset_investment_yuan",
      "annual_planned_investment_yuan",
      "responsible_leader",
      "responsible_department",
      "provincial_key",
      "planned_start_date",
      "external_id",
  };
  return *kFields;
}

const std::vector<std::string>& WorkItemWritableFields() {
  static const auto* const kFields =
      new std::vector<std::string>{"title", "description", "owner_department", "deadline"};
  return *kFields;
}

}  // namespace chainhub::intake
