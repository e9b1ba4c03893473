// The hostile-input catalogue (tests/support/hostile_input.h) sent to every method of
// chainhub.assessment.v1.Assessment: control and bidi characters in every text field, hostile
// strings and unparsable bytes in every request, numbers no field takes (negative, NaN, ±Inf,
// enum values the enum leaves undefined) in every numeric field of a valid request, and hostile
// scheme files. Every call ends in a proper refusal or an ordinary answer, and assessment's
// tables are the same before and after.
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "chainhub/assessment/v1/assessment.grpc.pb.h"
#include "common/base/page_token.h"
#include "common/base/status_util.h"
#include "services/assessment/periods.h"
#include "services/assessment/scheduler.h"
#include "services/assessment/scheme_file.h"
#include "tests/support/assessment_fixture.h"
#include "tests/support/hostile_input.h"

namespace chainhub::testing {
namespace {

namespace av1 = assessment::v1;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

constexpr char kAssessmentService[] = "chainhub.assessment.v1.Assessment";

// Assessment's own records and the tables every service has; the facts, kept from the event
// stream, are not the hostile calls' to change and are left out. outbox.published_us and
// published_run are set by the relay whenever it gets to it.
constexpr const char* kTables[] = {
    "indicators", "indicator_versions", "targets",     "reported_values",
    "schemes",    "scheme_versions",    "ratings",     "runs",
    "schedules",  "audit_events",       "idempotency", "outbox",
};

std::string Quarter() {
  return assessment::PeriodOf(av1::CADENCE_QUARTERLY, assessment::ChinaDay(absl::Now())).String();
}
std::string Year() {
  return assessment::PeriodOf(av1::CADENCE_ANNUAL, assessment::ChinaDay(absl::Now())).String();
}

// --- Valid requests, the hostile values' carriers ---------------------------------------------

av1::Indicator SignedCount(const std::string& key) {
  av1::Indicator i;
  i.set_name("indicators/" + key);
  i.set_display_name("新签约亿元以上项目数");
  i.set_unit("个");
  i.set_description("签约日期在考核期内\n总投资不低于1亿元");
  i.set_direction(av1::DIRECTION_HIGHER_IS_BETTER);
  auto* m = i.mutable_measure();
  m->set_entity(av1::MEASURE_ENTITY_PROJECTS);
  m->set_aggregate(av1::AGGREGATE_COUNT);
  auto* p = m->mutable_projects();
  p->set_reached_in_period(intake::v1::STAGE_SIGNED);
  p->set_min_total_investment_yuan(100'000'000);
  p->set_source(intake::v1::PROJECT_SOURCE_INVESTMENT);
  p->add_investor_origins(intake::v1::INVESTOR_ORIGIN_IN_PROVINCE);
  p->set_light(intake::v1::LIGHT_GREEN);
  return i;
}

av1::Indicator OutputSum(const std::string& key) {
  av1::Indicator i;
  i.set_name("indicators/" + key);
  i.set_display_name("链上规上企业产值");
  i.set_unit("亿元");
  auto* m = i.mutable_measure();
  m->set_entity(av1::MEASURE_ENTITY_ENTERPRISES);
  m->set_aggregate(av1::AGGREGATE_SUM);
  m->set_field(av1::MEASURE_FIELD_ANNUAL_OUTPUT);
  m->mutable_enterprises()->add_labels(registry::v1::ENTERPRISE_LABEL_HEAD);
  m->mutable_enterprises()->set_min_annual_output_yuan(1);
  m->set_scale(1e-8);
  return i;
}

av1::Indicator Overdue(const std::string& key) {
  av1::Indicator i;
  i.set_name("indicators/" + key);
  i.set_display_name("超期未办结问题数");
  i.set_unit("个");
  i.set_direction(av1::DIRECTION_LOWER_IS_BETTER);
  auto* m = i.mutable_measure();
  m->set_entity(av1::MEASURE_ENTITY_WORK_ITEMS);
  m->set_aggregate(av1::AGGREGATE_COUNT);
  m->mutable_work_items()->set_kind(intake::v1::WORK_ITEM_KIND_ISSUE);
  m->mutable_work_items()->set_condition(av1::WORK_ITEM_CONDITION_OVERDUE);
  return i;
}

av1::Indicator Reported(const std::string& key) {
  av1::Indicator i;
  i.set_name("indicators/" + key);
  i.set_display_name("产值");
  i.set_unit("亿元");
  i.set_description("统计局季度快报");
  i.mutable_reported()->set_owner_department(IntakeFixture::kDeptJxj);
  return i;
}

// A scheme with one item of every method: the scored ones add up to 100; quota, deduction and
// bonus on top.
av1::Scheme FullScheme(const std::string& name) {
  av1::Scheme s;
  s.set_name(name);
  s.set_display_name("2026年度产业链链长制工作考核方案");
  s.set_description("按季度考核\n年度折算");
  s.set_subject_kind(av1::SUBJECT_KIND_CHAINS);
  s.add_subjects("chains/pv");
  s.add_subjects("chains/nev-battery");
  s.set_total_points(100);
  s.set_quarter_weight(0.7);
  auto item = [&](const std::string& key, const std::string& indicator, double points) {
    av1::SchemeItem* i = s.add_items();
    i->set_key(key);
    i->set_display_name(key + "项");
    if (!indicator.empty()) i->set_indicator("indicators/" + indicator);
    i->set_points(points);
    return i;
  };
  item("ratio", "output", 20)->mutable_ratio_to_target()->set_cap(1.2);
  item("efficacy", "signed", 20)->mutable_efficacy()->set_all_equal_score(60);
  item("per_unit", "signed", 20)->mutable_per_unit()->set_points_per_unit(5);
  item("threshold", "output_sum", 20)->mutable_threshold()->set_threshold(10);
  item("rating", "", 20)->mutable_rating()->add_criteria("项目服务");
  av1::SizeBandQuota* quota = item("quota", "signed", 6)->mutable_quota();
  quota->set_deduction_per_missing(1);
  av1::BandQuota* band = quota->add_bands();
  band->set_min_yuan(100'000'000);
  band->set_max_yuan(1'000'000'000);
  band->set_count(2);
  item("deduction", "overdue", 5)->mutable_deduction()->set_per_unit(0.5);
  item("bonus", "signed", 8)->mutable_bonus()->set_per_unit(4);
  auto* grading = s.mutable_grading()->mutable_thresholds();
  grading->set_excellent(90);
  grading->set_good(75);
  grading->set_pass(60);
  return s;
}

// The scheme with item `k` first (the field walks look at the first element of a list).
av1::Scheme ItemFirst(av1::Scheme s, int k) {
  for (int i = k; i > 0; --i) s.mutable_items()->SwapElements(i, i - 1);
  return s;
}

// Whether a message of type `d` can hold a number anywhere (below depth 6).
bool HoldsNumbers(const Descriptor* d, int depth = 0) {
  if (depth > 6) return false;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->message_type()->full_name() != "google.protobuf.Timestamp" &&
          HoldsNumbers(f->message_type(), depth + 1)) {
        return true;
      }
    } else if (f->cpp_type() != FieldDescriptor::CPPTYPE_STRING &&
               f->cpp_type() != FieldDescriptor::CPPTYPE_BOOL) {
      return true;
    }
  }
  return false;
}

