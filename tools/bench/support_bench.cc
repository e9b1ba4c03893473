#include "tools/bench/support_bench.h"

#include <functional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "chainhub/support/v1/support.grpc.pb.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "tools/bench/data_set.h"

namespace chainhub::bench {

namespace {

namespace sv1 = support::v1;

constexpr int kImportRows = 10000;

absl::Status Check(const grpc::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrCat(what, ": ", s.error_message()));
}

std::unique_ptr<grpc::ClientContext> Context(const std::string& authorization,
                                             absl::Duration timeout = absl::Seconds(120)) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", authorization);
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return ctx;
}

// The measured item: 规上 and 专精特新 or 高新, output ≥ 2亿, founded ≥ 3 years ago, outside one
// county, with a bonus for 链主.
absl::StatusOr<std::string> CreateItem(sv1::ChainSupport::Stub& stub,
                                       const std::string& authorization) {
  sv1::CreatePolicyRequest policy;
  policy.mutable_policy()->set_title("基准测试惠企政策");
  policy.mutable_policy()->set_department("departments/fgw");
  policy.mutable_policy()->set_issue_date("2026-01-01");
  policy.mutable_policy()->add_chains(BenchChain());
  policy.set_request_id("bench-policy");
  sv1::Policy p;
  CHAINHUB_RETURN_IF_ERROR(
      Check(stub.CreatePolicy(Context(authorization).get(), policy, &p), "CreatePolicy"));
  sv1::CreatePolicyItemRequest item;
  item.set_parent(p.name());
  item.set_request_id("bench-item");
  sv1::PolicyItem* i = item.mutable_item();
  i->set_name(p.name() + "/items/growth");
  i->set_title("规上高成长企业奖励");
  i->set_eligibility(
      "label = \"ABOVE_SIZE\" AND (label = \"SPECIALIZED\" OR label = \"HIGH_TECH\") AND "
      "annual_output_yuan >= 200000000 AND years_since_founding >= 3 AND NOT county = \"明光市\"");
  i->set_base_amount_yuan(200000);
  sv1::Bonus* bonus = i->add_bonuses();
  bonus->set_when("label = \"CHAIN_OWNER\"");
  bonus->set_amount_yuan(300000);
  i->set_department("departments/fgw");
  i->set_lane(sv1::AUTOMATIC);
  i->set_budget_yuan(100'000'000);
  sv1::PolicyItem made;
  CHAINHUB_RETURN_IF_ERROR(
      Check(stub.CreatePolicyItem(Context(authorization).get(), item, &made), "CreatePolicyItem"));
  return made.name();
}

std::string RequestRows(int first, int count, const std::vector<std::string>& codes) {
  static const char* kDepartments[] = {"fgw", "jxj", "kjj", "swj", "zsj", "zrzyj", "rsj", "czj"};
  static const char* kChannels[] = {"visit", "hotline", "system", "letter"};
  std::string csv = "external_id,enterprise,title,channel,tier,assignee,accept_time\n";
  const absl::CivilSecond start(2026, 1, 1, 8, 0, 0);
  for (int i = first; i < first + count; ++i) {
    // Spread over 2026-01-01 .. 2026-11-30, in working hours.
    const absl::CivilSecond at = start + (static_cast<int64_t>(i) * 334 / 100000) * 86400 +
                                 (i % 9) * 3600 + (i % 60) * 60;
    absl::StrAppend(&csv, absl::StrFormat("bench-%07d", i), ",", codes[i % codes.size()],
                    ",企业诉求", i, ",", kChannels[i % 4], ",", i % 5 == 0 ? "county" : "city",
                    ",departments/", kDepartments[i % 8], ",",
                    absl::FormatTime("%Y-%m-%d %H:%M", absl::FromCivil(at, ChinaTimeZone()),
                                     ChinaTimeZone()),
                    "\n");
  }
  return csv;
}

}  // namespace

