// What the handler files share: construction, the transactions, authorization, making a run and
// announcing it, the audit log.
#include "services/assessment/assessment_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "chainhub/assessment/v1/assessment_events.pb.h"
#include "common/base/fields.h"
#include "common/base/ids.h"
#include "common/base/status_util.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "services/assessment/internal/handler_support.h"
#include "services/assessment/names.h"
#include "services/assessment/run_engine.h"

namespace chainhub::assessment {

namespace internal {

absl::Status RequireAssessor(const AuthorizedCall& call) {
  return RequireAnyRole(call.principal, {roles::kAdmin, roles::kAssessor});
}

bool MayReadRun(const Principal& principal, const v1::Run& run) {
  if (run.published()) return principal.CanRead();
  return principal.IsAdmin() || principal.HasRole(roles::kAssessor) ||
         principal.HasRole(roles::kChainOffice);
}

absl::Status RequireRunReader(const AuthorizedCall& call, const v1::Run& run) {
  if (MayReadRun(call.principal, run)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(run.name(), " is not published: only admin, assessor and chain offices may "
                               "read it"));
}

absl::Status RequireExplainReader(const AuthorizedCall& call, const std::string& subject) {
  const Principal& p = call.principal;
  if (p.IsAdmin() || p.HasRole(roles::kAssessor)) return absl::OkStatus();
  if (p.HasRole(roles::kChainOffice)) {
    auto chain = ChainName::Parse("subject", subject);
    if (chain.ok() && p.chains.contains(chain->chain)) return absl::OkStatus();
    return absl::PermissionDeniedError(
        absl::StrCat("a chain office reads the explanations of its own chains only, not ",
                     Quoted(subject)));
  }
  return absl::PermissionDeniedError(
      "explanations are for admin, assessor and the subject's chain office");
}

}  // namespace internal

using internal::kSource;

namespace {

// Whether two runs score and rank every subject alike (their inputs may differ).
bool SameResults(const v1::Run& a, const v1::Run& b) {
  for (const auto& d : CompareRuns(a, b)) {
    if (d.what() != "inputs_digest") return false;
  }
  return true;
}

}  // namespace

AssessmentService::AssessmentService(Store* store, OutboxRelay* relay, FactsKeeper* facts,
                                     const Clock& clock)
    : store_(store), relay_(relay), facts_(facts), clock_(clock) {}

absl::Status AssessmentService::Mutate(
    const std::function<absl::Status(SqlTx&, AssessmentTx&)>& fn) {
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) {
    AssessmentTx db(tx);
    return fn(tx, db);
  }));
  if (relay_ != nullptr) relay_->Notify();
  return absl::OkStatus();
}

absl::Status AssessmentService::ReadTx(
    const std::function<absl::Status(SqlTx&, AssessmentTx&)>& fn) {
  return store_->Read([&](SqlTx& tx) {
    AssessmentTx db(tx);
    return fn(tx, db);
  });
}

absl::StatusOr<std::map<std::string, v1::Indicator>> AssessmentService::CurrentIndicators(
    AssessmentTx& db) {
  return db.IndicatorsAsOf(absl::InfiniteFuture());
}

