// What runs read besides the facts: targets (SetTarget/ListTargets), reported values
// (ReportValue/ListReportedValues) and assessors' ratings (EnterRating/ListRatings). Each is
// kept as a history; the latest entry recorded by a run's instant is the one the run reads.
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/assessment/assessment_service.h"
#include "services/assessment/internal/handler_support.h"
#include "services/assessment/names.h"
#include "services/assessment/run_engine.h"

namespace chainhub::assessment {

using internal::RequireAssessor;

namespace {

// Subject, indicator and period of a target or value: each must parse, and the indicator exist.
struct InputKey {
  SubjectName subject;
  IndicatorName indicator;
  Period period;
};

absl::StatusOr<InputKey> ParseInputKey(const std::string& prefix, const std::string& subject,
                                       const std::string& indicator, const std::string& period) {
  // With no prefix (ListTargets' own fields) the names are bare: "subject", not ".subject".
  auto field = [&](const char* name) { return prefix.empty() ? name : prefix + "." + name; };
  auto s = SubjectName::Parse(field("subject"), subject);
  auto i = IndicatorName::Parse(field("indicator"), indicator);
  auto p = Period::Parse(field("period"), period);
  for (const absl::Status& status : {s.status(), i.status(), p.status()}) {
    if (!status.ok()) return status;
  }
  return InputKey{*s, *i, *p};
}

absl::Status CheckAmount(const std::string& field, double value) {
  if (!std::isfinite(value)) return InvalidField(field, "must be a finite number");
  if (value < 0) return InvalidField(field, "must be >= 0");
  return absl::OkStatus();
}

std::string Number(double v) { return absl::StrFormat("%.6g", v); }

// An optional narrowing of a list by subject, indicator or period: each must parse when given.
absl::Status CheckNarrowing(const std::string& subject, const std::string& indicator,
                            const std::string& period) {
  if (!subject.empty()) CHAINHUB_RETURN_IF_ERROR(SubjectName::Parse("subject", subject).status());
  if (!indicator.empty()) {
    CHAINHUB_RETURN_IF_ERROR(IndicatorName::Parse("indicator", indicator).status());
  }
  if (!period.empty()) CHAINHUB_RETURN_IF_ERROR(Period::Parse("period", period).status());
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* AssessmentService::SetTarget(Ctx* ctx, const v1::SetTargetRequest* req,
                                                       v1::Target* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAssessor(call));
    const v1::Target& t = req->target();
    CHAINHUB_ASSIGN_OR_RETURN(InputKey key,
                              ParseInputKey("target", t.subject(), t.indicator(), t.period()));
    CHAINHUB_RETURN_IF_ERROR(CheckAmount("target.value", t.value()));
    return Mutate([&](SqlTx& tx, AssessmentTx& db) -> absl::Status {
      CHAINHUB_RETURN_IF_ERROR(db.GetIndicator(key.indicator.key).status());
      const absl::Time now = clock_.Now();
      v1::Target stored;
      stored.set_subject(key.subject.String());
      stored.set_indicator(key.indicator.String());
      stored.set_period(key.period.String());
      stored.set_value(t.value());
      CHAINHUB_RETURN_IF_ERROR(db.InsertTarget(stored, call.principal.subject, now));
      stored.set_principal(call.principal.subject);
      SetTimestamp(stored.mutable_update_time(), Micros(now));
      *resp = stored;
      return AppendAudit(tx, call, stored.indicator(),
                         absl::StrCat("target ", stored.subject(), " ", stored.period(), " = ",
                                      Number(stored.value())),
                         now);
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::ListTargets(Ctx* ctx,
                                                         const v1::ListTargetsRequest* req,
                                                         v1::ListTargetsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    if (req->resolve()) {
      CHAINHUB_ASSIGN_OR_RETURN(
          InputKey key, ParseInputKey("", req->subject(), req->indicator(), req->period()));
      return ReadTx([&](SqlTx& tx, AssessmentTx&) -> absl::Status {
        CHAINHUB_ASSIGN_OR_RETURN(auto target,
                                  ResolveTarget(tx, key.subject.String(), key.indicator.String(),
                                                key.period, clock_.Now()));
        if (!target) {
          return NotFound("Target", absl::StrCat(key.indicator.String(), " of ",
                                                 key.subject.String(), " for ",
                                                 key.period.String()));
        }
        v1::Target* t = resp->add_targets();
        t->set_subject(key.subject.String());
        t->set_indicator(key.indicator.String());
        t->set_period(key.period.String());
        t->set_value(target->value);
        t->set_derived(target->derived);
        return absl::OkStatus();
      });
    }
    CHAINHUB_RETURN_IF_ERROR(CheckNarrowing(req->subject(), req->indicator(), req->period()));
    const InputFilter filter{req->subject(), req->indicator(), req->period()};
    return ReadTx([&](SqlTx&, AssessmentTx& db) -> absl::Status {
      std::vector<v1::Target> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Target>(
          absl::StrCat("ListTargets:", filter.subject, "|", filter.indicator, "|", filter.period),
          req->page_size(), req->page_token(), "", "", {}, OrderSpec{{"k"}, false},
          [&](const PageQuery& q) { return db.ListTargets(filter, q); }, &page, &next));
      for (auto& t : page) *resp->add_targets() = std::move(t);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::ReportValue(Ctx* ctx,
                                                         const v1::ReportValueRequest* req,
                                                         v1::ReportedValue* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    const v1::ReportedValue& v = req->value();
    CHAINHUB_ASSIGN_OR_RETURN(InputKey key,
                              ParseInputKey("value", v.subject(), v.indicator(), v.period()));
    std::vector<FieldViolation> violations;
    if (!std::isfinite(v.value())) {
      violations.push_back({"value.value", "must be a finite number"});
    }
    CheckMultiLineText(&violations, "value.evidence", v.evidence(), /*required=*/true, 500);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, AssessmentTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto replay, ReplayIdempotent<v1::ReportedValue>(
                                                 tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      CHAINHUB_ASSIGN_OR_RETURN(v1::Indicator indicator, db.GetIndicator(key.indicator.key));
      if (!indicator.has_reported()) {
        return FailedPrecondition(key.indicator.String(),
                                  "is computed from facts; only reported indicators take values");
      }
      const Principal& p = call.principal;
      const std::string& owner = indicator.reported().owner_department();
      const bool owner_department = p.HasRole(roles::kDepartment) && p.subject == owner;
      if (!p.IsAdmin() && !p.HasRole(roles::kAssessor) && !owner_department) {
        return absl::PermissionDeniedError(
            absl::StrCat("values of ", key.indicator.String(), " are reported by its owner ",
                         owner, ", an assessor or an admin"));
      }
      v1::ReportedValue value = v;
      value.set_subject(key.subject.String());
      value.set_indicator(key.indicator.String());
      value.set_period(key.period.String());
      const absl::Time now = clock_.Now();
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.InsertReportedValue(value, p.subject, now));
      CHAINHUB_RETURN_IF_ERROR(AppendAudit(
          tx, call, value.indicator(),
          absl::StrCat("value ", value.subject(), " ", value.period(), " = ",
                       Number(value.value()), " r", resp->revision(), " ",
                       CreateDetail(req->request_id())),
          now));
      return RememberResponse(tx, call, req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::ListReportedValues(
    Ctx* ctx, const v1::ListReportedValuesRequest* req, v1::ListReportedValuesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_RETURN_IF_ERROR(CheckNarrowing(req->subject(), req->indicator(), req->period()));
    const InputFilter filter{req->subject(), req->indicator(), req->period()};
    const bool history = req->include_history();
    return ReadTx([&](SqlTx&, AssessmentTx& db) -> absl::Status {
      std::vector<v1::ReportedValue> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::ReportedValue>(
          absl::StrCat("ListReportedValues:", filter.subject, "|", filter.indicator, "|",
                       filter.period, "|", history),
          req->page_size(), req->page_token(), "", "", {}, OrderSpec{{"k", "revision"}, false},
          [&](const PageQuery& q) { return db.ListReportedValues(filter, history, q); }, &page,
          &next));
      for (auto& v : page) *resp->add_values() = std::move(v);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::EnterRating(Ctx* ctx,
                                                         const v1::EnterRatingRequest* req,
                                                         v1::RatingEntry* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAssessor(call));
    const v1::RatingEntry& r = req->rating();
    CHAINHUB_ASSIGN_OR_RETURN(SchemeName scheme, SchemeName::ParseLatest("rating.scheme",
                                                                         r.scheme()));
    CHAINHUB_ASSIGN_OR_RETURN(SubjectName subject,
                              SubjectName::Parse("rating.subject", r.subject()));
    CHAINHUB_ASSIGN_OR_RETURN(Period period, Period::Parse("rating.period", r.period()));
    std::vector<FieldViolation> violations;
    CheckMultiLineText(&violations, "rating.note", r.note(), /*required=*/false, 500);
    if (!std::isfinite(r.points())) violations.push_back({"rating.points", "must be a number"});
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    return Mutate([&](SqlTx& tx, AssessmentTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Scheme current, db.GetScheme(scheme.id));
      const v1::SchemeItem* item = nullptr;
      for (const auto& i : current.items()) {
        if (i.key() == r.item()) item = &i;
      }
      if (item == nullptr || item->method_case() != v1::SchemeItem::kRating) {
        return InvalidField("rating.item", absl::StrCat("must be the key of a rating item of ",
                                                        scheme.String(), ", got ",
                                                        Quoted(r.item())));
      }
      if (r.points() < 0 || r.points() > item->points()) {
        return InvalidField("rating.points",
                            absl::StrCat("must be between 0 and the item's ", Number(item->points()),
                                         " points"));
      }
      const absl::Time now = clock_.Now();
      v1::RatingEntry stored = r;
      stored.set_scheme(scheme.String());
      stored.set_subject(subject.String());
      stored.set_period(period.String());
      stored.set_principal(call.principal.subject);
      CHAINHUB_RETURN_IF_ERROR(db.InsertRating(stored, now));
      SetTimestamp(stored.mutable_update_time(), Micros(now));
      *resp = stored;
      return AppendAudit(tx, call, scheme.String(),
                         absl::StrCat("rating ", stored.item(), " ", stored.subject(), " ",
                                      stored.period(), " = ", Number(stored.points())),
                         now);
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::ListRatings(Ctx* ctx,
                                                         const v1::ListRatingsRequest* req,
                                                         v1::ListRatingsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(
        call.principal, {roles::kAdmin, roles::kAssessor, roles::kChainOffice}));
    CHAINHUB_ASSIGN_OR_RETURN(SchemeName scheme, SchemeName::ParseLatest("scheme", req->scheme()));
    if (!req->period().empty()) {
      CHAINHUB_RETURN_IF_ERROR(Period::Parse("period", req->period()).status());
    }
    return ReadTx([&](SqlTx&, AssessmentTx& db) -> absl::Status {
      std::vector<v1::RatingEntry> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::RatingEntry>(
          absl::StrCat("ListRatings:", scheme.String(), "|", req->period()), req->page_size(),
          req->page_token(), "", "", {}, OrderSpec{{"k"}, false},
          [&](const PageQuery& q) { return db.ListRatings(scheme.String(), req->period(), q); },
          &page, &next));
      for (auto& r : page) *resp->add_ratings() = std::move(r);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

}  // namespace chainhub::assessment