absl::StatusOr<SupportFigures> MeasureSupport(
    const std::shared_ptr<grpc::Channel>& registry, const std::string& authorization,
    int enterprises, int requests, int samples,
    const std::function<absl::StatusOr<std::string>()>& start_support, std::ostream& log) {
  SupportFigures f;
  log << "  writing " << enterprises << " enterprises to the registry ..." << std::endl;
  CHAINHUB_RETURN_IF_ERROR(SeedRegistry(registry, authorization, enterprises, log));
  const absl::Time started = absl::Now();
  CHAINHUB_ASSIGN_OR_RETURN(std::string target, start_support());
  auto stub = sv1::ChainSupport::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  CHAINHUB_ASSIGN_OR_RETURN(std::string item, CreateItem(*stub, authorization));

  // The copy is complete when a match examines every enterprise.
  sv1::MatchPolicyItemRequest match;
  match.set_item(item);
  match.set_page_size(50);
  while (true) {
    sv1::MatchPolicyItemResponse resp;
    CHAINHUB_RETURN_IF_ERROR(Check(stub->MatchPolicyItem(Context(authorization).get(), match, &resp),
                                   "MatchPolicyItem"));
    if (resp.examined() >= enterprises) {
      f.enterprises = resp.examined();
      break;
    }
    if (absl::Now() - started > absl::Minutes(10)) {
      return absl::DeadlineExceededError(absl::StrCat("support copied ", resp.examined(), " of ",
                                                      enterprises, " enterprises in 10 minutes"));
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  f.backfill_seconds = absl::ToDoubleSeconds(absl::Now() - started);
  log << "  support copied " << f.enterprises << " enterprises in " << f.backfill_seconds << " s"
      << std::endl;

  std::vector<absl::Duration> times;
  for (int i = 0; i < samples; ++i) {
    sv1::MatchPolicyItemResponse resp;
    const absl::Time t0 = absl::Now();
    CHAINHUB_RETURN_IF_ERROR(Check(stub->MatchPolicyItem(Context(authorization).get(), match, &resp),
                                   "MatchPolicyItem"));
    times.push_back(absl::Now() - t0);
    f.qualified = resp.qualified();
  }
  f.match = Summarize(times);
  f.match_enterprises_per_second =
      f.match.p50 > absl::ZeroDuration() ? f.enterprises / absl::ToDoubleSeconds(f.match.p50) : 0;

  if (requests > 0) {
    std::vector<std::string> codes;
    for (int i = 0; i < std::min(enterprises, 1000); ++i) {
      codes.push_back(SyntheticEnterprise(i, 0).credit_code());
    }
    log << "  importing " << requests << " requests ..." << std::endl;
    const absl::Time t0 = absl::Now();
    for (int first = 0; first < requests; first += kImportRows) {
      const int count = std::min(kImportRows, requests - first);
      sv1::ImportRowsResponse resp;
      auto ctx = Context(authorization, absl::Minutes(5));
      auto writer = stub->ImportRequests(ctx.get(), &resp);
      sv1::ImportRowsRequest chunk;
      chunk.set_csv(RequestRows(first, count, codes));
      if (!writer->Write(chunk)) return absl::UnavailableError("ImportRequests: stream closed");
      writer->WritesDone();
      CHAINHUB_RETURN_IF_ERROR(Check(writer->Finish(), "ImportRequests"));
      if (!resp.errors().empty()) {
        return absl::InternalError(absl::StrCat("ImportRequests: ", resp.errors(0)));
      }
      f.requests += resp.created() + resp.unchanged();
    }
    f.import_seconds = absl::ToDoubleSeconds(absl::Now() - t0);
    f.import_rows_per_second = f.import_seconds > 0 ? f.requests / f.import_seconds : 0;
    sv1::SummarizeRequestsRequest summarize;
    summarize.set_period("2026");
    summarize.set_group_by(sv1::BY_DEPARTMENT);
    times.clear();
    for (int i = 0; i < samples; ++i) {
      sv1::SummarizeRequestsResponse resp;
      const absl::Time t1 = absl::Now();
      CHAINHUB_RETURN_IF_ERROR(Check(
          stub->SummarizeRequests(Context(authorization).get(), summarize, &resp),
          "SummarizeRequests"));
      times.push_back(absl::Now() - t1);
    }
    f.figures = Summarize(times);
  }
  return f;
}

}  // namespace chainhub::bench
