// ProjectIntake's stage machine over gRPC: the legal path through every line stage with its
// history, illegal skips and dates, stall and resume, cancel as final, creating a project at a
// later stage, etag and request_id on TransitionStage. Today is 2026-06-15 (the fixture's clock).
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"
#include "tests/support/intake_fixture.h"

namespace chainhub::testing {
namespace {

namespace iv1 = ::chainhub::intake::v1;
using grpc::StatusCode;

class IntakeStages : public SharedIntakeTest<IntakeStages> {
 protected:
  // A project negotiating since 2026-01-05.
  static iv1::Project Negotiating(const std::string& display_name) {
    iv1::Project p = MakeProject(display_name);
    p.mutable_stage_dates()->set_negotiating("2026-01-05");
    return CreateProject(admin(), p);
  }

  static std::vector<iv1::StageChange> History(const std::string& project, int page_size = 0) {
    std::vector<iv1::StageChange> out;
    iv1::ListStageChangesRequest req;
    req.set_parent(project);
    req.set_page_size(page_size);
    for (int page = 0; page < 20; ++page) {
      iv1::ListStageChangesResponse resp;
      grpc::Status s = viewer()(&IntakeStub::ListStageChanges, req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      out.insert(out.end(), resp.stage_changes().begin(), resp.stage_changes().end());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return out;
  }
};

TEST_F(IntakeStages, MovesAlongTheLineThroughEveryStageAndKeepsEachMove) {
  iv1::Project p = Negotiating("全线推进项目");
  const std::vector<std::pair<iv1::Stage, std::string>> path = {
      {iv1::STAGE_SIGNED, "2026-02-01"},      {iv1::STAGE_REGISTERED, "2026-03-01"},
      {iv1::STAGE_STARTED, "2026-04-01"},     {iv1::STAGE_IN_PRODUCTION, "2026-05-01"},
      {iv1::STAGE_FULL_OUTPUT, "2026-06-01"},
  };
  for (const auto& [stage, date] : path) {
    ASSERT_TRUE(Transition(admin(), p.name(), stage, date, "", &p).ok()) << iv1::Stage_Name(stage);
    EXPECT_EQ(p.stage(), stage);
    // The answer is the stored project, etag and times included.
    EXPECT_EQ(GetProject(viewer(), p.name()).SerializeAsString(), p.SerializeAsString());
  }
  EXPECT_EQ(p.stage_dates().negotiating(), "2026-01-05");
  EXPECT_EQ(p.stage_dates().signed_(), "2026-02-01");
  EXPECT_EQ(p.stage_dates().registered(), "2026-03-01");
  EXPECT_EQ(p.stage_dates().started(), "2026-04-01");
  EXPECT_EQ(p.stage_dates().in_production(), "2026-05-01");
  EXPECT_EQ(p.stage_dates().full_output(), "2026-06-01");
  // FULL_OUTPUT is final.
  EXPECT_TRUE(HasCode(Transition(admin(), p.name(), iv1::STAGE_STALLED, "2026-06-10", "停工"),
                      StatusCode::FAILED_PRECONDITION));

  // The creation and five moves, oldest first, over pages of four.
  std::vector<iv1::StageChange> history = History(p.name(), 4);
  ASSERT_EQ(history.size(), 6u);
  EXPECT_EQ(history[0].to_stage(), iv1::STAGE_NEGOTIATING);
  EXPECT_EQ(history[0].effective_date(), "2026-01-05");
  for (size_t i = 1; i < history.size(); ++i) {
    EXPECT_EQ(history[i].name(), absl::StrCat(p.name(), "/stageChanges/", i + 1));
    EXPECT_EQ(history[i].from_stage(), history[i - 1].to_stage());
    EXPECT_EQ(history[i].to_stage(), path[i - 1].first);
    EXPECT_EQ(history[i].effective_date(), path[i - 1].second);
    EXPECT_EQ(history[i].principal(), "systems/test-admin");
  }
}

TEST_F(IntakeStages, RefusesSkippingAStageNamingToStage) {
  iv1::Project p = Negotiating("跳级项目");
  grpc::Status s = Transition(admin(), p.name(), iv1::STAGE_STARTED, "2026-02-01");
  EXPECT_TRUE(HasCode(s, StatusCode::FAILED_PRECONDITION));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "to_stage")) << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "SIGNED")) << s.error_message();
  EXPECT_TRUE(IsInvalidField(Transition(admin(), p.name(), iv1::STAGE_UNSPECIFIED, "2026-02-01"),
                             "to_stage"));
  EXPECT_EQ(GetProject(viewer(), p.name()).stage(), iv1::STAGE_NEGOTIATING);
  EXPECT_EQ(History(p.name()).size(), 1u);
}