absl::StatusOr<v1::Run> AssessmentService::MakeRun(
    const AuthorizedCall& call, const RunOrder& order,
    const std::function<absl::Status(AssessmentTx&)>& fence) {
  std::vector<FieldViolation> violations;
  auto scheme_name = SchemeName::Parse("scheme", order.scheme);
  if (!scheme_name.ok()) return scheme_name.status();
  CHAINHUB_ASSIGN_OR_RETURN(Period period, Period::Parse("period", order.period));
  if (order.kind != v1::RUN_KIND_FINAL && order.kind != v1::RUN_KIND_PROVISIONAL) {
    return InvalidField("kind", "must be RUN_KIND_FINAL or RUN_KIND_PROVISIONAL");
  }
  CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(order.request_id, false));
  const absl::Time now = clock_.Now();
  const absl::CivilDay today = ChinaDay(now);
  absl::CivilDay as_of_day = today;
  if (!order.as_of_date.empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(as_of_day, ParseDate("as_of_date", order.as_of_date));
    if (as_of_day > today) return InvalidField("as_of_date", "must not be after today (China)");
  }
  if (as_of_day < period.FirstDay()) {
    return InvalidField("as_of_date", absl::StrCat("must not be before the period's first day ",
                                                   FormatDate(period.FirstDay())));
  }
  RunSpec spec;
  spec.period = period;
  spec.kind = order.kind;
  spec.as_of = std::min(EndOfChinaDay(as_of_day), now);

  // A repeat of the request gets the stored run without computing anything.
  v1::CreateRunRequest request;
  request.set_scheme(order.scheme);
  request.set_period(order.period);
  request.set_as_of_date(order.as_of_date);
  request.set_kind(order.kind);
  request.set_request_id(order.request_id);
  const std::string digest = RequestDigest(request);
  std::optional<v1::Run> replay;
  v1::Run run;
  CHAINHUB_RETURN_IF_ERROR(ReadTx([&](SqlTx& tx, AssessmentTx& db) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(replay,
                              ReplayIdempotent<v1::Run>(tx, call, order.request_id, digest));
    if (replay) return absl::OkStatus();
    CHAINHUB_ASSIGN_OR_RETURN(spec.scheme, db.GetScheme(scheme_name->id, scheme_name->version));
    spec.scheme.set_name(scheme_name->String());
    CHAINHUB_ASSIGN_OR_RETURN(run, ComputeRun(tx, spec));
    return absl::OkStatus();
  }));
  if (replay) return *replay;
  if (order.kind == v1::RUN_KIND_FINAL) {
    std::vector<std::string> missing;
    for (const auto& r : run.results()) {
      for (const auto& i : r.items()) {
        if (i.method() == "ratio_to_target" && !i.has_target()) {
          missing.push_back(absl::StrCat(r.subject(), " ", i.indicator()));
        }
      }
    }
    if (!missing.empty()) {
      return FailedPrecondition(
          "a final run", absl::StrCat("needs a target for every ratio_to_target item; none in "
                                      "force for ",
                                      period.String(), ": ", absl::StrJoin(missing, ", ")));
    }
  }
  const std::string id = NewUuidV7(now);
  run.set_name(RunName{id}.String());
  run.set_trigger(order.trigger);
  run.set_as_of_date(FormatDate(as_of_day));
  run.set_published(order.kind == v1::RUN_KIND_FINAL);
  run.set_principal(call.principal.subject);
  SetTimestamp(run.mutable_create_time(), Micros(now));
  v1::Run stored;
  CHAINHUB_RETURN_IF_ERROR(Mutate([&](SqlTx& tx, AssessmentTx& db) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(auto again,
                              ReplayIdempotent<v1::Run>(tx, call, order.request_id, digest));
    if (again) {
      stored = std::move(*again);
      return absl::OkStatus();
    }
    if (fence) CHAINHUB_RETURN_IF_ERROR(fence(db));
    // A provisional run is compared with the one before it; a final run with the previous
    // period's (already in the run).
    std::optional<v1::Run> compared;
    if (order.kind == v1::RUN_KIND_PROVISIONAL) {
      CHAINHUB_ASSIGN_OR_RETURN(compared, db.LatestRun(run.scheme(), run.period(),
                                                       v1::RUN_KIND_PROVISIONAL, now));
    } else if (!run.previous_run().empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(RunName previous, RunName::Parse("previous_run",
                                                                 run.previous_run()));
      CHAINHUB_ASSIGN_OR_RETURN(compared, db.GetRun(previous.id));
    }
    if (order.only_if_changed && compared && SameResults(*compared, run)) {
      stored = std::move(*compared);
      return absl::OkStatus();
    }
    CHAINHUB_RETURN_IF_ERROR(db.InsertRun(id, run));
    CHAINHUB_RETURN_IF_ERROR(RecordRunEvents(tx, call, run, compared, now));
    CHAINHUB_RETURN_IF_ERROR(
        AppendAudit(tx, call, run.name(),
                    absl::StrCat(run.scheme(), " v", run.scheme_version(), " ", run.period(), " ",
                                 v1::RunKind_Name(run.kind()), " ",
                                 CreateDetail(order.request_id)),
                    now));
    stored = run;
    return RememberResponse(tx, call, order.request_id, digest, run, now);
  }));
  return stored;
}

