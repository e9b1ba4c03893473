// The deadlines of an enterprise request (企业诉求), as rules a city sets (data/support/
// deadline-rules.yaml): the first rule whose conditions a request meets gives how long it has to
// contact the firm, to reply in between and to close, each in working days counted in the
// WorkCalendar or in clock time. Cities publish such figures (contact within 1 working day,
// interim reply within 3, close within 5; urgent ones within 2 hours) and differ on them, so they
// are data.
#ifndef CHAINHUB_SERVICES_SUPPORT_DEADLINES_H_
#define CHAINHUB_SERVICES_SUPPORT_DEADLINES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/support/calendar.h"

namespace chainhub::support {

enum class Milestone { kContact, kInterimReply, kClose };

// "contact", "interim_reply", "close": the rule's field of the milestone.
absl::string_view MilestoneName(Milestone milestone);

inline constexpr int kMaxAllowanceWorkingDays = 366;
inline constexpr absl::Duration kMinClockAllowance = absl::Minutes(1);
inline constexpr absl::Duration kMaxClockAllowance = absl::Hours(30 * 24);

// How long a milestone may take: working days (to the end of the N-th working day after the day
// of acceptance) or clock time from acceptance. Exactly one is set.
struct Allowance {
  int working_days = 0;
  absl::Duration clock = absl::ZeroDuration();

  friend bool operator==(const Allowance& a, const Allowance& b) {
    return a.working_days == b.working_days && a.clock == b.clock;
  }
  friend bool operator!=(const Allowance& a, const Allowance& b) { return !(a == b); }
};

// "3wd" (working days, 1 to kMaxAllowanceWorkingDays), "2h" or "90m" (clock hours or minutes,
// kMinClockAllowance to kMaxClockAllowance); digits without sign, leading zero or spaces.
// INVALID_ARGUMENT naming `field` and the rule otherwise.
absl::StatusOr<Allowance> ParseAllowance(absl::string_view field, absl::string_view text);
// The text ParseAllowance reads back: "3wd", whole hours as "2h", other whole minutes as "90m".
std::string AllowanceText(const Allowance& allowance);

// The rule's tiers (the proto's Tier without its prefix); "" in a rule means any.
inline constexpr absl::string_view kTierCity = "CITY";
inline constexpr absl::string_view kTierCounty = "COUNTY";

inline constexpr size_t kMaxDeadlineRules = 100;
inline constexpr size_t kMaxDeadlineRuleNameChars = 64;
// A request's tags are 1-20 characters, so a rule's tag is too.
inline constexpr size_t kMaxDeadlineRuleTagChars = 20;

// A request meets a rule when every condition set holds; the rule then gives its allowances.
struct DeadlineRule {
  std::string name;
  std::optional<bool> urgent;  // unset: either
  std::string tier;            // "" any, else kTierCity or kTierCounty
  std::string tag;             // "" any, else the request must carry this tag
  std::optional<Allowance> contact;
  std::optional<Allowance> interim_reply;
  std::optional<Allowance> close;
};

// OK when `rules` can be used, else INVALID_ARGUMENT naming every bad `rules[i].field`:
//  - 1 to kMaxDeadlineRules rules;
//  - names one line, 1 to kMaxDeadlineRuleNameChars characters, unique;
//  - tier "", CITY or COUNTY; tag "" or one line of at most kMaxDeadlineRuleTagChars;
//  - every allowance valid as ParseAllowance would return it (exactly one unit, in range, clock
//    in whole minutes), and close always set;
//  - contact ≤ interim_reply ≤ close where two are in the same unit (a working-day allowance
//    and a clock one are not compared: which ends first depends on the day);
//  - the last rule has no condition, so that every request gets deadlines, and no earlier one is
//    without conditions (the rules after it could never apply).
absl::Status CheckDeadlineRules(const std::vector<DeadlineRule>& rules);

// The first rule whose conditions all hold for a request. `rules` must have passed
// CheckDeadlineRules, so the last one always does.
const DeadlineRule& MatchRule(const std::vector<DeadlineRule>& rules, bool urgent,
                              absl::string_view tier, const std::vector<std::string>& tags);

// The instants by which each milestone is due; InfiniteFuture for a milestone the rule does not
// set.
struct Deadlines {
  absl::Time contact = absl::InfiniteFuture();
  absl::Time interim_reply = absl::InfiniteFuture();
  absl::Time close = absl::InfiniteFuture();
};

// The deadlines of a request accepted at `accepted` under `rule`. A working-day allowance of N
// ends at the end (24:00 China time) of the N-th working day after the day of acceptance in
// China, that day never counted, whatever the hour. A clock allowance ends `clock` after
// acceptance, over nights and holidays alike: urgent work does not wait for them.
Deadlines ComputeDeadlines(const DeadlineRule& rule, absl::Time accepted,
                           const WorkCalendar& calendar);

// The working days from the day of acceptance (not counted) to the day `done` (counted), both in
// China time: 0 when done the same day or earlier. The average closing time of the figures.
int WorkingDaysTaken(absl::Time accepted, absl::Time done, const WorkCalendar& calendar);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_DEADLINES_H_
