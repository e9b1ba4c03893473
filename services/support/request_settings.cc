#include "services/support/request_settings.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/support/request_rules.h"

namespace chainhub::support {

namespace {

// The shipped settings, parsed once; a shipped file that does not parse is a build defect, so
// every call that needs it fails loudly (INTERNAL) rather than counting deadlines wrongly.
const absl::StatusOr<WorkCalendar>& ShippedCalendar() {
  static const auto* calendar =
      new absl::StatusOr<WorkCalendar>([]() -> absl::StatusOr<WorkCalendar> {
        absl::StatusOr<std::vector<CalendarDay>> days = ParseCalendarCsv(ShippedCalendarCsv());
        if (!days.ok()) {
          return absl::InternalError(
              absl::StrCat("the shipped calendar does not parse: ", days.status().message()));
        }
        return WorkCalendar::Make(std::move(*days));
      }());
  return *calendar;
}

const absl::StatusOr<std::vector<DeadlineRule>>& ShippedRules() {
  static const auto* rules = new absl::StatusOr<std::vector<DeadlineRule>>(
      []() -> absl::StatusOr<std::vector<DeadlineRule>> {
        auto parsed = ParseDeadlineRulesYaml(ShippedDeadlineRulesYaml());
        if (!parsed.ok()) {
          return absl::InternalError(
              absl::StrCat("the shipped deadline rules do not parse: ", parsed.status().message()));
        }
        return parsed;
      }());
  return *rules;
}

// The stored row of `name`, if an admin put one: (data, revision, create_us, update_us).
absl::StatusOr<std::optional<SqlRow>> Stored(SqlTx& tx, absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT data, revision, create_us, update_us FROM "
                                                "support_request_settings WHERE name = $1",
                                                {std::string(name)}));
  if (rows.empty()) return std::optional<SqlRow>();
  return std::optional<SqlRow>(std::move(rows[0]));
}

absl::Status Write(SqlTx& tx, absl::string_view name, const std::string& data, absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("UPDATE support_request_settings SET data = $2, revision = revision + 1, "
              "update_us = $3 WHERE name = $1",
              {std::string(name), Blob{data}, Micros(now)}));
  if (changed == 1) return absl::OkStatus();
  return tx
      .Exec(
          "INSERT INTO support_request_settings (name, data, revision, create_us, update_us) "
          "VALUES ($1, $2, 1, $3, $3)",
          {std::string(name), Blob{data}, Micros(now)})
      .status();
}

}  // namespace

absl::StatusOr<CalendarSetting> ReadCalendar(SqlTx& tx) {
  CHAINHUB_ASSIGN_OR_RETURN(auto row, Stored(tx, kCalendarName));
  CalendarSetting s;
  if (!row) {
    CHAINHUB_ASSIGN_OR_RETURN(s.calendar, ShippedCalendar());
    s.resource = CalendarToProto(s.calendar);
    s.resource.set_etag(kShippedEtag);
  } else {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Calendar stored, DecodeResource<v1::Calendar>(row->Bytes(0)));
    absl::StatusOr<WorkCalendar> calendar = CalendarFromProto(stored, "calendar");
    if (!calendar.ok()) {
      return absl::DataLossError(
          absl::StrCat("the stored calendar does not check: ", calendar.status().message()));
    }
    s.calendar = std::move(*calendar);
    s.resource = CalendarToProto(s.calendar);
    s.resource.set_etag(MakeEtag(row->Int(2), row->Int(1)));
    SetTimestamp(s.resource.mutable_update_time(), row->Int(3));
  }
  s.resource.set_name(std::string(kCalendarName));
  return s;
}

absl::StatusOr<RulesSetting> ReadDeadlineRules(SqlTx& tx) {
  CHAINHUB_ASSIGN_OR_RETURN(auto row, Stored(tx, kDeadlineRulesName));
  RulesSetting s;
  if (!row) {
    CHAINHUB_ASSIGN_OR_RETURN(s.rules, ShippedRules());
    s.resource = RulesToProto(s.rules);
    s.resource.set_etag(kShippedEtag);
  } else {
    CHAINHUB_ASSIGN_OR_RETURN(v1::DeadlineRules stored,
                              DecodeResource<v1::DeadlineRules>(row->Bytes(0)));
    absl::StatusOr<std::vector<DeadlineRule>> rules = RulesFromProto(stored, "deadline_rules");
    if (!rules.ok()) {
      return absl::DataLossError(
          absl::StrCat("the stored deadline rules do not check: ", rules.status().message()));
    }
    s.rules = std::move(*rules);
    s.resource = RulesToProto(s.rules);
    s.resource.set_etag(MakeEtag(row->Int(2), row->Int(1)));
    SetTimestamp(s.resource.mutable_update_time(), row->Int(3));
  }
  s.resource.set_name(std::string(kDeadlineRulesName));
  return s;
}

absl::StatusOr<CalendarSetting> WriteCalendar(SqlTx& tx, const WorkCalendar& calendar,
                                              absl::Time now) {
  CHAINHUB_RETURN_IF_ERROR(
      Write(tx, kCalendarName, CalendarToProto(calendar).SerializeAsString(), now));
  return ReadCalendar(tx);
}

absl::StatusOr<RulesSetting> WriteDeadlineRules(SqlTx& tx, const std::vector<DeadlineRule>& rules,
                                                absl::Time now) {
  CHAINHUB_RETURN_IF_ERROR(
      Write(tx, kDeadlineRulesName, RulesToProto(rules).SerializeAsString(), now));
  return ReadDeadlineRules(tx);
}

}  // namespace chainhub::support
