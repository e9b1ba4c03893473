#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/intake/stages.h"

namespace chainhub::intake {
namespace {

constexpr absl::string_view kToday = "2026-06-15";

constexpr v1::Stage kAllStages[] = {
    v1::STAGE_NEGOTIATING,   v1::STAGE_SIGNED,      v1::STAGE_REGISTERED, v1::STAGE_STARTED,
    v1::STAGE_IN_PRODUCTION, v1::STAGE_FULL_OUTPUT, v1::STAGE_STALLED,    v1::STAGE_CANCELLED,
};

StageState At(v1::Stage stage, std::string last = "2026-03-01",
              v1::Stage stalled_from = v1::STAGE_UNSPECIFIED) {
  StageState s;
  s.stage = stage;
  s.stalled_from = stalled_from;
  s.last_change_date = std::move(last);
  return s;
}

absl::Status Move(const StageState& state, v1::Stage to, absl::string_view date = "2026-04-01") {
  return CheckTransition(state, to, date, "资金未到位", kToday);
}

v1::StageDates Dates(std::vector<std::string> by_position) {
  v1::StageDates d;
  for (size_t i = 0; i < by_position.size(); ++i) {
    SetStageDate(&d, StageAt(static_cast<int>(i) + 1), by_position[i]);
  }
  return d;
}

TEST(IntakeStages, NameEachStageInEnglishAndChinese) {
  EXPECT_EQ(StageName(v1::STAGE_SIGNED), "SIGNED");
  EXPECT_EQ(StageName(v1::STAGE_IN_PRODUCTION), "IN_PRODUCTION");
  EXPECT_EQ(StageLabel(v1::STAGE_NEGOTIATING), "在谈");
  EXPECT_EQ(StageLabel(v1::STAGE_SIGNED), "签约");
  EXPECT_EQ(StageLabel(v1::STAGE_REGISTERED), "注册");
  EXPECT_EQ(StageLabel(v1::STAGE_STARTED), "开工");
  EXPECT_EQ(StageLabel(v1::STAGE_IN_PRODUCTION), "投产");
  EXPECT_EQ(StageLabel(v1::STAGE_FULL_OUTPUT), "达产");
  EXPECT_EQ(StageLabel(v1::STAGE_STALLED), "停滞");
  EXPECT_EQ(StageLabel(v1::STAGE_CANCELLED), "终止");
  EXPECT_EQ(StageDateField(v1::STAGE_IN_PRODUCTION), "in_production");
  EXPECT_EQ(StageDateField(v1::STAGE_STALLED), "");
}

TEST(IntakeStages, NumberTheMainLineOneToSixAndNothingElse) {
  for (int pos = 1; pos <= 6; ++pos) EXPECT_EQ(LinePosition(StageAt(pos)), pos);
  EXPECT_EQ(StageAt(1), v1::STAGE_NEGOTIATING);
  EXPECT_EQ(StageAt(6), v1::STAGE_FULL_OUTPUT);
  EXPECT_EQ(StageAt(0), v1::STAGE_UNSPECIFIED);
  EXPECT_EQ(StageAt(7), v1::STAGE_UNSPECIFIED);
  EXPECT_EQ(LinePosition(v1::STAGE_STALLED), 0);
  EXPECT_EQ(LinePosition(v1::STAGE_CANCELLED), 0);
  EXPECT_EQ(LinePosition(v1::STAGE_UNSPECIFIED), 0);
}

TEST(IntakeStages, StoreAndReadEachLineStageDate) {
  v1::StageDates d;
  for (int pos = 1; pos <= 6; ++pos) {
    SetStageDate(&d, StageAt(pos), absl::StrCat("2026-0", pos, "-01"));
  }
  EXPECT_EQ(d.signed_(), "2026-02-01");
  EXPECT_EQ(d.full_output(), "2026-06-01");
  EXPECT_EQ(StageDate(d, v1::STAGE_STARTED), "2026-04-01");
  EXPECT_EQ(StageDate(d, v1::STAGE_STALLED), "");
}

TEST(IntakeStages, AllowFromEachLineStageOnlyTheNextStageStalledOrCancelled) {
  for (int pos = 1; pos <= 5; ++pos) {
    const v1::Stage from = StageAt(pos);
    for (v1::Stage to : kAllStages) {
      SCOPED_TRACE(absl::StrCat(StageName(from), " -> ", StageName(to)));
      const bool legal =
          to == StageAt(pos + 1) || to == v1::STAGE_STALLED || to == v1::STAGE_CANCELLED;
      absl::Status s = Move(At(from), to);
      if (legal) {
        EXPECT_TRUE(s.ok()) << s;
      } else {
        EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
        EXPECT_TRUE(absl::StartsWith(s.message(), "to_stage: ")) << s;
      }
    }
  }
}

TEST(IntakeStages, RefusesSkippingFromSignedToStartedNamingBothStagesInBothLanguages) {
  absl::Status s = Move(At(v1::STAGE_SIGNED), v1::STAGE_STARTED);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(
      s.message(),
      "to_stage: from SIGNED (签约) a project moves to REGISTERED (注册), STALLED or CANCELLED"))
      << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "not STARTED (开工)")) << s;
}

