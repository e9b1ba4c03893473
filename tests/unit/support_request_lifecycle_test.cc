// The life of an enterprise request as pure rules: what acceptance checks, the moves 受理 → 交办 →
// 办理 → 办结 → 回访 and what each records, and which deadlines a request missed, each escalated
// once.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "common/base/fields.h"
#include "services/support/request_lifecycle.h"

namespace chainhub::support {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::Time China(int year, int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), ChinaTimeZone());
}

int64_t Us(absl::Time t) { return absl::ToUnixMicros(t); }

v1::Request Valid() {
  v1::Request r;
  r.set_enterprise("enterprises/91341100000000010T");
  r.set_chain("chains/pv");
  r.set_title("用地指标");
  r.set_channel(v1::HOTLINE);
  r.set_tier(v1::CITY);
  r.add_tags("用地");
  return r;
}

std::vector<std::string> Fields(const v1::Request& r) {
  std::vector<FieldViolation> v;
  CheckRequestInput(r, "request", &v);
  std::vector<std::string> fields;
  for (const auto& f : v) fields.push_back(f.field);
  return fields;
}

// A request accepted 2026-06-15 10:00 with contact, interim-reply and close deadlines.
v1::Request Accepted() {
  v1::Request r;
  r.set_name("requests/r1");
  r.set_chain("chains/pv");
  r.set_state(v1::ACCEPTED);
  SetDeadlines(Deadlines{China(2026, 6, 17, 0), China(2026, 6, 19, 0), China(2026, 6, 24, 0)}, &r);
  return r;
}

v1::TransitionRequestRequest Move(v1::RequestState to, const std::string& assignee = "",
                                  const std::string& note = "", int satisfaction = 0) {
  v1::TransitionRequestRequest req;
  req.set_state(to);
  req.set_assignee(assignee);
  req.set_note(note);
  req.set_satisfaction(satisfaction);
  return req;
}

TEST(SupportRequestLifecycle, AWellFormedRequestBreaksNoRule) {
  EXPECT_THAT(Fields(Valid()), IsEmpty());
}

TEST(SupportRequestLifecycle, AcceptanceNamesEveryBadField) {
  v1::Request r = Valid();
  r.set_enterprise("enterprises/123");
  r.set_title("");
  r.set_channel(static_cast<v1::Channel>(42));
  r.set_tier(v1::TIER_UNSPECIFIED);
  r.add_tags("用地");  // twice
  r.set_external_id("a\nb");
  EXPECT_THAT(Fields(r), ElementsAre("request.enterprise", "request.title", "request.channel",
                                     "request.tags[1]", "request.tier", "request.external_id"));
}

TEST(SupportRequestLifecycle, ARequestCommonToAChainMustNameTheChain) {
  v1::Request r = Valid();
  r.clear_chain();
  r.set_common_to_chain(true);
  EXPECT_THAT(Fields(r), ElementsAre("request.chain"));
}

TEST(SupportRequestLifecycle, ATeamAssigneeMustBeTheTeamOfTheRequestsOwnChain) {
  EXPECT_EQ(AssigneeRuleBroken("chains/pv/team", "pv"), "");
  EXPECT_EQ(AssigneeRuleBroken("departments/zrzyj", ""), "");
  EXPECT_THAT(AssigneeRuleBroken("chains/auto/team", "pv"), HasSubstr("chains/pv/team"));
  EXPECT_THAT(AssigneeRuleBroken("chains/pv/team", ""), HasSubstr("set chain first"));
  EXPECT_THAT(AssigneeRuleBroken("systems/x", "pv"), HasSubstr("departments/{dept}"));
}

TEST(SupportRequestLifecycle, MovesGoOnlyForwardOneStepAtATime) {
  EXPECT_THAT(NextStates(v1::ACCEPTED), ElementsAre(v1::ASSIGNED));
  EXPECT_THAT(NextStates(v1::ASSIGNED), ElementsAre(v1::ASSIGNED, v1::HANDLING));
  EXPECT_THAT(NextStates(v1::HANDLING), ElementsAre(v1::CLOSED));
  EXPECT_THAT(NextStates(v1::CLOSED), ElementsAre(v1::REVISITED));
  EXPECT_THAT(NextStates(v1::REVISITED), IsEmpty());
}

