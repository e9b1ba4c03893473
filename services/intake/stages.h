// The stage machine of a project (产业项目): the main line 在谈 → 签约 → 注册 → 开工 → 投产 → 达产,
// plus STALLED (停滞, with a reason; resumes to the stage it stalled at) and CANCELLED (终止, with
// a reason; final). Pure functions: the service supplies the project's state and today's date.
#ifndef CHAINHUB_SERVICES_INTAKE_STAGES_H_
#define CHAINHUB_SERVICES_INTAKE_STAGES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/intake/v1/intake.pb.h"

namespace chainhub::intake {

// Position on the main line: NEGOTIATING 1 … FULL_OUTPUT 6; 0 for STALLED, CANCELLED, UNSPECIFIED.
int LinePosition(v1::Stage stage);
// The stage at a position 1..6 (UNSPECIFIED otherwise).
v1::Stage StageAt(int position);
// "SIGNED" (the enum name without STAGE_), and the Chinese label "签约".
std::string StageName(v1::Stage stage);
std::string StageLabel(v1::Stage stage);

// The date a main-line stage was first reached ("" when not reached or not a line stage).
const std::string& StageDate(const v1::StageDates& dates, v1::Stage stage);
void SetStageDate(v1::StageDates* dates, v1::Stage stage, const std::string& date);
// The StageDates field of a main-line stage ("in_production"), for error paths; "" otherwise.
std::string StageDateField(v1::Stage stage);

// What the machine needs to know about a project now.
struct StageState {
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  // For STALLED: the line stage it stalled at (the one resuming returns to).
  v1::Stage stalled_from = v1::STAGE_UNSPECIFIED;
  // effective_date of the latest change (YYYY-MM-DD).
  std::string last_change_date;
};

// Checks one move. Rules, each an error naming the field and the rule:
//  - to_stage UNSPECIFIED, or effective_date not a date → INVALID_ARGUMENT (to_stage /
//    effective_date); reason empty for STALLED or CANCELLED, or longer than 500 characters →
//    INVALID_ARGUMENT (reason).
//  - From a line stage: the next line stage, STALLED or CANCELLED; FULL_OUTPUT and CANCELLED are
//    final; from STALLED: back to stalled_from, or CANCELLED. Anything else → FAILED_PRECONDITION
//    "to_stage: from SIGNED (签约) a project moves to REGISTERED (注册), STALLED or CANCELLED".
//  - effective_date before last_change_date, or after `today` → FAILED_PRECONDITION naming
//    effective_date and both dates.
absl::Status CheckTransition(const StageState& state, v1::Stage to_stage,
                             absl::string_view effective_date, absl::string_view reason,
                             absl::string_view today);

// Applies a checked move to the state and to the project's stage dates (a line stage's date is
// set when first reached; resuming keeps the dates).
void ApplyTransition(StageState* state, v1::StageDates* dates, v1::Stage to_stage,
                     const std::string& effective_date);

// STALLED and CANCELLED keep the reason of the move into them as the project's stage_reason;
// every other stage has none.
bool KeepsReason(v1::Stage stage);

// The stage dates of a project being created: its own, with `today` for NEGOTIATING when it is
// created in negotiation (or with no stage) and gives no date for it.
v1::StageDates InitialDates(v1::Stage stage, v1::StageDates dates, absl::string_view today);

// For a project created (or imported) already at a line stage `stage` (UNSPECIFIED means
// NEGOTIATING): the history to record, one StageChange per line stage from NEGOTIATING up to
// `stage` (from_stage UNSPECIFIED for the first), each with its date from `dates`. Every stage up
// to `stage` needs a date, dates must not decrease and not pass `today`, and no date may be set
// for a stage beyond `stage`; STALLED or CANCELLED is refused (create first, then transition).
// Errors are INVALID_ARGUMENT naming `prefix`.stage or `prefix`.stage_dates.<stage>.
absl::StatusOr<std::vector<v1::StageChange>> InitialHistory(v1::Stage stage,
                                                            const v1::StageDates& dates,
                                                            absl::string_view today,
                                                            const std::string& prefix);

// For an import row of an existing project: the moves along the main line from the current state
// to `target` (empty when target is the current stage or UNSPECIFIED), each dated from `dates`.
// A target behind the current stage, or a project STALLED or CANCELLED with a different target,
// is FAILED_PRECONDITION naming `prefix`.stage; a missing or out-of-order date INVALID_ARGUMENT
// naming `prefix`.stage_dates.<stage>.
absl::StatusOr<std::vector<v1::StageChange>> ForwardMoves(const StageState& state, v1::Stage target,
                                                          const v1::StageDates& dates,
                                                          absl::string_view today,
                                                          const std::string& prefix);

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_STAGES_H_