TEST(IntakeStages, RefusesStayingOnTheSameStage) {
  EXPECT_EQ(Move(At(v1::STAGE_REGISTERED), v1::STAGE_REGISTERED).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(IntakeStages, RefusesEveryMoveFromTheFinalStages) {
  for (v1::Stage from : {v1::STAGE_FULL_OUTPUT, v1::STAGE_CANCELLED}) {
    for (v1::Stage to : kAllStages) {
      SCOPED_TRACE(absl::StrCat(StageName(from), " -> ", StageName(to)));
      absl::Status s = Move(At(from), to);
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_TRUE(absl::StartsWith(s.message(), "to_stage: ")) << s;
      EXPECT_TRUE(absl::StrContains(s.message(), "is final")) << s;
    }
  }
}

TEST(IntakeStages, ResumesAStalledProjectOnlyToTheStageItStalledAtOrCancelsIt) {
  const StageState stalled = At(v1::STAGE_STALLED, "2026-03-01", v1::STAGE_REGISTERED);
  for (v1::Stage to : kAllStages) {
    SCOPED_TRACE(StageName(to));
    absl::Status s = Move(stalled, to);
    if (to == v1::STAGE_REGISTERED || to == v1::STAGE_CANCELLED) {
      EXPECT_TRUE(s.ok()) << s;
    } else {
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
      EXPECT_TRUE(absl::StrContains(s.message(), "resumes to REGISTERED (注册)")) << s;
    }
  }
}

TEST(IntakeStages, RequiresAReasonToStallOrCancel) {
  for (v1::Stage to : {v1::STAGE_STALLED, v1::STAGE_CANCELLED}) {
    absl::Status s = CheckTransition(At(v1::STAGE_SIGNED), to, "2026-04-01", "", kToday);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(s.message(), "reason: ")) << s;
  }
  // Other moves take an optional reason.
  EXPECT_TRUE(
      CheckTransition(At(v1::STAGE_SIGNED), v1::STAGE_REGISTERED, "2026-04-01", "", kToday).ok());
}

TEST(IntakeStages, LimitsTheReasonToFiveHundredCharacters) {
  std::string five_hundred;
  for (int i = 0; i < 500; ++i) five_hundred += "停";
  EXPECT_TRUE(
      CheckTransition(At(v1::STAGE_SIGNED), v1::STAGE_STALLED, "2026-04-01", five_hundred, kToday)
          .ok());
  absl::Status s = CheckTransition(At(v1::STAGE_SIGNED), v1::STAGE_STALLED, "2026-04-01",
                                   five_hundred + "停", kToday);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(s.message(), "reason: ")) << s;
}

TEST(IntakeStages, RefusesAnUnsetTargetOrAMalformedDateAsInvalidArgument) {
  absl::Status unset = Move(At(v1::STAGE_SIGNED), v1::STAGE_UNSPECIFIED);
  EXPECT_EQ(unset.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(unset.message(), "to_stage: ")) << unset;
  for (absl::string_view bad : {"", "2026-02-30", "2026/04/01", "2026-4-1"}) {
    absl::Status s = Move(At(v1::STAGE_SIGNED), v1::STAGE_REGISTERED, bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(absl::StartsWith(s.message(), "effective_date: ")) << s;
  }
}

TEST(IntakeStages, RefusesADateBeforeTheLastChangeNamingBothDates) {
  absl::Status s = Move(At(v1::STAGE_SIGNED, "2026-03-01"), v1::STAGE_REGISTERED, "2026-02-28");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(s.message(), "effective_date: ")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "2026-03-01")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "2026-02-28")) << s;
}

