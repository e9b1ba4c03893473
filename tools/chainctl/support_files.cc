#include "tools/chainctl/support_files.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/message_differencer.h>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/base/message_file.h"
#include "common/base/status_util.h"
#include "services/support/calendar.h"
#include "services/support/names.h"
#include "services/support/request_rules.h"
#include "tools/chainctl/support_arguments.h"

namespace chainhub::chainctl {
namespace {

namespace pb = ::google::protobuf;

absl::Status Invalid(absl::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

// Full names of the fields the service sets, ignored in every support file.
const OutputOnlyFields& OutputOnly() {
  static const auto* const kOutputOnly = [] {
    auto* fields = new OutputOnlyFields;
    const std::pair<const pb::Descriptor*, std::vector<const char*>> outputs[] = {
        {spv1::Assignment::descriptor(),
         {"name", "enterprise_display_name", "chains", "last_visit_date", "next_visit_due",
          "visit_overdue", "active", "etag", "create_time", "update_time"}},
        {spv1::FirmPlan::descriptor(),
         {"name", "enterprise_display_name", "chains", "reviews", "etag", "create_time",
          "update_time"}},
        {spv1::PolicyItem::descriptor(), {"chains", "etag", "create_time", "update_time"}},
        {spv1::ChainPlan::descriptor(),
         {"name", "version", "published_version", "etag", "create_time", "update_time"}},
        {spv1::PlanTask::descriptor(), {"work_item"}},
    };
    for (const auto& [type, names] : outputs) {
      for (const char* name : names) fields->insert(absl::StrCat(type->full_name(), ".", name));
    }
    // The dynamic types below (a policy with its items, an entry with its chain).
    for (const char* name : {"name", "etag", "create_time", "update_time"}) {
      fields->insert(absl::StrCat("chainctl.files.PolicyWithItems.", name));
      fields->insert(absl::StrCat("chainctl.files.EntryOnChain.", name));
    }
    return fields;
  }();
  return *kOutputOnly;
}

bool Same(const pb::Message& a, const pb::Message& b) {
  pb::util::MessageDifferencer same;
  same.set_message_field_comparison(pb::util::MessageDifferencer::EQUIVALENT);
  return same.Compare(a, b);
}

// The paths of `fields` (top-level, by name) whose values differ between `a` and `b`.
std::vector<std::string> Differing(const pb::Message& a, const pb::Message& b,
                                   const std::vector<std::string>& fields) {
  std::vector<std::string> paths;
  const pb::Descriptor* type = a.GetDescriptor();
  for (const std::string& name : fields) {
    const pb::FieldDescriptor* field = type->FindFieldByName(name);
    pb::util::MessageDifferencer one;
    one.set_message_field_comparison(pb::util::MessageDifferencer::EQUIVALENT);
    std::vector<const pb::FieldDescriptor*> only = {field};
    if (!one.CompareWithFields(a, b, only, only)) paths.push_back(name);
  }
  return paths;
}

void CompleteOfficial(spv1::Official* o) {
  if (!o->department().empty()) o->set_department(DepartmentArg(o->department()));
}

// Message types made at run time for the files whose entries carry more than the proto's message:
// a policy with its items, a chain entry with its chain. Built once in a pool over the generated
// one, so their fields are the proto's own.
class FileTypes {
 public:
  static const FileTypes& Get() {
    static const FileTypes* types = new FileTypes();
    return *types;
  }

  // chainctl.files.PoliciesFile { repeated PolicyWithItems policies = 1; } where PolicyWithItems
  // is Policy plus `repeated PolicyItem items = 1000`.
  std::unique_ptr<pb::Message> NewPoliciesFile() const { return New("PoliciesFile"); }
  // chainctl.files.EntriesFile { repeated EntryOnChain entries = 1; } where EntryOnChain is
  // ChainEntry plus `string chain = 1000; string parent = 1001`.
  std::unique_ptr<pb::Message> NewEntriesFile() const { return New("EntriesFile"); }

 private:
  FileTypes() : pool_(pb::DescriptorPool::generated_pool()) {
    pb::FileDescriptorProto file;
    file.set_name("chainctl/support_files.proto");
    file.set_package("chainctl.files");
    file.set_syntax("proto3");
    const pb::FileDescriptor* support = spv1::Policy::descriptor()->file();
    file.add_dependency(support->name());
    for (int i = 0; i < support->dependency_count(); ++i) {
      file.add_dependency(support->dependency(i)->name());
    }
    AddExtended(spv1::Policy::descriptor(), "PolicyWithItems",
                {{"items", 1000, ".chainhub.support.v1.PolicyItem"}}, &file);
    AddList("PoliciesFile", "policies", ".chainctl.files.PolicyWithItems", &file);
    AddExtended(spv1::ChainEntry::descriptor(), "EntryOnChain",
                {{"chain", 1000, ""}, {"parent", 1001, ""}}, &file);
    AddList("EntriesFile", "entries", ".chainctl.files.EntryOnChain", &file);
    file_ = pool_.BuildFile(file);
  }

  struct Extra {
    const char* name;
    int number;
    const char* message_type;  // "" for a string
  };

  static void AddExtended(const pb::Descriptor* base, const char* name,
                          const std::vector<Extra>& extras, pb::FileDescriptorProto* file) {
    pb::DescriptorProto* type = file->add_message_type();
    base->CopyTo(type);
    type->set_name(name);
    for (const Extra& e : extras) {
      pb::FieldDescriptorProto* f = type->add_field();
      f->set_name(e.name);
      f->set_json_name(e.name);
      f->set_number(e.number);
      if (*e.message_type != '\0') {
        f->set_label(pb::FieldDescriptorProto::LABEL_REPEATED);
        f->set_type(pb::FieldDescriptorProto::TYPE_MESSAGE);
        f->set_type_name(e.message_type);
      } else {
        f->set_label(pb::FieldDescriptorProto::LABEL_OPTIONAL);
        f->set_type(pb::FieldDescriptorProto::TYPE_STRING);
      }
    }
  }

  static void AddList(const char* name, const char* field, const char* element,
                      pb::FileDescriptorProto* file) {
    pb::DescriptorProto* type = file->add_message_type();
    type->set_name(name);
    pb::FieldDescriptorProto* f = type->add_field();
    f->set_name(field);
    f->set_number(1);
    f->set_label(pb::FieldDescriptorProto::LABEL_REPEATED);
    f->set_type(pb::FieldDescriptorProto::TYPE_MESSAGE);
    f->set_type_name(element);
  }

  std::unique_ptr<pb::Message> New(const std::string& type) const {
    const pb::Descriptor* d = file_ == nullptr ? nullptr : file_->FindMessageTypeByName(type);
    if (d == nullptr) return nullptr;
    return std::unique_ptr<pb::Message>(factory_.GetPrototype(d)->New());
  }

  pb::DescriptorPool pool_;
  const pb::FileDescriptor* file_ = nullptr;
  mutable pb::DynamicMessageFactory factory_;
};

// The bytes of a dynamic entry parsed as the proto's message: the fields they share keep their
// numbers; the added ones (1000 and up) are dropped.
template <typename Proto>
Proto AsProto(const pb::Message& dynamic) {
  Proto proto;
  proto.ParseFromString(dynamic.SerializeAsString());
  proto.GetReflection()->MutableUnknownFields(&proto)->Clear();
  return proto;
}

std::string StringField(const pb::Message& m, const char* name) {
  const pb::FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  return m.GetReflection()->GetString(m, f);
}

}  // namespace

// --- 包保 ---------------------------------------------------------------------------------------

absl::StatusOr<std::vector<spv1::Assignment>> ParseAssignmentsFile(absl::string_view text) {
  spv1::ListAssignmentsResponse file;
  CHAINHUB_RETURN_IF_ERROR(
      ParseListFile(text, "assignments", "an assignments file", OutputOnly(), &file));
  std::vector<spv1::Assignment> assignments;
  std::map<std::string, int> first;
  for (int i = 0; i < file.assignments_size(); ++i) {
    spv1::Assignment& a = *file.mutable_assignments(i);
    const std::string entry = absl::StrCat("assignments[", i, "]");
    if (a.enterprise().empty()) return Invalid(entry + ".enterprise", "required (a credit code)");
    if (a.start_date().empty()) return Invalid(entry + ".start_date", "required (YYYY-MM-DD)");
    a.set_enterprise(EnterpriseArg(a.enterprise()));
    if (a.has_leader()) CompleteOfficial(a.mutable_leader());
    for (spv1::Official& o : *a.mutable_officers()) CompleteOfficial(&o);
    if (auto [it, added] = first.emplace(AssignmentKey(a), i); !added) {
      return Invalid(entry, absl::StrCat("the same enterprise and start_date as assignments[",
                                         it->second, "]"));
    }
    assignments.push_back(std::move(a));
  }
  return assignments;
}

std::string AssignmentKey(const spv1::Assignment& a) {
  return absl::StrCat(a.enterprise(), "@", a.start_date());
}

std::vector<std::string> AssignmentChanges(const spv1::Assignment& wanted,
                                           const spv1::Assignment& stored) {
  spv1::Assignment w = wanted;
  if (w.cadence() == spv1::CADENCE_UNSPECIFIED) w.set_cadence(stored.cadence());
  return Differing(w, stored, {"leader", "officers", "end_date", "cadence"});
}

absl::StatusOr<std::vector<spv1::FirmPlan>> ParseFirmPlansFile(absl::string_view text) {
  spv1::ListFirmPlansResponse file;
  CHAINHUB_RETURN_IF_ERROR(
      ParseListFile(text, "firm_plans", "a firm plans file", OutputOnly(), &file));
  std::vector<spv1::FirmPlan> plans;
  std::map<std::string, int> first;
  for (int i = 0; i < file.firm_plans_size(); ++i) {
    spv1::FirmPlan& p = *file.mutable_firm_plans(i);
    const std::string entry = absl::StrCat("firm_plans[", i, "]");
    if (p.enterprise().empty()) return Invalid(entry + ".enterprise", "required (a credit code)");
    if (p.title().empty()) return Invalid(entry + ".title", "required");
    p.set_enterprise(EnterpriseArg(p.enterprise()));
    for (spv1::SupportMeasure& m : *p.mutable_measures()) {
      if (!m.department().empty()) m.set_department(DepartmentArg(m.department()));
    }
    if (auto [it, added] = first.emplace(FirmPlanKey(p), i); !added) {
      return Invalid(entry,
                     absl::StrCat("the same enterprise and title as firm_plans[", it->second, "]"));
    }
    plans.push_back(std::move(p));
  }
  return plans;
}

std::string FirmPlanKey(const spv1::FirmPlan& plan) {
  return absl::StrCat(plan.enterprise(), "|", plan.title());
}

std::vector<std::string> FirmPlanChanges(const spv1::FirmPlan& wanted,
                                         const spv1::FirmPlan& stored) {
  return Differing(wanted, stored, {"goals", "measures"});
}

// --- 政策链
// ---------------------------------------------------------------------------------------

absl::StatusOr<std::vector<PolicyEntry>> ParsePoliciesFile(absl::string_view text) {
  std::unique_ptr<pb::Message> file = FileTypes::Get().NewPoliciesFile();
  if (file == nullptr) return absl::InternalError("the policies file type could not be built");
  CHAINHUB_RETURN_IF_ERROR(
      ParseListFile(text, "policies", "a policies file", OutputOnly(), file.get()));
  const pb::FieldDescriptor* list = file->GetDescriptor()->FindFieldByName("policies");
  const pb::Reflection* r = file->GetReflection();
  std::vector<PolicyEntry> entries;
  std::map<std::string, int> first;
  for (int i = 0; i < r->FieldSize(*file, list); ++i) {
    const pb::Message& dynamic = r->GetRepeatedMessage(*file, list, i);
    const std::string where = absl::StrCat("policies[", i, "]");
    PolicyEntry entry;
    entry.policy = AsProto<spv1::Policy>(dynamic);
    spv1::Policy& p = entry.policy;
    if (p.title().empty()) return Invalid(where + ".title", "required");
    if (p.department().empty()) return Invalid(where + ".department", "required (e.g. jxj)");
    p.set_department(DepartmentArg(p.department()));
    for (std::string& chain : *p.mutable_chains()) chain = ChainArg(chain);
    if (auto [it, added] = first.emplace(PolicyKey(p), i); !added) {
      return Invalid(where, absl::StrCat(p.document_number().empty() ? "the same title"
                                                                     : "the same document_number",
                                         " as policies[", it->second, "]"));
    }
    const pb::FieldDescriptor* items = dynamic.GetDescriptor()->FindFieldByName("items");
    const pb::Reflection* ir = dynamic.GetReflection();
    std::map<std::string, int> ids;
    for (int j = 0; j < ir->FieldSize(dynamic, items); ++j) {
      spv1::PolicyItem item = AsProto<spv1::PolicyItem>(ir->GetRepeatedMessage(dynamic, items, j));
      const std::string item_where = absl::StrCat(where, ".items[", j, "]");
      std::string id = item.name();
      if (const size_t slash = id.rfind('/'); slash != std::string::npos) id = id.substr(slash + 1);
      if (id.empty())
        return Invalid(item_where + ".name", "required (the item's id, e.g. pv-giant)");
      if (auto [it, added] = ids.emplace(id, j); !added) {
        return Invalid(item_where + ".name",
                       absl::StrCat("'", id, "' is also ", where, ".items[", it->second, "]'s"));
      }
      if (!item.department().empty()) item.set_department(DepartmentArg(item.department()));
      entry.item_ids.push_back(id);
      entry.items.push_back(std::move(item));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string PolicyKey(const spv1::Policy& policy) {
  return policy.document_number().empty() ? absl::StrCat("title:", policy.title())
                                          : absl::StrCat("number:", policy.document_number());
}

std::vector<spv1::PolicyItem> ItemsUnder(const PolicyEntry& entry, absl::string_view policy) {
  std::vector<spv1::PolicyItem> items = entry.items;
  for (size_t i = 0; i < items.size(); ++i) {
    items[i].set_name(absl::StrCat(policy, "/items/", entry.item_ids[i]));
  }
  return items;
}

std::vector<std::string> PolicyItemChanges(const spv1::PolicyItem& wanted,
                                           const spv1::PolicyItem& stored) {
  return Differing(wanted, stored,
                   {"title", "eligibility", "standard", "base_amount_yuan", "bonuses", "cap_yuan",
                    "open_date", "close_date", "lane", "time_limit_working_days", "budget_yuan"});
}

// --- 多链协同 ------------------------------------------------------------------------------------

absl::StatusOr<std::vector<EntryOnChain>> ParseEntriesFile(absl::string_view text,
                                                           absl::string_view default_chain) {
  std::unique_ptr<pb::Message> file = FileTypes::Get().NewEntriesFile();
  if (file == nullptr) return absl::InternalError("the entries file type could not be built");
  CHAINHUB_RETURN_IF_ERROR(
      ParseListFile(text, "entries", "an entries file", OutputOnly(), file.get()));
  const pb::FieldDescriptor* list = file->GetDescriptor()->FindFieldByName("entries");
  const pb::Reflection* r = file->GetReflection();
  std::vector<EntryOnChain> entries;
  std::map<std::string, int> first;
  for (int i = 0; i < r->FieldSize(*file, list); ++i) {
    const pb::Message& dynamic = r->GetRepeatedMessage(*file, list, i);
    const std::string where = absl::StrCat("entries[", i, "]");
    const std::string chain = StringField(dynamic, "chain");
    const std::string parent = StringField(dynamic, "parent");
    if (!chain.empty() && !parent.empty() && ChainArg(chain) != ChainArg(parent)) {
      return Invalid(where, "chain and parent name different chains; give one");
    }
    EntryOnChain e;
    e.parent = !parent.empty()         ? ChainArg(parent)
               : !chain.empty()        ? ChainArg(chain)
               : default_chain.empty() ? ""
                                       : ChainArg(default_chain);
    if (e.parent.empty()) {
      return Invalid(where + ".chain", "required (chain: pv, parent: chains/pv, or --chain)");
    }
    e.entry = AsProto<spv1::ChainEntry>(dynamic);
    if (e.entry.kind() == spv1::ENTRY_KIND_UNSPECIFIED) {
      return Invalid(where + ".kind",
                     "required (TALENT_DEMAND, TECH_CHALLENGE, FINANCE_PARTNER, "
                     "SUPPLY_OPPORTUNITY or PURCHASE_OPPORTUNITY)");
    }
    if (e.entry.title().empty()) return Invalid(where + ".title", "required");
    if (!e.entry.owner().empty() && !absl::StrContains(e.entry.owner(), "/")) {
      // A bare owner is a credit code (an enterprise) when it is 18 characters, else a department.
      e.entry.set_owner(e.entry.owner().size() == 18 ? EnterpriseArg(e.entry.owner())
                                                     : DepartmentArg(e.entry.owner()));
    }
    if (auto [it, added] = first.emplace(EntryKey(e.parent, e.entry), i); !added) {
      return Invalid(where,
                     absl::StrCat("the same chain, kind and title as entries[", it->second, "]"));
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

std::string EntryKey(absl::string_view parent, const spv1::ChainEntry& entry) {
  return absl::StrCat(parent, "|", spv1::EntryKind_Name(entry.kind()), "|", entry.title());
}

std::vector<std::string> EntryChanges(const spv1::ChainEntry& wanted,
                                      const spv1::ChainEntry& stored) {
  spv1::ChainEntry w = wanted;
  if (w.status() == spv1::ENTRY_STATUS_UNSPECIFIED) w.set_status(stored.status());
  std::vector<std::string> paths =
      Differing(w, stored, {"node", "valid_from", "valid_to", "status", "contact"});
  if (!Differing(w, stored, {"talent", "challenge", "finance", "opportunity"}).empty()) {
    paths.push_back("detail");
  }
  return paths;
}

// --- 规划引领 ------------------------------------------------------------------------------------

absl::StatusOr<spv1::ChainPlan> ParsePlanFile(absl::string_view text) {
  spv1::ChainPlan plan;
  CHAINHUB_RETURN_IF_ERROR(ParseMessageFile(text, OutputOnly(), &plan));
  if (plan.kind() == spv1::PLAN_KIND_UNSPECIFIED) {
    return Invalid("kind", "required (FIVE_YEAR, THREE_YEAR_ACTION or ANNUAL_KEY_POINTS)");
  }
  if (plan.title().empty()) return Invalid("title", "required");
  if (plan.start_year() == 0) return Invalid("start_year", "required");
  for (spv1::PlanTask& t : *plan.mutable_tasks()) {
    if (!t.lead_department().empty()) t.set_lead_department(DepartmentArg(t.lead_department()));
    for (std::string& d : *t.mutable_partner_departments()) d = DepartmentArg(d);
    for (std::string& e : *t.mutable_enterprises()) e = EnterpriseArg(e);
  }
  for (spv1::PlanTarget& t : *plan.mutable_targets()) {
    if (!absl::StartsWith(t.indicator(), "indicators/")) {
      t.set_indicator(absl::StrCat("indicators/", t.indicator()));
    }
  }
  return plan;
}

std::string PlanKey(const spv1::ChainPlan& plan) {
  return absl::StrCat(spv1::PlanKind_Name(plan.kind()), "|", plan.start_year(), "|", plan.title());
}

std::vector<std::string> PlanChanges(const spv1::ChainPlan& wanted, const spv1::ChainPlan& stored) {
  spv1::ChainPlan s = stored;
  for (spv1::PlanTask& t : *s.mutable_tasks()) t.clear_work_item();
  return Differing(wanted, s, {"end_year", "targets", "tasks"});
}

// --- The calendar and the deadline rules --------------------------------------------------------

absl::StatusOr<spv1::Calendar> CalendarFromCsv(absl::string_view text) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<support::CalendarDay> days,
                            support::ParseCalendarCsv(text));
  std::stable_sort(
      days.begin(), days.end(),
      [](const support::CalendarDay& a, const support::CalendarDay& b) { return a.date < b.date; });
  spv1::Calendar calendar;
  calendar.set_name(std::string(support::kCalendarName));
  for (const support::CalendarDay& d : days) {
    spv1::CalendarDay* day = calendar.add_days();
    day->set_date(absl::FormatCivilTime(d.date));
    day->set_working(d.working);
    day->set_name(d.name);
  }
  return calendar;
}

absl::StatusOr<spv1::DeadlineRules> DeadlineRulesFromYaml(absl::string_view text) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<support::DeadlineRule> rules,
                            support::ParseDeadlineRulesYaml(text));
  spv1::DeadlineRules proto = support::RulesToProto(rules);
  proto.set_name(std::string(support::kDeadlineRulesName));
  return proto;
}

bool SameDays(const spv1::Calendar& a, const spv1::Calendar& b) {
  spv1::Calendar x, y;
  *x.mutable_days() = a.days();
  *y.mutable_days() = b.days();
  return Same(x, y);
}

bool SameRules(const spv1::DeadlineRules& a, const spv1::DeadlineRules& b) {
  spv1::DeadlineRules x, y;
  *x.mutable_rules() = a.rules();
  *y.mutable_rules() = b.rules();
  return Same(x, y);
}

// --- CSV uploads ---------------------------------------------------------------------------------

std::vector<std::string> CsvPieces(absl::string_view csv, size_t max_bytes) {
  std::vector<std::string> pieces;
  size_t start = 0;     // where the piece being made starts
  size_t last_end = 0;  // where the last whole record in it ends
  bool quoted = false;
  auto record_ends_at = [&](size_t end) {
    if (end - start > max_bytes && last_end > start) {
      pieces.emplace_back(csv.substr(start, last_end - start));
      start = last_end;
    }
    last_end = end;
  };
  for (size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (c == '"') {
      quoted = !quoted;
      continue;
    }
    if (quoted || (c != '\n' && c != '\r')) continue;
    if (c == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n') ++i;
    record_ends_at(i + 1);
  }
  if (last_end < csv.size()) record_ends_at(csv.size());
  if (start < csv.size()) pieces.emplace_back(csv.substr(start));
  return pieces;
}

}  // namespace chainhub::chainctl