TEST(SupportRequestLifecycle, AnIllegalMoveNamesTheStateAndWhatMayComeNext) {
  v1::Request r = Accepted();
  absl::Status s =
      ApplyTransition(Move(v1::CLOSED, "", "done"), "departments/a", China(2026, 6, 15, 11), &r);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("is ACCEPTED: it may move only to ASSIGNED, not CLOSED"));
  EXPECT_EQ(r.state(), v1::ACCEPTED);
  EXPECT_EQ(r.history_size(), 0);
}

TEST(SupportRequestLifecycle, EachMoveRecordsItsTimeAndOneHistoryEvent) {
  v1::Request r = Accepted();
  ASSERT_TRUE(ApplyTransition(Move(v1::ASSIGNED, "departments/zrzyj"), "departments/fgw",
                              China(2026, 6, 15, 11), &r)
                  .ok());
  EXPECT_EQ(r.assignee(), "departments/zrzyj");
  ASSERT_TRUE(
      ApplyTransition(Move(v1::HANDLING), "departments/zrzyj", China(2026, 6, 16, 9), &r).ok());
  EXPECT_EQ(MetMicros(r, v1::CONTACT), Us(China(2026, 6, 16, 9)));
  ASSERT_TRUE(ApplyTransition(Move(v1::CLOSED, "", "已协调解决"), "departments/zrzyj",
                              China(2026, 6, 18, 15), &r)
                  .ok());
  EXPECT_EQ(r.resolution(), "已协调解决");
  EXPECT_EQ(MetMicros(r, v1::CLOSE), Us(China(2026, 6, 18, 15)));
  // No interim reply was given: the close is it.
  EXPECT_EQ(MetMicros(r, v1::INTERIM_REPLY), Us(China(2026, 6, 18, 15)));
  ASSERT_TRUE(
      ApplyTransition(Move(v1::REVISITED, "", "", 5), "departments/fgw", China(2026, 6, 20, 10), &r)
          .ok());
  EXPECT_EQ(r.satisfaction(), 5);
  EXPECT_TRUE(r.has_revisit_time());
  ASSERT_EQ(r.history_size(), 4);
  EXPECT_EQ(r.history(0).state(), v1::ASSIGNED);
  EXPECT_EQ(r.history(3).state(), v1::REVISITED);
  EXPECT_EQ(r.history(2).principal(), "departments/zrzyj");
}

TEST(SupportRequestLifecycle, AnInterimReplyIsGivenOnlyWhileHandlingAndTheFirstCounts) {
  v1::Request r = Accepted();
  EXPECT_EQ(ApplyReply("进展", "departments/a", China(2026, 6, 15, 12), &r).code(),
            absl::StatusCode::kFailedPrecondition);
  r.set_state(v1::HANDLING);
  ASSERT_TRUE(ApplyReply("进展一", "departments/a", China(2026, 6, 16, 12), &r).ok());
  ASSERT_TRUE(ApplyReply("进展二", "departments/a", China(2026, 6, 17, 12), &r).ok());
  EXPECT_EQ(MetMicros(r, v1::INTERIM_REPLY), Us(China(2026, 6, 16, 12)));
  EXPECT_EQ(r.history_size(), 2);
  // Closing later keeps the reply's time.
  ASSERT_TRUE(
      ApplyTransition(Move(v1::CLOSED, "", "ok"), "departments/a", China(2026, 6, 18, 12), &r)
          .ok());
  EXPECT_EQ(MetMicros(r, v1::INTERIM_REPLY), Us(China(2026, 6, 16, 12)));
}

