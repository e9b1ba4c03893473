// The files chainctl's support verbs read: YAML (or JSON) files of the proto's messages in the form
// of common/base/message_file.h (the proto's field names, enums by name, output-only fields
// ignored), the working-day calendar CSV and the deadline-rules file. Each `apply` file is made
// true in the service: an entry is matched with what the service holds by a key of fields that do
// not change (below), created when there is none, updated with the changed fields when it
// differs, and left alone when it is the same. Errors name the place, the entry and the field:
// "line 9, column 7: assignments[1].cadence: must be one of …". Pure functions, tested in
// tests/unit/chainctl_support_files_test.cc.
#ifndef CHAINHUB_TOOLS_CHAINCTL_SUPPORT_FILES_H_
#define CHAINHUB_TOOLS_CHAINCTL_SUPPORT_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/support/v1/support.pb.h"

namespace chainhub::chainctl {

namespace spv1 = ::chainhub::support::v1;

// --- 包保 ---------------------------------------------------------------------------------------

// A list of Assignment, bare or under `assignments:`. Each needs an enterprise (a credit code or
// enterprises/{code}) and a start_date; departments may be bare ids (jxj → departments/jxj). Two
// entries may not share a key.
absl::StatusOr<std::vector<spv1::Assignment>> ParseAssignmentsFile(absl::string_view text);
// An assignment's key: its enterprise and start date ("enterprises/…@2026-05-10").
std::string AssignmentKey(const spv1::Assignment& assignment);
// The fields UpdateAssignment would change to make `stored` what `wanted` says (leader, officers,
// end_date, cadence; a cadence the file leaves out is no change); empty when none.
std::vector<std::string> AssignmentChanges(const spv1::Assignment& wanted,
                                           const spv1::Assignment& stored);

// A list of FirmPlan, bare or under `firm_plans:`. Each needs an enterprise and a title; the key
// is the two together. Reviews are refused (they are added with `firm-plans review`).
absl::StatusOr<std::vector<spv1::FirmPlan>> ParseFirmPlansFile(absl::string_view text);
std::string FirmPlanKey(const spv1::FirmPlan& plan);
// goals and measures, when they differ.
std::vector<std::string> FirmPlanChanges(const spv1::FirmPlan& wanted,
                                         const spv1::FirmPlan& stored);

// --- 政策链
// ---------------------------------------------------------------------------------------

// One policy of a policies file and the items under it.
struct PolicyEntry {
  spv1::Policy policy;
  // Names completed once the policy's name is known (ItemsUnder).
  std::vector<spv1::PolicyItem> items;
  // Each item's id as the file gives it ("pv-small-giant").
  std::vector<std::string> item_ids;
};

// A list of Policy, bare or under `policies:`, each with its claimable items under `items:`
// (PolicyItem fields; `name` is the item's id, 1-40 of [a-z0-9-], or policies/{id}/items/{item}
// whose last part is taken). A policy needs a title and a department (departments complete);
// item ids are unique within a policy.
absl::StatusOr<std::vector<PolicyEntry>> ParsePoliciesFile(absl::string_view text);
// A policy's key: its document number (文号) when it has one, else its title.
std::string PolicyKey(const spv1::Policy& policy);
// The entry's items named under `policy` (policies/{id}).
std::vector<spv1::PolicyItem> ItemsUnder(const PolicyEntry& entry, absl::string_view policy);
// The updatable fields of an item that differ (title, eligibility, standard, amounts, bonuses,
// window, lane, time limit, budget): what the file says is the whole item.
std::vector<std::string> PolicyItemChanges(const spv1::PolicyItem& wanted,
                                           const spv1::PolicyItem& stored);

// --- 多链协同 ------------------------------------------------------------------------------------

// One entry of an entries file and the chain it is on.
struct EntryOnChain {
  std::string parent;  // chains/{chain}
  spv1::ChainEntry entry;
};

// A list of ChainEntry, bare or under `entries:`, each with `chain: pv` or `parent: chains/pv`
// (else `default_chain`, the --chain flag; an entry with none is an error). Each needs a kind and
// a title; the key is the chain, the kind and the title.
absl::StatusOr<std::vector<EntryOnChain>> ParseEntriesFile(absl::string_view text,
                                                           absl::string_view default_chain);
std::string EntryKey(absl::string_view parent, const spv1::ChainEntry& entry);
// node, valid_from, valid_to, status (when the file sets one), detail, contact, when they differ.
std::vector<std::string> EntryChanges(const spv1::ChainEntry& wanted,
                                      const spv1::ChainEntry& stored);

// --- 规划引领 ------------------------------------------------------------------------------------

// One ChainPlan (a map of its fields). It needs a kind, a title and a start year; lead and partner
// departments complete. Its key in its chain is the kind, the start year and the title — none of
// which an update may change but the title, so a plan renamed in the file is a new plan.
absl::StatusOr<spv1::ChainPlan> ParsePlanFile(absl::string_view text);
std::string PlanKey(const spv1::ChainPlan& plan);
// end_year, targets and tasks, when they differ (a task's work_item is the service's).
std::vector<std::string> PlanChanges(const spv1::ChainPlan& wanted, const spv1::ChainPlan& stored);

// --- The calendar and the deadline rules --------------------------------------------------------

// data/support/calendar-cn.csv's format (date,kind,name; services/support/calendar.h
// ParseCalendarCsv) as PutCalendar takes it: calendars/cn with the days sorted by date.
absl::StatusOr<spv1::Calendar> CalendarFromCsv(absl::string_view text);
// data/support/deadline-rules.yaml's format (services/support/request_rules.h
// ParseDeadlineRulesYaml) as PutDeadlineRules takes it, checked as the service checks it.
absl::StatusOr<spv1::DeadlineRules> DeadlineRulesFromYaml(absl::string_view text);
// Whether two calendars list the same days, and two rule sets the same rules (names, etags and
// times aside).
bool SameDays(const spv1::Calendar& a, const spv1::Calendar& b);
bool SameRules(const spv1::DeadlineRules& a, const spv1::DeadlineRules& b);

// --- CSV uploads ---------------------------------------------------------------------------------

// A CSV file cut into pieces of whole records, each at most about `max_bytes` (a record longer
// than that is a piece of its own), that put together are the file byte for byte: the line
// numbers the service reports are the file's. A record ends at a line end outside double quotes.
std::vector<std::string> CsvPieces(absl::string_view csv, size_t max_bytes);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_SUPPORT_FILES_H_