class AssessmentHostileInputTest : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    if (fixture_ != nullptr) fixture_->TearDown();
    delete fixture_;
    fixture_ = nullptr;
    seeded_ = false;
  }

  void SetUp() override {
    if (fixture_ == nullptr) {
      fixture_ = new AssessmentFixture();
      ASSERT_NO_FATAL_FAILURE(fixture_->SetUp());
      ASSERT_NO_FATAL_FAILURE(Seed());
      seeded_ = true;
    }
    ASSERT_TRUE(seeded_) << "the suite's fixture failed to start in an earlier test";
  }

  static AssessmentFixture& fx() { return *fixture_; }

  // Every row of assessment's tables, as text.
  static std::string Snapshot() {
    return TableRows(*fx().store(), {std::begin(kTables), std::end(kTables)});
  }

  static void Create(const av1::Indicator& indicator) {
    av1::CreateIndicatorRequest req;
    *req.mutable_indicator() = indicator;
    grpc::Status s = fx().Assessor().Status(&AssessmentStub::CreateIndicator, req);
    ASSERT_TRUE(s.ok()) << indicator.name() << ": " << s.error_message();
  }

  // Something of every kind for the hostile calls to aim at: four indicators, a scheme with an
  // item of every method, targets, a reported value, a rating, a provisional run, a schedule.
  static void Seed() {
    ASSERT_NO_FATAL_FAILURE(Create(SignedCount("signed")));
    ASSERT_NO_FATAL_FAILURE(Create(OutputSum("output_sum")));
    ASSERT_NO_FATAL_FAILURE(Create(Overdue("overdue")));
    ASSERT_NO_FATAL_FAILURE(Create(Reported("output")));
    auto as = fx().Assessor();
    {
      av1::PutSchemeRequest req;
      *req.mutable_scheme() = FullScheme("schemes/hostile");
      grpc::Status s = as.Status(&AssessmentStub::PutScheme, req);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    for (const char* subject : {"chains/pv", "chains/nev-battery"}) {
      av1::SetTargetRequest req;
      req.mutable_target()->set_subject(subject);
      req.mutable_target()->set_indicator("indicators/output");
      req.mutable_target()->set_period(Year());
      req.mutable_target()->set_value(400);
      grpc::Status s = as.Status(&AssessmentStub::SetTarget, req);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    {
      grpc::Status s = as.Status(&AssessmentStub::ReportValue, ValidReport());
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    {
      av1::EnterRatingRequest req = ValidRating();
      grpc::Status s = as.Status(&AssessmentStub::EnterRating, req);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    {
      av1::CreateRunRequest req = ValidRun();
      av1::Run run;
      grpc::Status s = as(&AssessmentStub::CreateRun, req, &run);
      ASSERT_TRUE(s.ok()) << s.error_message();
      run_ = run.name();
    }
    {
      av1::Schedule schedule;
      grpc::Status s = as(&AssessmentStub::PutSchedule, ValidSchedule(), &schedule);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
  }

  static av1::ReportValueRequest ValidReport() {
    av1::ReportValueRequest req;
    req.mutable_value()->set_subject("chains/pv");
    req.mutable_value()->set_indicator("indicators/output");
    req.mutable_value()->set_period(Quarter());
    req.mutable_value()->set_value(120);
    req.mutable_value()->set_evidence("统计局季度快报\n第3页");
    return req;
  }

  static av1::EnterRatingRequest ValidRating() {
    av1::EnterRatingRequest req;
    av1::RatingEntry* r = req.mutable_rating();
    r->set_scheme("schemes/hostile");
    r->set_item("rating");
    r->set_subject("chains/pv");
    r->set_period(Quarter());
    r->set_points(15);
    r->set_note("服务到位\n要素保障有力");
    return req;
  }

  static av1::CreateRunRequest ValidRun() {
    av1::CreateRunRequest req;
    req.set_scheme("schemes/hostile");
    req.set_period(Quarter());
    req.set_kind(av1::RUN_KIND_PROVISIONAL);
    return req;
  }

  static av1::PutScheduleRequest ValidSchedule() {
    av1::PutScheduleRequest req;
    av1::Schedule* s = req.mutable_schedule();
    s->set_name("schedules/hostile");
    s->set_scheme("schemes/hostile");
    s->set_cadence(av1::CADENCE_QUARTERLY);
    s->set_days_after_period_end(5);
    s->set_time_of_day("02:00");
    return req;
  }

  static inline AssessmentFixture* fixture_ = nullptr;
  static inline bool seeded_ = false;
  static inline std::string run_;
};

TEST_F(AssessmentHostileInputTest, EveryAssessmentTextFieldRefusesControlAndBidiCharacters) {
  auto as = fx().Assessor();
  for (const av1::Indicator& indicator : {Reported("hostile_reported"), SignedCount("hostile")}) {
    av1::CreateIndicatorRequest req;
    *req.mutable_indicator() = indicator;
    req.set_request_id("hostile-indicator-1");
    ExpectEveryTextFieldChecked(as, &AssessmentStub::CreateIndicator, req);
  }
  {
    av1::Indicator current;
    av1::GetIndicatorRequest get;
    get.set_name("indicators/output");
    ASSERT_TRUE(as(&AssessmentStub::GetIndicator, get, &current).ok());
    av1::UpdateIndicatorRequest req;
    *req.mutable_indicator() = Reported("output");
    req.mutable_indicator()->set_etag(current.etag());
    ExpectEveryTextFieldChecked(as, &AssessmentStub::UpdateIndicator, req, {"indicator.etag"});
  }
  {
    av1::SetTargetRequest req;
    req.mutable_target()->set_subject("chains/pv");
    req.mutable_target()->set_indicator("indicators/output");
    req.mutable_target()->set_period(Quarter());
    req.mutable_target()->set_value(100);
    ExpectEveryTextFieldChecked(as, &AssessmentStub::SetTarget, req);
  }
  {
    av1::ReportValueRequest req = ValidReport();
    req.set_request_id("hostile-report-1");
    ExpectEveryTextFieldChecked(as, &AssessmentStub::ReportValue, req);
  }
  // The rating item first, for its criteria; then an item with an indicator.
  const av1::Scheme scheme = FullScheme("schemes/hostile-text");
  for (int first : {4, 0}) {
    av1::PutSchemeRequest req;
    *req.mutable_scheme() = ItemFirst(scheme, first);
    ExpectEveryTextFieldChecked(as, &AssessmentStub::PutScheme, req);
  }
  ExpectEveryTextFieldChecked(as, &AssessmentStub::EnterRating, ValidRating());
  {
    av1::CreateRunRequest req = ValidRun();
    req.set_as_of_date(assessment::FormatDate(assessment::ChinaDay(absl::Now())));
    req.set_request_id("hostile-run-1");
    ExpectEveryTextFieldChecked(as, &AssessmentStub::CreateRun, req);
  }
  ExpectEveryTextFieldChecked(as, &AssessmentStub::PutSchedule, ValidSchedule());
  // The reads' narrowing fields too.
  {
    av1::ListTargetsRequest req;
    req.set_subject("chains/pv");
    req.set_indicator("indicators/output");
    req.set_period(Quarter());
    ExpectEveryTextFieldChecked(as, &AssessmentStub::ListTargets, req);
    req.set_resolve(true);
    ExpectEveryTextFieldChecked(as, &AssessmentStub::ListTargets, req);
  }
  {
    av1::ListReportedValuesRequest req;
    req.set_subject("chains/pv");
    req.set_indicator("indicators/output");
    req.set_period(Quarter());
    ExpectEveryTextFieldChecked(as, &AssessmentStub::ListReportedValues, req);
  }
  {
    av1::ListRunsRequest req;
    req.set_scheme("schemes/hostile");
    req.set_period(Quarter());
    ExpectEveryTextFieldChecked(as, &AssessmentStub::ListRuns, req);
  }
  {
    av1::ListRatingsRequest req;
    req.set_scheme("schemes/hostile");
    req.set_period(Quarter());
    ExpectEveryTextFieldChecked(as, &AssessmentStub::ListRatings, req);
  }
  {
    av1::ExplainScoreRequest req;
    req.set_run(run_);
    req.set_subject("chains/pv");
    req.set_item("per_unit");
    ExpectEveryTextFieldChecked(as, &AssessmentStub::ExplainScore, req);
  }
}

TEST_F(AssessmentHostileInputTest, EveryAssessmentMethodRefusesHostileInputAndChangesNothing) {
  const std::string before = Snapshot();
  const int calls =
      Bombard(kAssessmentService, fx().assessment_target(), IntakeFixture::admin_token());
  EXPECT_GT(calls, 3000);

  // Numbers no field takes, in every numeric field of a valid request of every method that has
  // one. A write whose request is accepted would store something; none is.
  auto as = fx().Assessor();
  std::set<std::string> covered;
  int number_calls = 0;
  auto numbers = [&](auto method, const auto& valid, const NumberRules& rules = {}) {
    number_calls += ExpectEveryNumberFieldChecked(as, method, valid, rules);
    covered.insert(valid.GetDescriptor()->full_name());
  };
  NumberRules reads;
  reads.writes_nothing = true;
  for (const av1::Indicator& indicator :
       {SignedCount("hostile_numbers"), OutputSum("hostile_numbers"), Overdue("hostile_numbers"),
        Reported("hostile_numbers")}) {
    av1::CreateIndicatorRequest req;
    *req.mutable_indicator() = indicator;
    numbers(&AssessmentStub::CreateIndicator, req);
    av1::UpdateIndicatorRequest update;
    *update.mutable_indicator() = indicator;
    update.mutable_indicator()->set_name("indicators/signed");
    update.mutable_indicator()->set_etag("not-the-etag");
    numbers(&AssessmentStub::UpdateIndicator, update);
  }
  {
    av1::SetTargetRequest req;
    req.mutable_target()->set_subject("chains/pv");
    req.mutable_target()->set_indicator("indicators/output");
    req.mutable_target()->set_period(Quarter());
    req.mutable_target()->set_value(100);
    numbers(&AssessmentStub::SetTarget, req);
  }
  {
    // A reported figure may be negative (a fall); its revision is output only.
    NumberRules rules;
    rules.negative_allowed = {"value.value"};
    rules.ignored = {"value.revision"};
    numbers(&AssessmentStub::ReportValue, ValidReport(), rules);
  }
  {
    // validate_only stores nothing, so the extremes are tried too. A threshold and the grade
    // thresholds may be negative (deductions can take a total below zero); version is output
    // only.
    NumberRules rules;
    rules.writes_nothing = true;
    rules.negative_allowed = {"scheme.items[0].threshold.threshold",
                              "scheme.grading.thresholds.excellent",
                              "scheme.grading.thresholds.good", "scheme.grading.thresholds.pass"};
    rules.ignored = {"scheme.version"};
    const av1::Scheme scheme = FullScheme("schemes/hostile");
    for (int first = 0; first < scheme.items_size(); ++first) {
      av1::PutSchemeRequest req;
      *req.mutable_scheme() = ItemFirst(scheme, first);
      req.set_validate_only(true);
      numbers(&AssessmentStub::PutScheme, req, rules);
    }
    av1::PutSchemeRequest shares;
    *shares.mutable_scheme() = scheme;
    shares.set_validate_only(true);
    auto* rank = shares.mutable_scheme()->mutable_grading()->mutable_rank_shares();
    rank->set_excellent(0.2);
    rank->set_good(0.3);
    rank->set_fail(0.1);
    numbers(&AssessmentStub::PutScheme, shares, rules);
  }
  numbers(&AssessmentStub::EnterRating, ValidRating());
  numbers(&AssessmentStub::CreateRun, ValidRun());
  numbers(&AssessmentStub::PutSchedule, ValidSchedule());
  numbers(&AssessmentStub::ListIndicators, av1::ListIndicatorsRequest(), reads);
  numbers(&AssessmentStub::ListTargets, av1::ListTargetsRequest(), reads);
  numbers(&AssessmentStub::ListReportedValues, av1::ListReportedValuesRequest(), reads);
  numbers(&AssessmentStub::ListSchemes, av1::ListSchemesRequest(), reads);
  {
    av1::ListSchemeVersionsRequest req;
    req.set_parent("schemes/hostile");
    numbers(&AssessmentStub::ListSchemeVersions, req, reads);
  }
  {
    av1::ListRatingsRequest req;
    req.set_scheme("schemes/hostile");
    numbers(&AssessmentStub::ListRatings, req, reads);
  }
  numbers(&AssessmentStub::ListRuns, av1::ListRunsRequest(), reads);
  {
    av1::ExplainScoreRequest req;
    req.set_run(run_);
    req.set_subject("chains/pv");
    req.set_item("per_unit");
    numbers(&AssessmentStub::ExplainScore, req, reads);
  }
  {
    av1::ExportRunRequest req;
    req.set_name(run_);
    req.set_format(av1::EXPORT_FORMAT_CSV);
    numbers(&AssessmentStub::ExportRun, req, reads);
  }
  numbers(&AssessmentStub::ListSchedules, av1::ListSchedulesRequest(), reads);
  // The audit trail is the admin's to read.
  number_calls += ExpectEveryNumberFieldChecked(fx().Admin(), &AssessmentStub::ListAuditEvents,
                                                common::v1::ListAuditEventsRequest(), reads);
  covered.insert(common::v1::ListAuditEventsRequest::descriptor()->full_name());
  EXPECT_GT(number_calls, 300);

  // Every method whose request can hold a number was given one.
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(kAssessmentService);
  ASSERT_NE(service, nullptr);
  for (int i = 0; i < service->method_count(); ++i) {
    const Descriptor* input = service->method(i)->input_type();
    if (HoldsNumbers(input)) {
      EXPECT_TRUE(covered.contains(input->full_name())) << service->method(i)->name();
    }
  }

  EXPECT_EQ(Snapshot(), before);
}

// Scheme files as `chainctl schemes apply` sends them: read by ParseSchemeFile, then put (and
// validated) through PutScheme. A hostile file is refused at one step or the other with
// INVALID_ARGUMENT; nothing is stored and nothing crashes.
TEST_F(AssessmentHostileInputTest, HostileSchemeFilesAreRefusedAsInvalidArgument) {
  const std::string valid = assessment::SchemeToYaml(FullScheme("schemes/hostile-file"));
  // The valid file with the line starting `from` replaced by `to`.
  auto with = [&](const std::string& from, const std::string& to) {
    const size_t at = valid.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    std::string text = valid;
    if (at != std::string::npos) text.replace(at, text.find('\n', at) - at, to);
    return text;
  };
  const std::vector<std::pair<std::string, std::string>> files = {
      {"YAML nested 100000 deep", "display_name: " + Repeat("[", 100000) + Repeat("]", 100000)},
      {"YAML maps nested 20000 deep", Repeat("a: {", 20000) + Repeat("}", 20000)},
      {"JSON nested 100000 deep", Repeat("{\"items\": [", 100000)},
      {"JSON nested 5000 deep",
       "{\"grading\": " + Repeat("{\"thresholds\": ", 5000) + "1" + Repeat("}", 5001)},
      {"alias bomb",
       "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, "
       "*a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, "
       "*c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, "
       "*d]\n"},
      {"2 MB", valid + "description: " + std::string(2 << 20, 'x') + "\n"},
      {"total_points 1e400", with("total_points: 100", "total_points: 1e400")},
      {"total_points .nan", with("total_points: 100", "total_points: .nan")},
      {"total_points NaN", with("total_points: 100", "total_points: NaN")},
      {"total_points -.inf", with("total_points: 100", "total_points: -.inf")},
      {"total_points 1e308", with("total_points: 100", "total_points: 1e308")},
      {"quarter_weight -1e-300", with("quarter_weight: 0.7", "quarter_weight: -1e-300")},
      {"count past int32", with("count: 2", "count: 99999999999999999999")},
      {"count 2^31", with("count: 2", "count: 2147483648")},
      {"min_yuan past int64", with("min_yuan: 100000000", "min_yuan: 9223372036854775808")},
      {"min_yuan -1e18", with("min_yuan: 100000000", "min_yuan: -1e18")},
      {"points 0x1p1024", with("points: 20", "points: 0x1p1024")},
      {"duplicate key", with("total_points: 100", "total_points: 100\ntotal_points: 50")},
      {"duplicate camelCase key", with("total_points: 100", "total_points: 100\ntotalPoints: 100")},
      {"subject kind 99", with("subject_kind: SUBJECT_KIND_CHAINS", "subject_kind: 99")},
      {"non-UTF-8 name", with("display_name: 2026",
                              "display_name: \xff\xfe"
                              "2026")},
      {"overlong UTF-8", with("display_name: 2026",
                              "display_name: \xc0\xaf"
                              "2026")},
      {"surrogate", with("display_name: 2026",
                         "display_name: \xed\xa0\x80"
                         "2026")},
      {"escaped NUL", with("display_name: 2026", "display_name: \"\\0\\x01\"")},
      {"escaped bidi", with("display_name: 2026", "display_name: \"\\u202E2026\"")},
      {"unknown key", valid + "drop_table: '; DROP TABLE schemes; --'\n"},
      {"JSON NaN", "{\"name\": \"schemes/hostile-file\", \"total_points\": NaN}"},
      {"JSON Infinity", "{\"name\": \"schemes/hostile-file\", \"total_points\": Infinity}"},
      {"JSON trailing garbage", "{\"name\": \"schemes/hostile-file\"} }}}"},
      {"JSON truncated", "{\"name\": \"schemes/hostile-file\", \"items\": [{\"key\": "},
      {"two documents", valid + "---\n" + valid},
      {"python tag", with("total_points: 100", "total_points: !!python/object:os.system 100")},
      {"empty", ""},
      {"NUL bytes", std::string("name: schemes/x\0\0\0", 18)},
  };
  const std::string before = Snapshot();
  auto as = fx().Assessor();
  for (const auto& [what, text] : files) {
    absl::StatusOr<av1::Scheme> scheme = assessment::ParseSchemeFile(text);
    if (!scheme.ok()) {
      EXPECT_EQ(scheme.status().code(), absl::StatusCode::kInvalidArgument)
          << what << ": " << scheme.status();
      EXPECT_LE(scheme.status().message().size(), kMaxRefusalMessageBytes) << what;
      continue;
    }
    for (bool validate_only : {true, false}) {
      av1::PutSchemeRequest req;
      *req.mutable_scheme() = *scheme;
      req.set_validate_only(validate_only);
      av1::Scheme put;
      grpc::Status s = as(&AssessmentStub::PutScheme, req, &put);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << what << (validate_only ? " (validate_only)" : "") << ": " << s.error_message();
    }
  }
  EXPECT_EQ(Snapshot(), before);
}

// An unknown cadence was stored and then run as an annual schedule.
TEST_F(AssessmentHostileInputTest, AScheduleWithAnUnknownCadenceIsRefusedAndNotStored) {
  auto as = fx().Assessor();
  for (int cadence : {-1, 4, 99}) {
    av1::PutScheduleRequest req = ValidSchedule();
    req.mutable_schedule()->set_name("schedules/unknown-cadence");
    req.mutable_schedule()->set_cadence(static_cast<av1::Cadence>(cadence));
    grpc::Status s = as.Status(&AssessmentStub::PutSchedule, req);
    EXPECT_TRUE(NamesField(s, "schedule.cadence")) << cadence << ": " << s.error_message();
  }
  av1::ListSchedulesResponse schedules;
  ASSERT_TRUE(as(&AssessmentStub::ListSchedules, av1::ListSchedulesRequest(), &schedules).ok());
  for (const auto& schedule : schedules.schedules()) {
    EXPECT_NE(schedule.name(), "schedules/unknown-cadence");
  }
}

// An unknown kind or trigger narrowed ListRuns to nothing instead of telling the client.
TEST_F(AssessmentHostileInputTest, ListRunsRefusesAnUnknownKindOrTrigger) {
  auto as = fx().Assessor();
  av1::ListRunsRequest req;
  req.set_kind(static_cast<av1::RunKind>(7));
  req.set_trigger(static_cast<av1::RunTrigger>(-3));
  av1::ListRunsResponse runs;
  grpc::Status s = as(&AssessmentStub::ListRuns, req, &runs);
  EXPECT_TRUE(NamesField(s, "kind")) << s.error_message();
  EXPECT_TRUE(NamesField(s, "trigger")) << s.error_message();
  req.set_kind(av1::RUN_KIND_PROVISIONAL);
  req.set_trigger(av1::RUN_TRIGGER_MANUAL);
  s = as(&AssessmentStub::ListRuns, req, &runs);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(runs.runs_size(), 1);
  EXPECT_EQ(runs.runs(0).name(), run_);
}

// ExplainScore's page token is an offset into the explanation. A token is opaque but not secret:
// one built with a negative offset made the service read before the first fact.
TEST_F(AssessmentHostileInputTest, AnExplainScoreTokenWithANegativeOffsetIsRefused) {
  auto as = fx().Assessor();
  av1::ExplainScoreRequest req;
  req.set_run(run_);
  req.set_subject("chains/pv");
  req.set_item("ratio");
  av1::ExplainScoreResponse first;
  ASSERT_TRUE(as(&AssessmentStub::ExplainScore, req, &first).ok());
  ASSERT_GT(first.total_size(), 0);
  PageToken token;
  token.query_fingerprint = QueryFingerprint(
      "ExplainScore", run_.substr(std::string("runs/").size()) + "|chains/pv", "ratio");
  for (const char* offset : {"-1", "-1000000", "-2147483648"}) {
    token.last_key = {offset};
    req.set_page_token(EncodePageToken(token));
    av1::ExplainScoreResponse resp;
    grpc::Status s = as(&AssessmentStub::ExplainScore, req, &resp);
    EXPECT_TRUE(NamesField(s, "page_token")) << offset << ": " << s.error_message();
  }
  // An offset past the end is an empty last page.
  token.last_key = {"2147483647"};
  req.set_page_token(EncodePageToken(token));
  av1::ExplainScoreResponse past;
  grpc::Status s = as(&AssessmentStub::ExplainScore, req, &past);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(past.facts_size(), 0);
  EXPECT_EQ(past.total_size(), first.total_size());
  EXPECT_TRUE(past.next_page_token().empty());
  // The offset the service issued still works.
  token.last_key = {"0"};
  req.set_page_token(EncodePageToken(token));
  av1::ExplainScoreResponse again;
  ASSERT_TRUE(as(&AssessmentStub::ExplainScore, req, &again).ok());
  EXPECT_EQ(again.facts_size(), first.facts_size());
}

// ListTargets with resolve named its own fields ".subject", ".indicator" and ".period".
TEST_F(AssessmentHostileInputTest, ResolvingATargetNamesTheRequestsOwnFields) {
  av1::ListTargetsRequest req;
  req.set_resolve(true);
  req.set_subject("chains/pv");
  req.set_indicator("indicators/output");
  req.set_period("2026-Q5");
  av1::ListTargetsResponse resp;
  grpc::Status s = fx().Assessor()(&AssessmentStub::ListTargets, req, &resp);
  EXPECT_TRUE(NamesField(s, "period")) << s.error_message();
  req.set_period(Quarter());
  req.set_subject("chains/");
  s = fx().Assessor()(&AssessmentStub::ListTargets, req, &resp);
  EXPECT_TRUE(NamesField(s, "subject")) << s.error_message();
}

// An item key no scheme can hold came back NOT_FOUND, echoing control characters.
TEST_F(AssessmentHostileInputTest, ExplainScoreRefusesAnItemThatIsNoItemKey) {
  av1::ExplainScoreRequest req;
  req.set_run(run_);
  req.set_subject("chains/pv");
  for (const std::string& item :
       {std::string(), std::string("a\x01") + "b", std::string("Ratio"), std::string(41, 'a')}) {
    req.set_item(item);
    av1::ExplainScoreResponse resp;
    grpc::Status s = fx().Assessor()(&AssessmentStub::ExplainScore, req, &resp);
    EXPECT_TRUE(NamesField(s, "item")) << item << ": " << s.error_message();
  }
  // A well-formed key the scheme does not have is still NOT_FOUND.
  req.set_item("no_such_item");
  av1::ExplainScoreResponse resp;
  EXPECT_EQ(fx().Assessor()(&AssessmentStub::ExplainScore, req, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// A grade threshold that is no number was reported against the thresholds as a whole.
TEST_F(AssessmentHostileInputTest, ANonFiniteGradeThresholdIsNamed) {
  av1::PutSchemeRequest req;
  *req.mutable_scheme() = FullScheme("schemes/hostile");
  req.set_validate_only(true);
  auto* t = req.mutable_scheme()->mutable_grading()->mutable_thresholds();
  t->set_excellent(std::nan(""));
  t->set_pass(-std::numeric_limits<double>::infinity());
  av1::Scheme scheme;
  grpc::Status s = fx().Assessor()(&AssessmentStub::PutScheme, req, &scheme);
  EXPECT_TRUE(NamesField(s, "scheme.grading.thresholds.excellent")) << s.error_message();
  EXPECT_TRUE(NamesField(s, "scheme.grading.thresholds.pass")) << s.error_message();
  EXPECT_FALSE(NamesField(s, "scheme.grading.thresholds.good")) << s.error_message();
  // Finite thresholds out of order are still the thresholds' fault.
  t->set_excellent(50);
  t->set_pass(60);
  s = fx().Assessor()(&AssessmentStub::PutScheme, req, &scheme);
  EXPECT_TRUE(NamesField(s, "scheme.grading.thresholds")) << s.error_message();
}

// yaml-cpp ignores a tag it does not know, so a file tagged !!python/object read as if untagged.
TEST_F(AssessmentHostileInputTest, ASchemeFileWithAForeignTagIsRefused) {
  const std::string valid = assessment::SchemeToYaml(FullScheme("schemes/hostile-tag"));
  ASSERT_TRUE(assessment::ParseSchemeFile(valid).ok());
  ASSERT_TRUE(assessment::ParseSchemeFile("name: !!str schemes/x\ntotal_points: !!float 100\n"
                                          "items: !!seq []\ngrading: !!map {}\n")
                  .ok());
  for (const char* tagged :
       {"total_points: !!python/object:os.system 100\n", "name: !custom schemes/x\n",
        "grading: !<tag:example.com,2026:grading> {}\n", "items: !!set {a: null}\n"}) {
    absl::StatusOr<av1::Scheme> scheme = assessment::ParseSchemeFile(tagged);
    ASSERT_FALSE(scheme.ok()) << tagged;
    EXPECT_EQ(scheme.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(scheme.status().message(), "unsupported tag")) << scheme.status();
  }
}

}  // namespace
}  // namespace chainhub::testing
