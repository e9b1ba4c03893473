// The city's work on a WholeStack, shared by the e2e and chaos tests: the set-up a city does once
// (the registry seeded from data/, the assessment definitions, the departments' webhook endpoints,
// a red-light alert rule), the projects and writes the department systems send, calls retried as
// a department system retries them (the same request_id until answered), and the checks that
// what the services hold afterwards is what was acknowledged, each event applied once.
#ifndef CHAINHUB_TESTS_SUPPORT_CITY_WORK_H_
#define CHAINHUB_TESTS_SUPPORT_CITY_WORK_H_

#include <array>
#include <functional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/time/time.h"
#include "chainhub/assessment/v1/assessment.pb.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/notify/v1/notify.pb.h"
#include "tests/support/whole_stack.h"

namespace chainhub::testing {

// The eight chains of data/chains.json and the department leading each.
struct CityChain {
  const char* id;
  const char* lead_department;  // departments/{id}
};
inline constexpr std::array<CityChain, 8> kCityChains = {{
    {"pv", "fgw"},
    {"semiconductor", "jxj"},
    {"auto-equipment", "jxj"},
    {"nev-battery", "fgw"},
    {"medical", "kjj"},
    {"home-appliance", "jxj"},
    {"new-chemical", "jxj"},
    {"health-food", "nyncj"},
}};

// The assessment every check runs: data/assessment's scheme and the quarter the main job runs.
inline constexpr char kCityScheme[] = "schemes/chain-2026";
inline constexpr char kCityPeriod[] = "2026-Q3";

// A date `months` before today (China time), YYYY-MM-DD; the 1st of that month when `first_day`.
std::string MonthsAgo(int months, bool first_day = false);
// The month `months` before this one, YYYY-MM.
std::string MonthAgo(int months);

// Seeds the registry from data/ (chainctl seed), applies data/assessment (indicators, scheme,
// targets, values), creates a webhook endpoint at the stack's receiver for every department, and
// the rule that alerts a project's responsible department when it turns or is created red (with no
// quiet hours, so delivery never waits for the morning). Aborts the test on failure.
void PrepareCity(WholeStack& stack);

// Project `n` of department system `system`: the chains in turn, led by their lead department,
// 在谈 since five months ago; every third one was to start four months ago (red: missed start).
// external_id "<system>-<n>".
intake::v1::Project CityProject(const std::string& system, int n);

// Calls `call` until it returns OK or a status a retry cannot change, for at most `patience`:
// UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED and RESOURCE_EXHAUSTED are retried (a service
// restarting, a peer away) every 100 ms to 1 s. The call must send the same request (and
// request_id) each time, as a department system retrying does.
grpc::Status CallUntilAnswered(const std::function<grpc::Status()>& call,
                               absl::Duration patience = absl::Seconds(90));

// Every service answers its health check.
bool WaitUntilEveryServiceServes(WholeStack& stack, absl::Duration timeout);
// Waits until every consumer group on the event stream has consumed and acknowledged every entry,
// and nothing was added for two seconds (the outboxes are drained).
bool WaitForStreamToSettle(WholeStack& stack, absl::Duration timeout);
// The consumer groups on the event stream and the entries each has delivered and not acknowledged.
std::vector<std::pair<std::string, int64_t>> ConsumerGroups(WholeStack& stack);

// Every page of ListProjects with `filter`.
std::vector<intake::v1::Project> AllProjects(WholeStack& stack, const std::string& filter = "");
std::vector<notify::v1::Notice> AllNotices(WholeStack& stack);
std::vector<notify::v1::Delivery> AllDeliveries(WholeStack& stack, const std::string& notice);

// Sync's push catches up (nothing pending) and the receiver holds exactly sync's snapshot.
void ExpectReceiverEqualsSnapshot(WholeStack& stack);
// No two notices came from one event (the stack has one rule per event type).
void ExpectOneNoticePerEvent(const std::vector<notify::v1::Notice>& notices);
// Every delivery of `notices` to a department reached the webhook receiver, signed, and all the
// times it arrived carried one webhook-id. Returns how many deliveries were checked.
int ExpectEveryDepartmentDeliveryArrivedUnderOneId(WholeStack& stack,
                                                   const std::vector<notify::v1::Notice>& notices);
// A final run of kCityScheme for kCityPeriod on the stack's assessment equals the same run on a
// fresh chainhub-assessment (an empty data dir, a Redis of its own, so it hears no event) whose
// facts come from a backfill of intake and the registry alone. Returns the stack's run.
assessment::v1::Run ExpectAssessmentEqualsRecompute(WholeStack& stack);

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_CITY_WORK_H_
