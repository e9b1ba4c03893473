#include "services/sync/province_mapping.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/fields.h"
#include "google/protobuf/util/time_util.h"
#include "services/assessment/periods.h"

namespace chainhub::sync {

namespace {

std::vector<std::string> Ids(const google::protobuf::RepeatedPtrField<std::string>& ids) {
  return {ids.begin(), ids.end()};
}

void SetCategories(const Taxonomy& taxonomy, absl::string_view version,
                   const std::vector<std::string>& chain_ids,
                   const std::vector<std::string>& override_ids, Record* record) {
  bool is_override = false;
  for (auto& c : taxonomy.Categories(version, chain_ids, override_ids, &is_override)) {
    record->add_categories(std::move(c));
  }
  record->set_category_override(is_override);
}

Record Keyed(absl::string_view version, province::v1::RecordType type, std::string id) {
  Record r;
  r.set_list_version(std::string(version));
  r.set_type(type);
  r.set_id(std::move(id));
  return r;
}

const char* LabelName(registry::v1::EnterpriseLabel label) {
  switch (label) {
    case registry::v1::ENTERPRISE_LABEL_CHAIN_OWNER: return "链主企业";
    case registry::v1::ENTERPRISE_LABEL_HEAD: return "头部企业";
    case registry::v1::ENTERPRISE_LABEL_ABOVE_SIZE: return "规上企业";
    case registry::v1::ENTERPRISE_LABEL_SPECIALIZED: return "专精特新";
    case registry::v1::ENTERPRISE_LABEL_HIGH_TECH: return "高新技术企业";
    default: return "";
  }
}

const char* StageName(intake::v1::Stage stage) {
  switch (stage) {
    case intake::v1::STAGE_NEGOTIATING: return "在谈";
    case intake::v1::STAGE_SIGNED: return "签约";
    case intake::v1::STAGE_REGISTERED: return "注册";
    case intake::v1::STAGE_STARTED: return "开工";
    case intake::v1::STAGE_IN_PRODUCTION: return "投产";
    case intake::v1::STAGE_FULL_OUTPUT: return "达产";
    case intake::v1::STAGE_STALLED: return "停滞";
    case intake::v1::STAGE_CANCELLED: return "终止";
    default: return "";
  }
}

const char* OriginName(intake::v1::InvestorOrigin origin) {
  switch (origin) {
    case intake::v1::INVESTOR_ORIGIN_IN_PROVINCE: return "省内";
    case intake::v1::INVESTOR_ORIGIN_OUT_OF_PROVINCE: return "省外";
    case intake::v1::INVESTOR_ORIGIN_FOREIGN: return "境外";
    default: return "";
  }
}

const char* LightName(intake::v1::Light light) {
  switch (light) {
    case intake::v1::LIGHT_GREEN: return "绿";
    case intake::v1::LIGHT_YELLOW: return "黄";
    case intake::v1::LIGHT_RED: return "红";
    default: return "";
  }
}

const char* GradeName(assessment::v1::Grade grade) {
  switch (grade) {
    case assessment::v1::GRADE_EXCELLENT: return "优秀";
    case assessment::v1::GRADE_GOOD: return "良好";
    case assessment::v1::GRADE_PASS: return "合格";
    case assessment::v1::GRADE_FAIL: return "不合格";
    default: return "";
  }
}

std::vector<std::string> ProjectOverride(const intake::v1::Project& project) {
  return project.province_chains_source() == "override" ? Ids(project.province_chains())
                                                        : std::vector<std::string>{};
}

}  // namespace

std::vector<std::string> Taxonomy::Categories(absl::string_view version,
                                              const std::vector<std::string>& chain_ids,
                                              const std::vector<std::string>& override_ids,
                                              bool* is_override) const {
  *is_override = false;
  const ProvinceLists::List* list = lists.Find(version);
  if (!override_ids.empty() && list != nullptr &&
      std::all_of(override_ids.begin(), override_ids.end(),
                  [list](const std::string& id) { return list->chains.contains(id); })) {
    *is_override = true;
    std::set<std::string> unique(override_ids.begin(), override_ids.end());
    return {unique.begin(), unique.end()};
  }
  std::set<std::string> merged;
  for (const std::string& chain : chain_ids) {
    auto by_chain = mapping.find(chain);
    if (by_chain == mapping.end()) continue;
    auto ids = by_chain->second.find(std::string(version));
    if (ids == by_chain->second.end()) continue;
    merged.insert(ids->second.begin(), ids->second.end());
  }
  return {merged.begin(), merged.end()};
}

std::optional<std::string> ListVersionOn(const Taxonomy& taxonomy, absl::string_view date) {
  const ProvinceLists::List* list = taxonomy.lists.InForceOn(date);
  if (list == nullptr) return std::nullopt;
  return list->version;
}

std::string ProjectDate(const intake::v1::Project& project) {
  const auto& d = project.stage_dates();
  for (const std::string* date : {&d.signed_(), &d.negotiating(), &d.registered(), &d.started(),
                                   &d.in_production(), &d.full_output()}) {
    if (!date->empty()) return *date;
  }
  return ChinaDate(absl::FromUnixSeconds(project.create_time().seconds()));
}

std::string PeriodLastDay(absl::string_view period) {
  auto parsed = assessment::Period::Parse("period", period);
  if (!parsed.ok()) return "";
  return assessment::FormatDate(parsed->LastDay());
}

std::string ChainIdOf(absl::string_view name) {
  if (!absl::ConsumePrefix(&name, "chains/")) return "";
  return std::string(name.substr(0, name.find('/')));
}

Record ChainRecord(const Taxonomy& taxonomy, absl::string_view version,
                   const registry::v1::Chain& chain) {
  Record r = Keyed(version, province::v1::RECORD_TYPE_CHAIN, chain.name());
  const std::string id = ChainIdOf(chain.name());
  SetCategories(taxonomy, version, {id}, {}, &r);
  auto* c = r.mutable_chain();
  c->set_chain_id(id);
  c->set_name(chain.display_name());
  if (chain.has_leader()) {
    c->set_leader(chain.leader().title().empty()
                      ? chain.leader().name()
                      : absl::StrCat(chain.leader().title(), " ", chain.leader().name()));
  }
  c->set_lead_department(chain.lead_department());
  for (const auto& county : chain.host_counties()) c->add_host_counties(county);
  c->set_target_output_yuan(chain.target_output_yuan());
  c->set_target_year(chain.target_year());
  return r;
}

Record EnterpriseRecord(const Taxonomy& taxonomy, absl::string_view version,
                        const registry::v1::Enterprise& enterprise) {
  Record r = Keyed(version, province::v1::RECORD_TYPE_ENTERPRISE, enterprise.name());
  std::set<std::string> chains;
  for (const auto& m : enterprise.memberships()) {
    if (std::string id = ChainIdOf(m); !id.empty()) chains.insert(std::move(id));
  }
  const std::vector<std::string> chain_ids(chains.begin(), chains.end());
  SetCategories(taxonomy, version, chain_ids, Ids(enterprise.province_category_override()), &r);
  auto* e = r.mutable_enterprise();
  e->set_credit_code(enterprise.credit_code());
  e->set_name(enterprise.display_name());
  e->set_county(enterprise.county());
  e->set_park(enterprise.park());
  for (int label : enterprise.labels()) {
    if (const char* name = LabelName(static_cast<registry::v1::EnterpriseLabel>(label)); *name) {
      e->add_labels(name);
    }
  }
  e->set_annual_output_yuan(enterprise.annual_output_yuan());
  for (const auto& id : chain_ids) e->add_chains(id);
  return r;
}

Record ProjectRecord(const Taxonomy& taxonomy, absl::string_view version,
                     const intake::v1::Project& project) {
  Record r = Keyed(version, province::v1::RECORD_TYPE_PROJECT, project.name());
  r.set_business_date(ProjectDate(project));
  SetCategories(taxonomy, version, {ChainIdOf(project.chain())}, ProjectOverride(project), &r);
  auto* p = r.mutable_project();
  p->set_project_id(std::string(absl::StripPrefix(project.name(), "projects/")));
  p->set_name(project.display_name());
  p->set_chain_id(ChainIdOf(project.chain()));
  p->set_county(project.county());
  p->set_park(project.park());
  p->set_investor(project.investor().name());
  p->set_investor_origin(OriginName(project.investor().origin()));
  p->set_total_investment_yuan(project.total_investment_yuan());
  p->set_fixed_asset_investment_yuan(project.fixed_asset_investment_yuan());
  p->set_annual_planned_investment_yuan(project.annual_planned_investment_yuan());
  p->set_completed_investment_yuan(project.completed_investment_yuan());
  p->set_funds_arrived_yuan(project.funds_arrived_yuan());
  p->set_stage(StageName(project.stage()));
  p->set_signed_date(project.stage_dates().signed_());
  p->set_started_date(project.stage_dates().started());
  p->set_in_production_date(project.stage_dates().in_production());
  p->set_provincial_key(project.provincial_key());
  p->set_above_100m(project.total_investment_yuan() >= 100'000'000);
  p->set_from_outside_province(
      project.investor().origin() == intake::v1::INVESTOR_ORIGIN_OUT_OF_PROVINCE ||
      project.investor().origin() == intake::v1::INVESTOR_ORIGIN_FOREIGN);
  p->set_responsible_department(project.responsible_department());
  p->set_light(LightName(project.light()));
  return r;
}

Record ProgressRecord(const Taxonomy& taxonomy, absl::string_view version,
                      const intake::v1::Project& project,
                      const intake::v1::ProgressReport& report) {
  Record r = Keyed(version, province::v1::RECORD_TYPE_PROGRESS, report.name());
  r.set_business_date(absl::StrCat(report.month(), "-01"));
  SetCategories(taxonomy, version, {ChainIdOf(project.chain())}, ProjectOverride(project), &r);
  auto* p = r.mutable_progress();
  p->set_project_id(std::string(absl::StripPrefix(project.name(), "projects/")));
  p->set_project_name(project.display_name());
  p->set_month(report.month());
  p->set_cumulative_completed_yuan(report.cumulative_completed_yuan());
  p->set_cumulative_funds_arrived_yuan(report.cumulative_funds_arrived_yuan());
  return r;
}

std::vector<Record> AssessmentResultRecords(
    const Taxonomy& taxonomy, absl::string_view version, const assessment::v1::Run& run,
    const std::map<std::string, std::string>& chain_names) {
  std::vector<Record> out;
  const std::string date = PeriodLastDay(run.period());
  for (const auto& result : run.results()) {
    const std::string chain = ChainIdOf(result.subject());
    if (chain.empty()) continue;
    Record r = Keyed(version, province::v1::RECORD_TYPE_ASSESSMENT_RESULT,
                     absl::StrCat(run.name(), "/results/", chain));
    r.set_business_date(date);
    SetCategories(taxonomy, version, {chain}, {}, &r);
    auto* a = r.mutable_assessment_result();
    a->set_run_id(std::string(absl::StripPrefix(run.name(), "runs/")));
    a->set_period(run.period());
    a->set_chain_id(chain);
    auto name = chain_names.find(chain);
    a->set_chain_name(name != chain_names.end() ? name->second : result.display_name());
    a->set_score(result.total());
    a->set_rank(result.rank());
    a->set_grade(GradeName(result.grade()));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace chainhub::sync