TEST(IntakeStages, AcceptsTheSameDayAsTheLastChangeAndToday) {
  EXPECT_TRUE(Move(At(v1::STAGE_SIGNED, "2026-03-01"), v1::STAGE_REGISTERED, "2026-03-01").ok());
  EXPECT_TRUE(Move(At(v1::STAGE_SIGNED, "2026-03-01"), v1::STAGE_REGISTERED, kToday).ok());
}

TEST(IntakeStages, RefusesADateAfterTodayNamingBothDates) {
  absl::Status s = Move(At(v1::STAGE_SIGNED), v1::STAGE_REGISTERED, "2026-06-16");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(s.message(), "effective_date: ")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "2026-06-16")) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), std::string(kToday))) << s;
}

TEST(IntakeStages, WalkTheWholeMainLineRecordingEachFirstDate) {
  StageState state = At(v1::STAGE_NEGOTIATING, "2026-01-05");
  v1::StageDates dates = Dates({"2026-01-05"});
  const char* days[] = {"2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01"};
  for (int pos = 2; pos <= 6; ++pos) {
    ASSERT_TRUE(Move(state, StageAt(pos), days[pos - 2]).ok()) << StageName(StageAt(pos));
    ApplyTransition(&state, &dates, StageAt(pos), days[pos - 2]);
  }
  EXPECT_EQ(state.stage, v1::STAGE_FULL_OUTPUT);
  EXPECT_EQ(state.last_change_date, "2026-06-01");
  EXPECT_EQ(dates.negotiating(), "2026-01-05");
  EXPECT_EQ(dates.registered(), "2026-03-01");
  EXPECT_EQ(dates.full_output(), "2026-06-01");
}

TEST(IntakeStages, StallingRemembersTheStageAndResumingKeepsItsFirstDate) {
  StageState state = At(v1::STAGE_STARTED, "2026-02-01");
  v1::StageDates dates = Dates({"2026-01-01", "2026-01-10", "2026-01-20", "2026-02-01"});
  ApplyTransition(&state, &dates, v1::STAGE_STALLED, "2026-03-01");
  EXPECT_EQ(state.stage, v1::STAGE_STALLED);
  EXPECT_EQ(state.stalled_from, v1::STAGE_STARTED);
  EXPECT_EQ(state.last_change_date, "2026-03-01");

  ASSERT_TRUE(Move(state, v1::STAGE_STARTED, "2026-05-01").ok());
  ApplyTransition(&state, &dates, v1::STAGE_STARTED, "2026-05-01");
  EXPECT_EQ(state.stage, v1::STAGE_STARTED);
  EXPECT_EQ(state.stalled_from, v1::STAGE_UNSPECIFIED);
  EXPECT_EQ(dates.started(), "2026-02-01");
  EXPECT_EQ(state.last_change_date, "2026-05-01");
  // Back on the line, it moves on as before.
  EXPECT_TRUE(Move(state, v1::STAGE_IN_PRODUCTION, "2026-05-02").ok());
}

TEST(IntakeStages, CancellingIsFinalAfterApply) {
  StageState state = At(v1::STAGE_STALLED, "2026-02-01", v1::STAGE_SIGNED);
  v1::StageDates dates = Dates({"2026-01-01", "2026-01-10"});
  ApplyTransition(&state, &dates, v1::STAGE_CANCELLED, "2026-03-01");
  EXPECT_EQ(state.stage, v1::STAGE_CANCELLED);
  EXPECT_EQ(state.stalled_from, v1::STAGE_UNSPECIFIED);
  EXPECT_EQ(Move(state, v1::STAGE_SIGNED, "2026-04-01").code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(IntakeStages, InitialHistoryOfADefaultProjectIsOneNegotiatingChange) {
  auto history = InitialHistory(v1::STAGE_UNSPECIFIED, Dates({"2026-01-05"}), kToday, "project");
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].from_stage(), v1::STAGE_UNSPECIFIED);
  EXPECT_EQ((*history)[0].to_stage(), v1::STAGE_NEGOTIATING);
  EXPECT_EQ((*history)[0].effective_date(), "2026-01-05");
  EXPECT_EQ((*history)[0].name(), "");
}

