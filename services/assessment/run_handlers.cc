// Runs: CreateRun, GetRun, ListRuns, ExplainScore, ReplayRun, ExportRun. A run is computed on a
// read snapshot from the inputs as recorded at its as-of instant (run_engine.h) and stored whole;
// replaying it computes it again from the same instant.
#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/page_token.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "common/store/list_query.h"
#include "services/assessment/assessment_service.h"
#include "services/assessment/export.h"
#include "services/assessment/internal/handler_support.h"
#include "services/assessment/names.h"
#include "services/assessment/run_engine.h"

namespace chainhub::assessment {

using internal::RequireAssessor;
using internal::RequireExplainReader;
using internal::RequireRunReader;

namespace {

absl::Time AsOfOf(const v1::Run& run) {
  return absl::FromUnixSeconds(run.as_of_time().seconds()) +
         absl::Nanoseconds(run.as_of_time().nanos());
}

}  // namespace

grpc::ServerUnaryReactor* AssessmentService::CreateRun(Ctx* ctx, const v1::CreateRunRequest* req,
                                                       v1::Run* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAssessor(call));
    RunOrder order;
    order.scheme = req->scheme();
    order.period = req->period();
    order.as_of_date = req->as_of_date();
    order.kind = req->kind();
    order.trigger = v1::RUN_TRIGGER_MANUAL;
    order.request_id = req->request_id();
    CHAINHUB_ASSIGN_OR_RETURN(*resp, MakeRun(call, order));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AssessmentService::GetRun(Ctx* ctx, const v1::GetRunRequest* req,
                                                    v1::Run* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(RunName name, RunName::Parse("name", req->name()));
    CHAINHUB_RETURN_IF_ERROR(ReadTx([&](SqlTx&, AssessmentTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetRun(name.id));
      return absl::OkStatus();
    }));
    return RequireRunReader(call, *resp);
  });
}