TEST_F(IntakeStages, RefusesADateBeforeTheLastChangeOrAfterToday) {
  iv1::Project p = Negotiating("日期校验项目");
  ASSERT_TRUE(Transition(admin(), p.name(), iv1::STAGE_SIGNED, "2026-03-01").ok());
  grpc::Status s = Transition(admin(), p.name(), iv1::STAGE_REGISTERED, "2026-02-01");
  EXPECT_TRUE(HasCode(s, StatusCode::FAILED_PRECONDITION));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "effective_date")) << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "2026-02-01")) << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "2026-03-01")) << s.error_message();
  EXPECT_TRUE(HasCode(Transition(admin(), p.name(), iv1::STAGE_REGISTERED, "2026-06-16"),
                      StatusCode::FAILED_PRECONDITION));
  EXPECT_TRUE(IsInvalidField(Transition(admin(), p.name(), iv1::STAGE_REGISTERED, "2026-02-30"),
                             "effective_date"));
  // The same day as the last change is allowed; an empty date means today.
  ASSERT_TRUE(Transition(admin(), p.name(), iv1::STAGE_REGISTERED, "2026-03-01").ok());
  iv1::Project started;
  ASSERT_TRUE(Transition(admin(), p.name(), iv1::STAGE_STARTED, "", "", &started).ok());
  EXPECT_EQ(started.stage_dates().started(), "2026-06-15");
}

TEST_F(IntakeStages, StallsWithAReasonAndResumesToTheStageItStalledAt) {
  iv1::Project p = Negotiating("停滞恢复项目");
  ASSERT_TRUE(Transition(admin(), p.name(), iv1::STAGE_SIGNED, "2026-02-01").ok());
  EXPECT_TRUE(
      IsInvalidField(Transition(admin(), p.name(), iv1::STAGE_STALLED, "2026-03-01"), "reason"));
  ASSERT_TRUE(
      Transition(admin(), p.name(), iv1::STAGE_STALLED, "2026-03-01", "资金未到位", &p).ok());
  EXPECT_EQ(p.stage(), iv1::STAGE_STALLED);
  EXPECT_EQ(p.stage_reason(), "资金未到位");
  // Resuming goes back to SIGNED, not further.
  EXPECT_TRUE(HasCode(Transition(admin(), p.name(), iv1::STAGE_REGISTERED, "2026-04-01"),
                      StatusCode::FAILED_PRECONDITION));
  ASSERT_TRUE(Transition(admin(), p.name(), iv1::STAGE_SIGNED, "2026-04-01", "", &p).ok());
  EXPECT_EQ(p.stage(), iv1::STAGE_SIGNED);
  EXPECT_EQ(p.stage_reason(), "");
  EXPECT_EQ(p.stage_dates().signed_(), "2026-02-01");  // first reached, kept
  std::vector<iv1::StageChange> history = History(p.name());
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[2].to_stage(), iv1::STAGE_STALLED);
  EXPECT_EQ(history[2].reason(), "资金未到位");
  EXPECT_EQ(history[3].from_stage(), iv1::STAGE_STALLED);
}