TEST(IntakeStages, InitialHistoryOfAStartedProjectRecordsEveryLineStageWithItsDate) {
  auto history =
      InitialHistory(v1::STAGE_STARTED,
                     Dates({"2025-11-01", "2025-12-01", "2025-12-01", "2026-02-03"}), kToday, "p");
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 4u);
  EXPECT_EQ((*history)[0].from_stage(), v1::STAGE_UNSPECIFIED);
  for (int i = 1; i < 4; ++i) {
    EXPECT_EQ((*history)[i].from_stage(), StageAt(i));
    EXPECT_EQ((*history)[i].to_stage(), StageAt(i + 1));
  }
  EXPECT_EQ((*history)[3].effective_date(), "2026-02-03");
}

TEST(IntakeStages, InitialHistoryNeedsADateForEveryStageUpToTheStage) {
  auto history = InitialHistory(v1::STAGE_REGISTERED, Dates({"2025-11-01", "", "2025-12-01"}),
                                kToday, "project");
  EXPECT_EQ(history.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(history.status().message(), "project.stage_dates.signed: "))
      << history.status();
  // A project at NEGOTIATING needs its negotiating date too.
  EXPECT_FALSE(InitialHistory(v1::STAGE_NEGOTIATING, {}, kToday, "project").ok());
}

TEST(IntakeStages, InitialHistoryRefusesDecreasingFutureOrMalformedDates) {
  auto decreasing =
      InitialHistory(v1::STAGE_SIGNED, Dates({"2026-02-01", "2026-01-31"}), kToday, "project");
  EXPECT_EQ(decreasing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(decreasing.status().message(), "project.stage_dates.signed"))
      << decreasing.status();
  EXPECT_TRUE(absl::StrContains(decreasing.status().message(), "2026-02-01"));

  auto future =
      InitialHistory(v1::STAGE_SIGNED, Dates({"2026-02-01", "2026-06-16"}), kToday, "project");
  EXPECT_EQ(future.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(future.status().message(), "after today")) << future.status();

  auto malformed = InitialHistory(v1::STAGE_NEGOTIATING, Dates({"2026-2-1"}), kToday, "project");
  EXPECT_TRUE(absl::StartsWith(malformed.status().message(), "project.stage_dates.negotiating"))
      << malformed.status();
}

TEST(IntakeStages, InitialHistoryRefusesADateBeyondTheStage) {
  auto history =
      InitialHistory(v1::STAGE_SIGNED, Dates({"2026-01-01", "2026-02-01", "", "2026-03-01"}),
                     kToday, "rows[3].project");
  EXPECT_EQ(history.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(history.status().message(), "rows[3].project.stage_dates.started: "))
      << history.status();
}

TEST(IntakeStages, InitialHistoryRefusesStalledOrCancelled) {
  for (v1::Stage stage : {v1::STAGE_STALLED, v1::STAGE_CANCELLED}) {
    auto history = InitialHistory(stage, Dates({"2026-01-01"}), kToday, "project");
    EXPECT_EQ(history.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(history.status().message(), "project.stage: "))
        << history.status();
  }
}

TEST(IntakeStages, ForwardMovesAreEmptyForTheSameOrAnUnsetTarget) {
  const StageState state = At(v1::STAGE_SIGNED);
  auto same = ForwardMoves(state, v1::STAGE_SIGNED, {}, kToday, "row");
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->empty());
  auto unset = ForwardMoves(state, v1::STAGE_UNSPECIFIED, {}, kToday, "row");
  ASSERT_TRUE(unset.ok());
  EXPECT_TRUE(unset->empty());
  auto stalled = ForwardMoves(At(v1::STAGE_STALLED, "2026-03-01", v1::STAGE_SIGNED),
                              v1::STAGE_STALLED, {}, kToday, "row");
  ASSERT_TRUE(stalled.ok());
  EXPECT_TRUE(stalled->empty());
}