TEST(SupportRequestLifecycle, TransitionInputIsCheckedFieldByField) {
  auto fields = [](const v1::TransitionRequestRequest& req) {
    std::vector<FieldViolation> v;
    CheckTransitionInput(req, &v);
    std::vector<std::string> out;
    for (const auto& f : v) out.push_back(f.field);
    return out;
  };
  EXPECT_THAT(fields(Move(v1::ACCEPTED)), ElementsAre("state"));
  EXPECT_THAT(fields(Move(v1::ASSIGNED)), ElementsAre("assignee"));
  EXPECT_THAT(fields(Move(v1::HANDLING, "departments/a")), ElementsAre("assignee"));
  EXPECT_THAT(fields(Move(v1::CLOSED)), ElementsAre("note"));
  EXPECT_THAT(fields(Move(v1::REVISITED, "", "", 6)), ElementsAre("satisfaction"));
  EXPECT_THAT(fields(Move(v1::HANDLING, "", "", 3)), ElementsAre("satisfaction"));
  EXPECT_THAT(fields(Move(v1::REVISITED, "", "", 4)), IsEmpty());
}

TEST(SupportRequestLifecycle, ADeadlineIsMissedOnlyAfterItPassesUnmet) {
  v1::Request r = Accepted();
  EXPECT_THAT(MissedMilestones(r, China(2026, 6, 17, 0)), IsEmpty());  // the deadline itself
  EXPECT_THAT(MissedMilestones(r, China(2026, 6, 17, 0, 1)), ElementsAre(v1::CONTACT));
  EXPECT_THAT(MissedMilestones(r, China(2026, 6, 25, 0)),
              ElementsAre(v1::CONTACT, v1::INTERIM_REPLY, v1::CLOSE));
  EXPECT_EQ(NextDeadlineMicros(r), Us(China(2026, 6, 17, 0)));
  // Contact made in time: the next deadline is the interim reply's.
  r.mutable_contact_time()->set_seconds(absl::ToUnixSeconds(China(2026, 6, 16, 9)));
  EXPECT_THAT(MissedMilestones(r, China(2026, 6, 20, 0)), ElementsAre(v1::INTERIM_REPLY));
  EXPECT_EQ(NextDeadlineMicros(r), Us(China(2026, 6, 19, 0)));
}

TEST(SupportRequestLifecycle, EachMissIsEscalatedOnceAndRaisesTheLevelByOne) {
  v1::Request r = Accepted();
  const absl::Time late = China(2026, 6, 18, 8);
  std::vector<v1::Milestone> missed = MissedMilestones(r, late);
  ASSERT_THAT(missed, ElementsAre(v1::CONTACT));
  RecordMiss(missed[0], "systems/support", late, &r);
  EXPECT_TRUE(r.overdue());
  EXPECT_EQ(r.escalation_level(), 1);
  ASSERT_EQ(r.history_size(), 1);
  EXPECT_EQ(r.history(0).missed(), v1::CONTACT);
  EXPECT_EQ(r.history(0).escalation_level(), 1);
  EXPECT_THAT(r.history(0).note(), HasSubstr("chains/pv/office"));
  EXPECT_TRUE(Escalated(r, v1::CONTACT));
  EXPECT_THAT(MissedMilestones(r, late), IsEmpty());
  EXPECT_EQ(NextDeadlineMicros(r), Us(China(2026, 6, 19, 0)));
  EXPECT_THAT(MissedMilestones(r, China(2026, 6, 24, 1)),
              ElementsAre(v1::INTERIM_REPLY, v1::CLOSE));
}

TEST(SupportRequestLifecycle, EscalationGoesToTheChainOfficeOrTheAdmins) {
  v1::Request r = Accepted();
  EXPECT_EQ(EscalationTarget(r), "chains/pv/office");
  r.clear_chain();
  EXPECT_EQ(EscalationTarget(r), "roles/admin");
}

TEST(SupportRequestLifecycle, ADeadlineTheRuleDoesNotSetStaysUnset) {
  v1::Request r;
  SetDeadlines(Deadlines{absl::InfiniteFuture(), absl::InfiniteFuture(), China(2026, 6, 24, 0)},
               &r);
  EXPECT_FALSE(r.has_contact_deadline());
  EXPECT_FALSE(r.has_interim_reply_deadline());
  EXPECT_EQ(DeadlineMicros(r, v1::CLOSE), Us(China(2026, 6, 24, 0)));
  EXPECT_EQ(NextDeadlineMicros(r), Us(China(2026, 6, 24, 0)));
}

}  // namespace
}  // namespace chainhub::support