TEST_F(IntakeStages, CancelledIsFinal) {
  iv1::Project p = Negotiating("终止项目");
  ASSERT_TRUE(
      Transition(admin(), p.name(), iv1::STAGE_CANCELLED, "2026-02-01", "投资方撤资", &p).ok());
  EXPECT_EQ(p.stage(), iv1::STAGE_CANCELLED);
  EXPECT_EQ(p.stage_reason(), "投资方撤资");
  EXPECT_EQ(p.light(), iv1::LIGHT_UNSPECIFIED);
  for (iv1::Stage to : {iv1::STAGE_NEGOTIATING, iv1::STAGE_SIGNED, iv1::STAGE_STALLED}) {
    EXPECT_TRUE(HasCode(Transition(admin(), p.name(), to, "2026-03-01", "再议"),
                        StatusCode::FAILED_PRECONDITION))
        << iv1::Stage_Name(to);
  }
  EXPECT_TRUE(HasCode(Report(admin(), p.name(), "2026-03", 1, 1), StatusCode::FAILED_PRECONDITION));
}

TEST_F(IntakeStages, CreatesAProjectAtALaterStageWithItsHistory) {
  iv1::Project p = MakeProject("已开工项目");
  p.set_stage(iv1::STAGE_STARTED);
  p.mutable_stage_dates()->set_negotiating("2025-10-01");
  p.mutable_stage_dates()->set_signed_("2025-11-01");
  p.mutable_stage_dates()->set_started("2026-02-01");
  iv1::CreateProjectRequest req;
  *req.mutable_project() = p;
  // registered has no date.
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::CreateProject, req),
                             "project.stage_dates.registered"));
  req.mutable_project()->mutable_stage_dates()->set_registered("2025-12-01");
  req.mutable_project()->mutable_stage_dates()->set_in_production("2026-03-01");  // beyond STARTED
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::CreateProject, req),
                             "project.stage_dates.in_production"));
  req.mutable_project()->mutable_stage_dates()->clear_in_production();
  req.mutable_project()->mutable_stage_dates()->set_signed_("2026-01-01");  // after registered
  EXPECT_TRUE(
      HasCode(admin().Status(&IntakeStub::CreateProject, req), StatusCode::INVALID_ARGUMENT));
  req.mutable_project()->mutable_stage_dates()->set_signed_("2025-11-01");
  req.mutable_project()->set_stage(iv1::STAGE_STALLED);
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::CreateProject, req), "project.stage"));
  req.mutable_project()->set_stage(iv1::STAGE_STARTED);

  iv1::Project created;
  ASSERT_TRUE(admin()(&IntakeStub::CreateProject, req, &created).ok());
  EXPECT_EQ(created.stage(), iv1::STAGE_STARTED);
  std::vector<iv1::StageChange> history = History(created.name());
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[0].from_stage(), iv1::STAGE_UNSPECIFIED);
  EXPECT_EQ(history[3].to_stage(), iv1::STAGE_STARTED);
  EXPECT_EQ(history[3].effective_date(), "2026-02-01");
  // The next move may not predate the last of those dates.
  EXPECT_TRUE(HasCode(Transition(admin(), created.name(), iv1::STAGE_IN_PRODUCTION, "2026-01-15"),
                      StatusCode::FAILED_PRECONDITION));
}

TEST_F(IntakeStages, ChecksTheEtagAndReplaysARequestId) {
  iv1::Project p = Negotiating("幂等推进项目");
  iv1::TransitionStageRequest req;
  req.set_name(p.name());
  req.set_to_stage(iv1::STAGE_SIGNED);
  req.set_effective_date("2026-02-01");
  req.set_etag("not-the-etag");
  EXPECT_TRUE(HasCode(admin().Status(&IntakeStub::TransitionStage, req), StatusCode::ABORTED));
  req.set_etag(p.etag());
  req.set_request_id("sign-once-1");
  iv1::Project first, again;
  ASSERT_TRUE(admin()(&IntakeStub::TransitionStage, req, &first).ok());
  // The retry returns the first result although the etag is stale and SIGNED → SIGNED is illegal.
  ASSERT_TRUE(admin()(&IntakeStub::TransitionStage, req, &again).ok());
  EXPECT_EQ(again.etag(), first.etag());
  EXPECT_EQ(History(p.name()).size(), 2u);
}

}  // namespace
}  // namespace chainhub::testing