grpc::ServerUnaryReactor* AssessmentService::ListRuns(Ctx* ctx, const v1::ListRunsRequest* req,
                                                      v1::ListRunsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    RunFilter filter;
    if (!req->scheme().empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(SchemeName scheme, SchemeName::ParseLatest("scheme",
                                                                           req->scheme()));
      filter.scheme = scheme.String();
    }
    if (!req->period().empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(Period period, Period::Parse("period", req->period()));
      filter.period = period.String();
    }
    // An unknown kind or trigger is the client's mistake, not a narrowing that matches nothing.
    std::vector<FieldViolation> violations;
    if (!v1::RunKind_IsValid(req->kind())) {
      violations.push_back({"kind", "must be RUN_KIND_FINAL, RUN_KIND_PROVISIONAL or unset"});
    }
    if (!v1::RunTrigger_IsValid(req->trigger())) {
      violations.push_back({"trigger",
                            "must be RUN_TRIGGER_MANUAL, RUN_TRIGGER_SCHEDULED, "
                            "RUN_TRIGGER_EVENT or unset"});
    }
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    filter.kind = req->kind();
    filter.trigger = req->trigger();
    const Principal& p = call.principal;
    filter.published_only = !(p.IsAdmin() || p.HasRole(roles::kAssessor) ||
                              p.HasRole(roles::kChainOffice));
    return ReadTx([&](SqlTx&, AssessmentTx& db) -> absl::Status {
      std::vector<v1::Run> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Run>(
          absl::StrCat("ListRuns:", filter.scheme, "|", filter.period, "|", filter.kind, "|",
                       filter.trigger, "|", filter.published_only),
          req->page_size(), req->page_token(), "", "", {}, OrderSpec{{"id"}, true},
          [&](const PageQuery& q) { return db.ListRuns(filter, q); }, &page, &next));
      for (auto& run : page) {
        if (req->summary_only()) run.clear_results();
        *resp->add_runs() = std::move(run);
      }
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::ExplainScore(Ctx* ctx,
                                                          const v1::ExplainScoreRequest* req,
                                                          v1::ExplainScoreResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(RunName name, RunName::Parse("run", req->run()));
    CHAINHUB_ASSIGN_OR_RETURN(SubjectName subject, SubjectName::Parse("subject", req->subject()));
    if (!IsValidItemKey(req->item())) {
      return InvalidField("item",
                          absl::StrCat("must be a scheme item's key (1-40 of [a-z0-9_]), got ",
                                       Quoted(req->item())));
    }
    CHAINHUB_RETURN_IF_ERROR(RequireExplainReader(call, subject.String()));
    CHAINHUB_ASSIGN_OR_RETURN(int page_size, EffectivePageSize(req->page_size()));
    // The page token is the offset into the explanation, bound to the run, subject and item.
    const std::string fingerprint = QueryFingerprint(
        "ExplainScore", absl::StrCat(name.id, "|", subject.String()), req->item());
    CHAINHUB_ASSIGN_OR_RETURN(PageToken token, DecodePageToken(req->page_token(), fingerprint));
    // The token is opaque, not secret: a client can build one with any offset, and a negative
    // one would index before the first fact.
    int offset = 0;
    if (!token.last_key.empty() && (token.last_key.size() != 1 ||
                                    !absl::SimpleAtoi(token.last_key[0], &offset) || offset < 0)) {
      return InvalidField("page_token", "is malformed");
    }
    return ReadTx([&](SqlTx& tx, AssessmentTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Run run, db.GetRun(name.id));
      CHAINHUB_RETURN_IF_ERROR(RequireRunReader(call, run));
      CHAINHUB_ASSIGN_OR_RETURN(SchemeName scheme, SchemeName::ParseLatest("run.scheme",
                                                                           run.scheme()));
      CHAINHUB_ASSIGN_OR_RETURN(v1::Scheme version, db.GetScheme(scheme.id, run.scheme_version()));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, ExplainItem(tx, run, version, subject.String(),
                                                   req->item(), offset, page_size));
      if (offset + resp->facts_size() < resp->total_size()) {
        resp->set_next_page_token(EncodePageToken(
            {{absl::StrCat(offset + resp->facts_size())}, fingerprint}));
      }
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::ReplayRun(Ctx* ctx, const v1::ReplayRunRequest* req,
                                                       v1::ReplayRunResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAssessor(call));
    CHAINHUB_ASSIGN_OR_RETURN(RunName name, RunName::Parse("name", req->name()));
    return ReadTx([&](SqlTx& tx, AssessmentTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Run recorded, db.GetRun(name.id));
      CHAINHUB_ASSIGN_OR_RETURN(SchemeName scheme, SchemeName::ParseLatest("run.scheme",
                                                                           recorded.scheme()));
      RunSpec spec;
      CHAINHUB_ASSIGN_OR_RETURN(spec.scheme, db.GetScheme(scheme.id, recorded.scheme_version()));
      spec.scheme.set_name(scheme.String());
      CHAINHUB_ASSIGN_OR_RETURN(spec.period, Period::Parse("run.period", recorded.period()));
      spec.kind = recorded.kind();
      spec.as_of = AsOfOf(recorded);
      CHAINHUB_ASSIGN_OR_RETURN(v1::Run replayed, ComputeRun(tx, spec));
      resp->set_recorded_digest(recorded.inputs_digest());
      resp->set_replayed_digest(replayed.inputs_digest());
      for (auto& d : CompareRuns(recorded, replayed)) *resp->add_differences() = std::move(d);
      resp->set_matches(resp->differences().empty());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::ExportRun(Ctx* ctx, const v1::ExportRunRequest* req,
                                                       v1::ExportRunResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(RunName name, RunName::Parse("name", req->name()));
    v1::Run run;
    v1::Scheme scheme;
    CHAINHUB_RETURN_IF_ERROR(ReadTx([&](SqlTx&, AssessmentTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(run, db.GetRun(name.id));
      CHAINHUB_ASSIGN_OR_RETURN(SchemeName id, SchemeName::ParseLatest("run.scheme",
                                                                       run.scheme()));
      CHAINHUB_ASSIGN_OR_RETURN(scheme, db.GetScheme(id.id, run.scheme_version()));
      return absl::OkStatus();
    }));
    CHAINHUB_RETURN_IF_ERROR(RequireRunReader(call, run));
    CHAINHUB_ASSIGN_OR_RETURN(ExportFile file,
                              assessment::ExportRun(run, scheme.display_name(), req->format()));
    resp->set_content(std::move(file.content));
    resp->set_content_type(file.content_type);
    resp->set_filename(file.filename);
    return absl::OkStatus();
  });
}

}  // namespace chainhub::assessment
