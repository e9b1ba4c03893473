// Intake's input rules, field by field: projects, progress reports and work items. Each check
// appends a FieldViolation per bad field (path under `prefix`), so a client fixes a request in one
// round. Checks needing the registry or the store (does this chain exist?) live in the service.
#ifndef CHAINHUB_SERVICES_INTAKE_VALIDATION_H_
#define CHAINHUB_SERVICES_INTAKE_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "common/base/fields.h"

namespace chainhub::intake {

// Descriptive fields of a project as a client gives them (create, import row, or the merged
// result of an update). Output-only fields (name, stage_reason, completed/funds, light, size
// bands, etag, times) are ignored; stage and stage_dates are checked by InitialHistory.
// Rules: display_name required ≤128 chars; chain chains/{chain} (bare id refused) required; node,
// when set, chains/{chain}/nodes/{node} of the same chain; province_chains each an id
// (IsValidId), no duplicates, at most 10; county required ≤64, park ≤128; investor.name required
// ≤128, investor.origin set, investor.credit_code valid GB 32100 when set; source set;
// total_investment_yuan > 0 and ≤ 10^13 (10万亿); fixed_asset and annual_planned 0..total;
// responsible_leader ≤64; responsible_department departments/{dept} required; planned_start_date
// a date when set; external_id 1-64 of [A-Za-z0-9._-] when set.
void CheckProject(const v1::Project& project, const std::string& prefix,
                  std::vector<FieldViolation>* violations);

// month YYYY-MM (a real month); cumulative figures ≥ 0; note ≤ 500 chars.
void CheckProgressReport(const v1::ProgressReport& report, const std::string& prefix,
                         std::vector<FieldViolation>* violations);
bool IsValidMonth(absl::string_view month);

// kind set; title required ≤200; description ≤2000; subject projects/{id} or chains/{chain};
// owner_department departments/{dept}; deadline a date.
void CheckWorkItem(const v1::WorkItem& item, const std::string& prefix,
                   std::vector<FieldViolation>* violations);

// source: one-line text ≤128 chars.
absl::Status CheckImportHeader(const v1::ImportHeader& header);

// open → coordinating | resolved | escalated; coordinating → resolved | escalated; escalated →
// coordinating | resolved; resolved is final. FAILED_PRECONDITION "to_status: from OPEN an item
// moves to …"; note required (≤500) for ESCALATED and RESOLVED (INVALID_ARGUMENT note).
absl::Status CheckWorkItemTransition(v1::WorkItemStatus from, v1::WorkItemStatus to,
                                     absl::string_view note);

// Writable fields for UpdateProject / UpdateWorkItem masks.
const std::vector<std::string>& ProjectWritableFields();
const std::vector<std::string>& WorkItemWritableFields();

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_VALIDATION_H_
