#include "services/intake/stages.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"

namespace chainhub::intake {
namespace {

constexpr int kFirstLine = 1;  // NEGOTIATING
constexpr int kLastLine = 6;   // FULL_OUTPUT
constexpr size_t kMaxReason = 500;

bool IsLine(v1::Stage stage) { return LinePosition(stage) != 0; }

// "SIGNED (签约)": what every message shows, so both English and Chinese readers find the stage.
std::string Both(v1::Stage stage) {
  return absl::StrCat(StageName(stage), " (", StageLabel(stage), ")");
}

// The moves allowed from `state`, in the order a message lists them.
std::vector<v1::Stage> AllowedMoves(const StageState& state) {
  if (state.stage == v1::STAGE_STALLED) {
    std::vector<v1::Stage> out;
    if (IsLine(state.stalled_from)) out.push_back(state.stalled_from);
    out.push_back(v1::STAGE_CANCELLED);
    return out;
  }
  const int pos = LinePosition(state.stage);
  if (pos == 0 || pos == kLastLine) return {};  // CANCELLED, FULL_OUTPUT: final
  return {StageAt(pos + 1), v1::STAGE_STALLED, v1::STAGE_CANCELLED};
}

// The rule broken by an illegal move, worded for the to_stage field.
std::string IllegalMoveRule(const StageState& state, v1::Stage to_stage) {
  const std::string got = absl::StrCat(", not ", Both(to_stage));
  switch (state.stage) {
    case v1::STAGE_FULL_OUTPUT:
    case v1::STAGE_CANCELLED:
      return absl::StrCat(Both(state.stage), " is final; the project moves no further");
    case v1::STAGE_STALLED:
      if (IsLine(state.stalled_from)) {
        return absl::StrCat("from STALLED (停滞) a project resumes to ", Both(state.stalled_from),
                            ", the stage it stalled at, or moves to CANCELLED", got);
      }
      return absl::StrCat("from STALLED (停滞) a project moves to CANCELLED", got);
    case v1::STAGE_UNSPECIFIED:
      return "the project has no current stage";
    default:
      break;
  }
  const int pos = LinePosition(state.stage);
  return absl::StrCat("from ", Both(state.stage), " a project moves to ", Both(StageAt(pos + 1)),
                      ", STALLED or CANCELLED", got);
}

// Checks the dates of the line stages after `from_position` up to `up_to` — each required, a
// date, not before the previous one (or `floor`, described as `floor_what`, for the first), not
// after today — and appends one StageChange per stage.
void CheckStageDates(const v1::StageDates& dates, int from_position, int up_to,
                     absl::string_view floor, absl::string_view floor_what, absl::string_view today,
                     const std::string& prefix, std::vector<FieldViolation>* v,
                     std::vector<v1::StageChange>* changes) {
  std::string previous(floor);
  std::string previous_what(floor_what);
  for (int pos = from_position + 1; pos <= up_to; ++pos) {
    const v1::Stage stage = StageAt(pos);
    const std::string field = absl::StrCat(prefix, ".stage_dates.", StageDateField(stage));
    const std::string& date = StageDate(dates, stage);
    if (date.empty()) {
      v->push_back({field, absl::StrCat("must be set for a project at ", Both(StageAt(up_to)))});
      continue;
    }
    if (!IsValidDate(date)) {
      v->push_back({field, absl::StrCat("must be a date YYYY-MM-DD, got ", Quoted(date))});
      continue;
    }
    if (!previous.empty() && date < previous) {
      v->push_back({field, absl::StrCat("must not be before ", previous_what, " (", previous,
                                        "), got ", date)});
    } else if (date > today) {
      v->push_back({field, absl::StrCat("must not be after today (", today, "), got ", date)});
    }
    v1::StageChange change;
    change.set_from_stage(StageAt(pos - 1));  // UNSPECIFIED before NEGOTIATING
    change.set_to_stage(stage);
    change.set_effective_date(date);
    changes->push_back(std::move(change));
    previous = date;
    previous_what = absl::StrCat("stage_dates.", StageDateField(stage));
  }
}

}  // namespace

int LinePosition(v1::Stage stage) {
  switch (stage) {
    case v1::STAGE_NEGOTIATING:
      return 1;
    case v1::STAGE_SIGNED:
      return 2;
    case v1::STAGE_REGISTERED:
      return 3;
    case v1::STAGE_STARTED:
      return 4;
    case v1::STAGE_IN_PRODUCTION:
      return 5;
    case v1::STAGE_FULL_OUTPUT:
      return 6;
    default:
      return 0;
  }
}

v1::Stage StageAt(int position) {
  switch (position) {
    case 1:
      return v1::STAGE_NEGOTIATING;
    case 2:
      return v1::STAGE_SIGNED;
    case 3:
      return v1::STAGE_REGISTERED;
    case 4:
      return v1::STAGE_STARTED;
    case 5:
      return v1::STAGE_IN_PRODUCTION;
    case 6:
      return v1::STAGE_FULL_OUTPUT;
    default:
      return v1::STAGE_UNSPECIFIED;
  }
}

std::string StageName(v1::Stage stage) {
  if (!v1::Stage_IsValid(stage)) return absl::StrCat("STAGE_", static_cast<int>(stage));
  std::string name = v1::Stage_Name(stage);
  if (absl::StartsWith(name, "STAGE_")) name.erase(0, 6);
  return name;
}

std::string StageLabel(v1::Stage stage) {
  switch (stage) {
    case v1::STAGE_NEGOTIATING:
      return "在谈";
    case v1::STAGE_SIGNED:
      return "签约";
    case v1::STAGE_REGISTERED:
      return "注册";
    case v1::STAGE_STARTED:
      return "开工";
    case v1::STAGE_IN_PRODUCTION:
      return "投产";
    case v1::STAGE_FULL_OUTPUT:
      return "达产";
    case v1::STAGE_STALLED:
      return "停滞";
    case v1::STAGE_CANCELLED:
      return "终止";
    default:
      return "未指定";
  }
}

const std::string& StageDate(const v1::StageDates& dates, v1::Stage stage) {
  static const std::string* const kEmpty = new std::string();
  switch (stage) {
    case v1::STAGE_NEGOTIATING:
      return dates.negotiating();
    case v1::STAGE_SIGNED:
      return dates.signed_();
    case v1::STAGE_REGISTERED:
      return dates.registered();
    case v1::STAGE_STARTED:
      return dates.started();
    case v1::STAGE_IN_PRODUCTION:
      return dates.in_production();
    case v1::STAGE_FULL_OUTPUT:
      return dates.full_output();
    default:
      return *kEmpty;
  }
}

void SetStageDate(v1::StageDates* dates, v1::Stage stage, const std::string& date) {
  switch (stage) {
    case v1::STAGE_NEGOTIATING:
      dates->set_negotiating(date);
      break;
    case v1::STAGE_SIGNED:
      dates->set_signed_(date);
      break;
    case v1::STAGE_REGISTERED:
      dates->set_registered(date);
      break;
    case v1::STAGE_STARTED:
      dates->set_started(date);
      break;
    case v1::STAGE_IN_PRODUCTION:
      dates->set_in_production(date);
      break;
    case v1::STAGE_FULL_OUTPUT:
      dates->set_full_output(date);
      break;
    default:
      break;
  }
}

std::string StageDateField(v1::Stage stage) {
  switch (stage) {
    case v1::STAGE_NEGOTIATING:
      return "negotiating";
    case v1::STAGE_SIGNED:
      return "signed";
    case v1::STAGE_REGISTERED:
      return "registered";
    case v1::STAGE_STARTED:
      return "started";
    case v1::STAGE_IN_PRODUCTION:
      return "in_production";
    case v1::STAGE_FULL_OUTPUT:
      return "full_output";
    default:
      return "";
  }
}

absl::Status CheckTransition(const StageState& state, v1::Stage to_stage,
                             absl::string_view effective_date, absl::string_view reason,
                             absl::string_view today) {
  // Malformed input first, every bad field at once; then the state-dependent rules.
  std::vector<FieldViolation> v;
  const bool to_valid = v1::Stage_IsValid(to_stage) && to_stage != v1::STAGE_UNSPECIFIED;
  if (!to_valid) {
    v.push_back({"to_stage",
                 "must be one of NEGOTIATING, SIGNED, REGISTERED, STARTED, "
                 "IN_PRODUCTION, FULL_OUTPUT, STALLED, CANCELLED"});
  }
  if (!IsValidDate(effective_date)) {
    v.push_back({"effective_date",
                 absl::StrCat("must be a date YYYY-MM-DD, got ", Quoted(effective_date))});
  }
  const bool needs_reason = to_stage == v1::STAGE_STALLED || to_stage == v1::STAGE_CANCELLED;
  if (needs_reason && reason.empty()) {
    v.push_back({"reason", absl::StrCat("must not be empty when moving to ", Both(to_stage))});
  } else {
    CheckMultiLineText(&v, "reason", reason, false, kMaxReason);
  }
  CHAINHUB_RETURN_IF_ERROR(ToStatus(v));

  bool allowed = false;
  for (v1::Stage s : AllowedMoves(state)) allowed |= s == to_stage;
  if (!allowed) return FailedPrecondition("to_stage", IllegalMoveRule(state, to_stage));

  if (!state.last_change_date.empty() && effective_date < state.last_change_date) {
    return FailedPrecondition("effective_date",
                              absl::StrCat("must not be before the last stage change (",
                                           state.last_change_date, "), got ", effective_date));
  }
  if (effective_date > today) {
    return FailedPrecondition("effective_date", absl::StrCat("must not be after today (", today,
                                                             "), got ", effective_date));
  }
  return absl::OkStatus();
}

void ApplyTransition(StageState* state, v1::StageDates* dates, v1::Stage to_stage,
                     const std::string& effective_date) {
  if (to_stage == v1::STAGE_STALLED) {
    state->stalled_from = state->stage;
  } else {
    // Resuming, cancelling or moving on: the project is no longer stalled anywhere.
    state->stalled_from = v1::STAGE_UNSPECIFIED;
    if (IsLine(to_stage) && StageDate(*dates, to_stage).empty()) {
      SetStageDate(dates, to_stage, effective_date);
    }
  }
  state->stage = to_stage;
  state->last_change_date = effective_date;
}

bool KeepsReason(v1::Stage stage) {
  return stage == v1::STAGE_STALLED || stage == v1::STAGE_CANCELLED;
}

v1::StageDates InitialDates(v1::Stage stage, v1::StageDates dates, absl::string_view today) {
  if ((stage == v1::STAGE_UNSPECIFIED || stage == v1::STAGE_NEGOTIATING) &&
      dates.negotiating().empty()) {
    dates.set_negotiating(std::string(today));
  }
  return dates;
}

absl::StatusOr<std::vector<v1::StageChange>> InitialHistory(v1::Stage stage,
                                                            const v1::StageDates& dates,
                                                            absl::string_view today,
                                                            const std::string& prefix) {
  if (stage == v1::STAGE_UNSPECIFIED) stage = v1::STAGE_NEGOTIATING;
  const int up_to = LinePosition(stage);
  if (up_to == 0) {
    return InvalidField(
        absl::StrCat(prefix, ".stage"),
        absl::StrCat("must be a stage of the main line NEGOTIATING … FULL_OUTPUT, not ",
                     Both(stage), "; create the project, then move it with TransitionStage"));
  }
  std::vector<FieldViolation> v;
  std::vector<v1::StageChange> changes;
  CheckStageDates(dates, kFirstLine - 1, up_to, "", "", today, prefix, &v, &changes);
  for (int pos = up_to + 1; pos <= kLastLine; ++pos) {
    const v1::Stage later = StageAt(pos);
    if (!StageDate(dates, later).empty()) {
      v.push_back({absl::StrCat(prefix, ".stage_dates.", StageDateField(later)),
                   absl::StrCat("must be empty for a project at ", Both(stage))});
    }
  }
  CHAINHUB_RETURN_IF_ERROR(ToStatus(v));
  return changes;
}

absl::StatusOr<std::vector<v1::StageChange>> ForwardMoves(const StageState& state, v1::Stage target,
                                                          const v1::StageDates& dates,
                                                          absl::string_view today,
                                                          const std::string& prefix) {
  const std::string stage_field = absl::StrCat(prefix, ".stage");
  if (target == v1::STAGE_UNSPECIFIED || target == state.stage) {
    return std::vector<v1::StageChange>();
  }
  if (!v1::Stage_IsValid(target)) {
    return InvalidField(stage_field, absl::StrCat("must be a stage, got ", target));
  }
  if (state.stage == v1::STAGE_STALLED || state.stage == v1::STAGE_CANCELLED) {
    return FailedPrecondition(stage_field, absl::StrCat("the project is ", Both(state.stage),
                                                        "; an import does not move "
                                                        "it to ",
                                                        Both(target), " (use TransitionStage)"));
  }
  if (!IsLine(target)) {
    return FailedPrecondition(
        stage_field, absl::StrCat("an import moves a project forward along the main line only, not "
                                  "to ",
                                  Both(target), " (use TransitionStage)"));
  }
  const int current = LinePosition(state.stage);
  const int wanted = LinePosition(target);
  if (wanted < current) {
    return FailedPrecondition(stage_field,
                              absl::StrCat("the project is at ", Both(state.stage),
                                           "; an import does not move it back to ", Both(target)));
  }
  std::vector<FieldViolation> v;
  std::vector<v1::StageChange> changes;
  CheckStageDates(dates, current, wanted, state.last_change_date, "the last stage change", today,
                  prefix, &v, &changes);
  CHAINHUB_RETURN_IF_ERROR(ToStatus(v));
  return changes;
}

}  // namespace chainhub::intake
