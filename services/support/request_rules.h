// The working-day calendar and the deadline rules as the API and the files carry them, turned into
// the plain structs of calendar.h and deadlines.h and back: the proto's Calendar and
// DeadlineRules (allowances as "1wd" / "2h" text), and the deadline-rules file
// (data/support/deadline-rules.yaml). Every error names the field or line it is about.
#ifndef CHAINHUB_SERVICES_SUPPORT_REQUEST_RULES_H_
#define CHAINHUB_SERVICES_SUPPORT_REQUEST_RULES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/support/v1/support.pb.h"
#include "services/support/calendar.h"
#include "services/support/deadlines.h"

namespace chainhub::support {

// The one calendar deadlines count in, and the name of the deadline rules.
inline constexpr absl::string_view kCalendarName = "calendars/cn";
inline constexpr absl::string_view kDeadlineRulesName = "deadlineRules";

// A calendar lists at most this many days (decades of holidays).
inline constexpr size_t kMaxCalendarDays = 5000;

// The calendar's days as WorkCalendar takes them, checked as WorkCalendar::Make checks them:
// INVALID_ARGUMENT naming every bad `<prefix>.days[i].date` / `.name`.
absl::StatusOr<WorkCalendar> CalendarFromProto(const v1::Calendar& calendar,
                                               absl::string_view prefix);
// The days sorted by date (name, etag and times are the caller's).
v1::Calendar CalendarToProto(const WorkCalendar& calendar);

// The rules of `rules`, checked by CheckDeadlineRules: INVALID_ARGUMENT naming every bad
// `<prefix>.rules[i].field` (an allowance that does not parse, an undefined urgency or tier, and
// every rule of CheckDeadlineRules).
absl::StatusOr<std::vector<DeadlineRule>> RulesFromProto(const v1::DeadlineRules& rules,
                                                         absl::string_view prefix);
// The rules as the API returns them (name, etag and times are the caller's).
v1::DeadlineRules RulesToProto(const std::vector<DeadlineRule>& rules);

// A deadline-rules file: a map holding `rules:`, a list of maps with the keys name, urgent (true
// or false), tier (CITY or COUNTY), tag, contact, interim_reply and close (allowances as
// ParseAllowance reads them), then checked by CheckDeadlineRules. INVALID_ARGUMENT naming the
// line and key of the first error in the form ("line 12: rules[1].urgent: must be true or
// false"), or every rule CheckDeadlineRules finds broken.
absl::StatusOr<std::vector<DeadlineRule>> ParseDeadlineRulesYaml(absl::string_view text);

// The proto's Tier as a rule's tier ("CITY", "COUNTY"; "" for unspecified).
std::string TierText(v1::Tier tier);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_REQUEST_RULES_H_