absl::Status AssessmentService::RecordRunEvents(SqlTx& tx, const AuthorizedCall& call,
                                                const v1::Run& run,
                                                const std::optional<v1::Run>& compared,
                                                absl::Time now) {
  std::map<std::string, const v1::SubjectResult*> before;
  if (compared) {
    for (const auto& r : compared->results()) before[r.subject()] = &r;
  }
  bool ranking_changed = !compared.has_value();
  std::vector<CloudEvent> events;
  for (const auto& r : run.results()) {
    auto it = before.find(r.subject());
    const v1::SubjectResult* old = it == before.end() ? nullptr : it->second;
    const std::string chain_id = [&] {
      auto chain = ChainName::Parse("subject", r.subject());
      return chain.ok() ? chain->chain : std::string();
    }();
    if (old == nullptr || old->rank() != r.rank() || old->grade() != r.grade()) {
      ranking_changed = true;
    }
    if (old != nullptr && old->rank() != r.rank()) {
      v1::RankChange change;
      change.set_run(run.name());
      change.set_previous_run(compared->name());
      change.set_subject(r.subject());
      change.set_display_name(r.display_name());
      change.set_previous_rank(old->rank());
      change.set_rank(r.rank());
      change.set_previous_grade(old->grade());
      change.set_grade(r.grade());
      change.set_kind(run.kind());
      change.set_period(run.period());
      events.push_back(NewEvent(kSource, call, v1::ASSESSMENT_EVENT_RANK_CHANGED, run.name(),
                                chain_id, now, change));
    }
    if (run.kind() == v1::RUN_KIND_PROVISIONAL && r.grade() == v1::GRADE_FAIL &&
        (old == nullptr || old->grade() != v1::GRADE_FAIL)) {
      v1::AssessmentAlert alert;
      alert.set_run(run.name());
      alert.set_subject(r.subject());
      alert.set_display_name(r.display_name());
      alert.set_period(run.period());
      alert.set_total(r.total());
      alert.set_grade(r.grade());
      alert.set_previous_grade(old == nullptr ? v1::GRADE_UNSPECIFIED : old->grade());
      alert.set_reason(absl::StrCat(r.display_name(), " ", run.period(), " 暂定得分 ",
                                    absl::StrFormat("%.2f", r.total()), "，等级降为不合格"));
      events.push_back(NewEvent(kSource, call, v1::ASSESSMENT_EVENT_ALERT, run.name(), chain_id,
                                now, alert));
    }
  }
  if (run.kind() == v1::RUN_KIND_FINAL || ranking_changed) {
    events.insert(events.begin(), NewEvent(kSource, call, v1::ASSESSMENT_EVENT_RUN_COMPLETED,
                                           run.name(), "", now, run));
  }
  for (auto& event : events) {
    CHAINHUB_RETURN_IF_ERROR(AppendEvent(tx, std::move(event), clock_));
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* AssessmentService::ListAuditEvents(
    Ctx* ctx, const common::v1::ListAuditEventsRequest* req,
    common::v1::ListAuditEventsResponse* resp) {
  return ServeListAuditEvents(ctx, *store_, req, resp);
}

}  // namespace chainhub::assessment