TEST(IntakeStages, ForwardMovesStepAlongTheLineDatedFromTheRow) {
  const v1::StageDates dates =
      Dates({"2025-01-01", "2026-03-01", "2026-04-01", "2026-04-01", "2026-05-20"});
  auto moves = ForwardMoves(At(v1::STAGE_SIGNED, "2026-03-01"), v1::STAGE_IN_PRODUCTION, dates,
                            kToday, "project");
  ASSERT_TRUE(moves.ok()) << moves.status();
  ASSERT_EQ(moves->size(), 3u);
  EXPECT_EQ((*moves)[0].from_stage(), v1::STAGE_SIGNED);
  EXPECT_EQ((*moves)[0].to_stage(), v1::STAGE_REGISTERED);
  EXPECT_EQ((*moves)[0].effective_date(), "2026-04-01");
  EXPECT_EQ((*moves)[2].from_stage(), v1::STAGE_STARTED);
  EXPECT_EQ((*moves)[2].to_stage(), v1::STAGE_IN_PRODUCTION);
  EXPECT_EQ((*moves)[2].effective_date(), "2026-05-20");
}

TEST(IntakeStages, ForwardMovesRefuseMovingBack) {
  auto moves = ForwardMoves(At(v1::STAGE_STARTED), v1::STAGE_SIGNED,
                            Dates({"2026-01-01", "2026-02-01"}), kToday, "project");
  EXPECT_EQ(moves.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(moves.status().message(), "project.stage: ")) << moves.status();
}

TEST(IntakeStages, ForwardMovesRefuseMovingAStalledOrCancelledProject) {
  for (const StageState& state :
       {At(v1::STAGE_STALLED, "2026-03-01", v1::STAGE_SIGNED), At(v1::STAGE_CANCELLED)}) {
    auto moves = ForwardMoves(state, v1::STAGE_REGISTERED,
                              Dates({"2026-01-01", "2026-02-01", "2026-04-01"}), kToday, "project");
    EXPECT_EQ(moves.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_TRUE(absl::StartsWith(moves.status().message(), "project.stage: "));
  }
  // Nor does an import stall or cancel a project.
  auto stall = ForwardMoves(At(v1::STAGE_SIGNED), v1::STAGE_STALLED, {}, kToday, "project");
  EXPECT_EQ(stall.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(IntakeStages, ForwardMovesNeedOrderedDatesNotBeforeTheLastChange) {
  auto missing = ForwardMoves(At(v1::STAGE_SIGNED), v1::STAGE_STARTED,
                              Dates({"2026-01-01", "2026-02-01", "", "2026-04-01"}), kToday, "p");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(missing.status().message(), "p.stage_dates.registered: "))
      << missing.status();

  auto early = ForwardMoves(At(v1::STAGE_SIGNED, "2026-03-01"), v1::STAGE_REGISTERED,
                            Dates({"2026-01-01", "2026-02-01", "2026-02-15"}), kToday, "p");
  EXPECT_EQ(early.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(early.status().message(), "2026-03-01")) << early.status();

  auto unordered = ForwardMoves(At(v1::STAGE_SIGNED, "2026-03-01"), v1::STAGE_STARTED,
                                Dates({"", "", "2026-04-01", "2026-03-15"}), kToday, "p");
  EXPECT_TRUE(absl::StartsWith(unordered.status().message(), "p.stage_dates.started: "))
      << unordered.status();
}

TEST(IntakeStages, OnlyStalledAndCancelledKeepAReason) {
  for (v1::Stage s : kAllStages) {
    EXPECT_EQ(KeepsReason(s), s == v1::STAGE_STALLED || s == v1::STAGE_CANCELLED) << StageName(s);
  }
}

TEST(IntakeStages, ANewProjectInNegotiationWithoutADateEnteredItToday) {
  EXPECT_EQ(InitialDates(v1::STAGE_UNSPECIFIED, {}, kToday).negotiating(), kToday);
  EXPECT_EQ(InitialDates(v1::STAGE_NEGOTIATING, {}, kToday).negotiating(), kToday);
  v1::StageDates given;
  given.set_negotiating("2026-01-05");
  EXPECT_EQ(InitialDates(v1::STAGE_NEGOTIATING, given, kToday).negotiating(), "2026-01-05");
  // A project created further along gives its own dates; none is made up.
  EXPECT_EQ(InitialDates(v1::STAGE_SIGNED, {}, kToday).negotiating(), "");
}

}  // namespace
}  // namespace chainhub::intake
