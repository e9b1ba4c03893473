#include "tools/bench/assessment_bench.h"

#include <map>
#include <utility>
#include <vector>

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "chainhub/assessment/v1/assessment.grpc.pb.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "services/assessment/periods.h"
#include "services/assessment/scheme_file.h"
#include "tools/bench/data_set.h"

namespace chainhub::bench {
namespace {

namespace av1 = assessment::v1;
namespace iv1 = intake::v1;

constexpr absl::Duration kFactsTimeout = absl::Minutes(10);
constexpr absl::Duration kProvisionalTimeout = absl::Seconds(30);
constexpr char kSchedule[] = "schedules/bench-quarterly";
// The quarter the final runs assess: the library's projects were signed through 2025.
constexpr char kFinalPeriod[] = "2025-Q3";

absl::Status Failed(const grpc::Status& status, absl::string_view what) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

absl::StatusOr<av1::Scheme> SampleScheme() {
  absl::StatusOr<av1::Scheme> scheme = assessment::ParseSchemeFile(SampleSchemeYaml());
  if (!scheme.ok()) {
    return absl::InternalError(
        absl::StrCat("the embedded sample scheme: ", scheme.status().message()));
  }
  return scheme;
}

// A target of every chain for each ratio-to-target indicator, for both 2025 (the final runs) and
// the current year (the provisional ones): pv holds three in four of the library, so twenty times
// another chain's target, and far enough that a few more projects still move the ratio.
absl::Status SetTargets(av1::Assessment::Stub& stub, const std::string& authorization,
                        const av1::Scheme& scheme) {
  const std::string this_year = ChinaDate(absl::Now()).substr(0, 4);
  for (const av1::SchemeItem& item : scheme.items()) {
    if (item.method_case() != av1::SchemeItem::kRatioToTarget) continue;
    for (const BenchChainSpec& chain : BenchChains()) {
      for (const std::string& year : {std::string("2025"), this_year}) {
        av1::SetTargetRequest request;
        av1::Target* target = request.mutable_target();
        target->set_subject(ChainName{chain.id}.String());
        target->set_indicator(item.indicator());
        target->set_period(year);
        target->set_value(chain.id == std::string(kPvChainId) ? 200'000 : 10'000);
        grpc::ClientContext context;
        av1::Target response;
        grpc::Status s = stub.SetTarget(Prepare(&context, authorization), request, &response);
        if (!s.ok()) return Failed(s, absl::StrCat("SetTarget ", item.indicator(), " ", year));
      }
    }
  }
  return absl::OkStatus();
}

// Reported values of the reported indicators the scheme uses and ratings of its rating items,
// for the final runs' quarter: synthetic, rising with the chain's place in the list.
absl::Status EnterInputs(av1::Assessment::Stub& stub, const std::string& authorization,
                         const av1::Scheme& scheme,
                         const std::map<std::string, av1::Indicator>& indicators) {
  const auto& chains = BenchChains();
  for (const av1::SchemeItem& item : scheme.items()) {
    for (size_t i = 0; i < chains.size(); ++i) {
      const std::string subject = ChainName{chains[i].id}.String();
      grpc::ClientContext context;
      grpc::Status s;
      if (item.method_case() == av1::SchemeItem::kRating) {
        av1::EnterRatingRequest request;
        av1::RatingEntry* rating = request.mutable_rating();
        rating->set_scheme(scheme.name());
        rating->set_item(item.key());
        rating->set_subject(subject);
        rating->set_period(kFinalPeriod);
        rating->set_points(item.points() * (0.6 + 0.05 * static_cast<double>(i)));
        rating->set_note("基准测试评议");
        av1::RatingEntry response;
        s = stub.EnterRating(Prepare(&context, authorization), request, &response);
      } else if (auto it = indicators.find(item.indicator());
                 it != indicators.end() && it->second.has_reported()) {
        av1::ReportValueRequest request;
        av1::ReportedValue* value = request.mutable_value();
        value->set_subject(subject);
        value->set_indicator(item.indicator());
        value->set_period(kFinalPeriod);
        value->set_value(100.0 * static_cast<double>(i + 1));
        value->set_evidence("基准测试数据");
        request.set_request_id(absl::StrCat("bench-", item.key(), "-", chains[i].id));
        av1::ReportedValue response;
        s = stub.ReportValue(Prepare(&context, authorization), request, &response);
      } else {
        continue;
      }
      if (!s.ok()) return Failed(s, absl::StrCat("entering ", item.key(), " of ", subject));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<AssessmentFacts> WaitForFacts(av1::Assessment::Stub& stub,
                                             const std::string& authorization, int64_t projects,
                                             absl::Time started, std::ostream& log) {
  const absl::Time deadline = absl::Now() + kFactsTimeout;
  while (true) {
    grpc::ClientContext context;
    av1::FactsStatus status;
    grpc::Status s =
        stub.GetFactsStatus(Prepare(&context, authorization), av1::GetFactsStatusRequest(), &status);
    if (s.ok() && status.has_backfill_time() && status.projects() >= projects) {
      AssessmentFacts facts;
      facts.projects = status.projects();
      facts.seconds = absl::ToDoubleSeconds(absl::Now() - started);
      log << absl::StrFormat("assessment facts: %d projects after %.1f s", facts.projects,
                             facts.seconds)
          << std::endl;
      return facts;
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "assessment's facts hold ", status.projects(), " of ", projects, " projects after ",
          absl::FormatDuration(kFactsTimeout), s.ok() ? "" : ": " + s.error_message()));
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
}

}  // namespace

AssessmentRunSpec BenchRunSpec() {
  AssessmentRunSpec spec;
  absl::StatusOr<av1::Scheme> scheme = SampleScheme();
  spec.scheme = scheme.ok() ? scheme->name() : "";
  spec.period = kFinalPeriod;
  spec.as_of_date = ChinaDate(absl::Now());
  return spec;
}

absl::StatusOr<AssessmentFacts> PrepareAssessment(const std::shared_ptr<grpc::Channel>& channel,
                                                  const std::string& authorization,
                                                  int64_t projects, absl::Time started,
                                                  std::ostream& log) {
  auto stub = av1::Assessment::NewStub(channel);
  absl::StatusOr<AssessmentFacts> facts =
      WaitForFacts(*stub, authorization, projects, started, log);
  if (!facts.ok()) return facts.status();

  auto indicators = assessment::ParseIndicatorsFile(SampleIndicatorsYaml());
  if (!indicators.ok()) {
    return absl::InternalError(
        absl::StrCat("the embedded sample indicators: ", indicators.status().message()));
  }
  std::map<std::string, av1::Indicator> by_name;
  for (const av1::Indicator& indicator : *indicators) {
    by_name[indicator.name()] = indicator;
    av1::CreateIndicatorRequest request;
    *request.mutable_indicator() = indicator;
    grpc::ClientContext context;
    av1::Indicator response;
    if (auto s = CreatedOrThere(
            stub->CreateIndicator(Prepare(&context, authorization), request, &response),
            indicator.name());
        !s.ok()) {
      return s;
    }
  }
  absl::StatusOr<av1::Scheme> scheme = SampleScheme();
  if (!scheme.ok()) return scheme.status();
  {
    av1::PutSchemeRequest request;
    *request.mutable_scheme() = *scheme;
    grpc::ClientContext context;
    av1::Scheme response;
    grpc::Status s = stub->PutScheme(Prepare(&context, authorization), request, &response);
    if (!s.ok()) return Failed(s, absl::StrCat("PutScheme ", scheme->name()));
  }
  if (auto s = SetTargets(*stub, authorization, *scheme); !s.ok()) return s;
  if (auto s = EnterInputs(*stub, authorization, *scheme, by_name); !s.ok()) return s;
  {
    av1::PutScheduleRequest request;
    av1::Schedule* schedule = request.mutable_schedule();
    schedule->set_name(kSchedule);
    schedule->set_scheme(scheme->name());
    schedule->set_cadence(av1::CADENCE_QUARTERLY);
    schedule->set_days_after_period_end(5);
    schedule->set_keep_provisional(true);
    grpc::ClientContext context;
    av1::Schedule response;
    grpc::Status s = stub->PutSchedule(Prepare(&context, authorization), request, &response);
    if (!s.ok()) return Failed(s, "PutSchedule");
  }
  log << "applied the sample scheme " << scheme->name() << " (" << scheme->items_size()
      << " items), its targets, values, ratings and a provisional schedule" << std::endl;
  return facts;
}

absl::StatusOr<LatencyFigures> MeasureGroupByBaseline(const std::string& db_path,
                                                      const AssessmentRunSpec& spec, int samples) {
  absl::StatusOr<assessment::Period> period = assessment::Period::Parse("period", spec.period);
  if (!period.ok()) return period.status();
  const std::string first = absl::FormatCivilTime(period->FirstDay());
  const std::string last = absl::FormatCivilTime(period->LastDay());
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    return absl::UnavailableError(absl::StrCat("opening ", db_path, ": ", message));
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> closer(db, sqlite3_close);
  sqlite3_busy_timeout(db, 5000);
  // The figures of the sample scheme's computed items, per chain, as someone would write them
  // for a report: every project item as a conditional sum in one pass over the projects in force.
  const std::string signed_in = "signed_date BETWEEN ?2 AND ?3";
  const std::string in_force = "recorded_us <= ?1 AND superseded_us > ?1 AND deleted = 0";
  const std::vector<std::string> queries = {
      absl::StrCat(
          "SELECT chain_id, ",
          "SUM(", signed_in, " AND total_yuan >= 100000000), ",
          "SUM(CASE WHEN ", signed_in, " AND total_yuan >= 100000000 THEN total_yuan END), ",
          "SUM(", signed_in, " AND total_yuan >= 100000000 AND investor_origin = ",
          int{iv1::INVESTOR_ORIGIN_OUT_OF_PROVINCE}, "), ",
          "SUM(started_date BETWEEN ?2 AND ?3 AND total_yuan >= 100000000), ",
          "SUM(in_production_date BETWEEN ?2 AND ?3 AND total_yuan >= 100000000), ",
          "SUM(", signed_in, " AND total_yuan >= 100000000 AND total_yuan < 1000000000), ",
          "SUM(", signed_in, " AND total_yuan >= 1000000000 AND total_yuan < 2000000000), ",
          "SUM(", signed_in, " AND total_yuan >= 2000000000), ",
          "SUM(light = ", int{iv1::LIGHT_RED}, "), ",
          "SUM(", signed_in, " AND total_yuan >= 1000000000), ",
          "SUM(", signed_in, " AND total_yuan >= 5000000000), ",
          "SUM(", signed_in, " AND fortune500 = 1) ",
          "FROM fact_projects WHERE ", in_force, " GROUP BY chain_id"),
      absl::StrCat(
          "SELECT p.chain_id, SUM(r.end_amount - r.start_amount) FROM fact_projects p JOIN "
          "(SELECT project_id, MAX(funds_arrived_yuan) AS end_amount, MAX(CASE WHEN month < "
          "substr(?2, 1, 7) THEN funds_arrived_yuan ELSE 0 END) AS start_amount FROM "
          "fact_progress_reports WHERE ",
          in_force, " AND month <= substr(?3, 1, 7) GROUP BY project_id) r ON r.project_id = p.id ",
          "WHERE p.recorded_us <= ?1 AND p.superseded_us > ?1 AND p.deleted = 0 ",
          "GROUP BY p.chain_id"),
      absl::StrCat("SELECT chain_id, COUNT(*) FROM fact_work_items WHERE ", in_force,
                   " AND kind = ", int{iv1::WORK_ITEM_KIND_ISSUE}, " AND status <> ",
                   int{iv1::WORK_ITEM_STATUS_RESOLVED}, " AND deadline < ?4 GROUP BY chain_id")};
  std::vector<sqlite3_stmt*> statements;
  auto finalize = [&statements] {
    for (sqlite3_stmt* st : statements) sqlite3_finalize(st);
  };
  for (const std::string& sql : queries) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      std::string message = sqlite3_errmsg(db);
      finalize();
      return absl::InternalError(absl::StrCat("the baseline query does not prepare: ", message));
    }
    statements.push_back(st);
  }
  const std::string today = ChinaDate(absl::Now());
  std::vector<absl::Duration> times;
  int64_t rows = 0;
  for (int i = 0; i < samples; ++i) {
    const absl::Time start = absl::Now();
    for (sqlite3_stmt* st : statements) {
      sqlite3_reset(st);
      sqlite3_bind_int64(st, 1, absl::ToUnixMicros(absl::Now()));
      sqlite3_bind_text(st, 2, first.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 3, last.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_bind_parameter_count(st) >= 4) {
        sqlite3_bind_text(st, 4, today.c_str(), -1, SQLITE_TRANSIENT);
      }
      int rc;
      while ((rc = sqlite3_step(st)) == SQLITE_ROW) ++rows;
      if (rc != SQLITE_DONE) {
        std::string message = sqlite3_errmsg(db);
        finalize();
        return absl::InternalError(absl::StrCat("the baseline query failed: ", message));
      }
    }
    times.push_back(absl::Now() - start);
  }
  finalize();
  if (samples > 0 && rows == 0) {
    return absl::FailedPreconditionError("the baseline found no facts (not backfilled?)");
  }
  return Summarize(std::move(times));
}

absl::StatusOr<LatencyFigures> MeasureProvisionalLag(
    const std::shared_ptr<grpc::Channel>& intake, const std::shared_ptr<grpc::Channel>& assessment,
    const std::string& authorization, const std::string& run_id, int samples) {
  auto projects = iv1::ProjectIntake::NewStub(intake);
  auto runs = av1::Assessment::NewStub(assessment);
  const absl::StatusOr<av1::Scheme> scheme = SampleScheme();
  if (!scheme.ok()) return scheme.status();
  std::vector<absl::Duration> lags;
  for (int i = 0; i < samples; ++i) {
    // A 7亿 project on pv (every seventh synthetic project is below 1亿 and would count for
    // nothing), signed today.
    iv1::Project project = SyntheticProject(2);
    project.set_external_id(absl::StrCat("bench-provisional-", run_id, "-", i));
    const std::string today = ChinaDate(absl::Now());
    project.mutable_stage_dates()->set_negotiating(today);
    project.mutable_stage_dates()->set_signed_(today);
    project.set_stage(iv1::STAGE_SIGNED);
    iv1::CreateProjectRequest create;
    *create.mutable_project() = project;
    create.set_request_id(project.external_id());
    grpc::ClientContext context;
    iv1::Project created;
    grpc::Status s = projects->CreateProject(Prepare(&context, authorization), create, &created);
    if (!s.ok()) return Failed(s, "CreateProject");
    const absl::Time acknowledged = absl::Now();
    while (true) {
      av1::ListRunsRequest list;
      list.set_scheme(scheme->name());
      list.set_kind(av1::RUN_KIND_PROVISIONAL);
      list.set_page_size(1);
      list.set_summary_only(true);
      grpc::ClientContext list_context;
      av1::ListRunsResponse response;
      s = runs->ListRuns(Prepare(&list_context, authorization), list, &response);
      if (!s.ok()) return Failed(s, "ListRuns");
      const absl::Time now = absl::Now();
      if (response.runs_size() > 0) {
        const auto& t = response.runs(0).create_time();
        if (absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos()) >= acknowledged) {
          lags.push_back(now - acknowledged);
          break;
        }
      }
      if (now - acknowledged > kProvisionalTimeout) {
        return absl::DeadlineExceededError(absl::StrCat(
            "no provisional run reflected a project created ",
            absl::FormatDuration(kProvisionalTimeout), " before"));
      }
      absl::SleepFor(absl::Milliseconds(5));
    }
  }
  return Summarize(std::move(lags));
}

}  // namespace chainhub::bench
