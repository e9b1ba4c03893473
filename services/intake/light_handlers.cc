// The traffic lights: GetLightRules, UpdateLightRules, EvaluateLights, and the periodic
// evaluation (EvaluateLightsToday).
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/fields.h"
#include "common/base/ids.h"
#include "common/base/status_util.h"
#include "common/rpc/system_principal.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "services/intake/intake_service.h"
#include "services/intake/internal/handler_common.h"
#include "services/intake/lights.h"

namespace chainhub::intake {

using internal::InvalidateProject;
using internal::SummaryNs;

grpc::ServerUnaryReactor* IntakeService::GetLightRules(Ctx* ctx, const v1::GetLightRulesRequest*,
                                                       v1::LightRules* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    return ReadTx([&](IntakeTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetLightRules());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::UpdateLightRules(Ctx* ctx,
                                                          const v1::UpdateLightRulesRequest* req,
                                                          v1::LightRules* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_RETURN_IF_ERROR(ValidateLightRules(req->rules()));
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) -> absl::Status {
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.PutLightRules(req->rules(), now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetLightRules());
      CHAINHUB_RETURN_IF_ERROR(AppendAudit(
          tx, call, "lightRules",
          absl::StrFormat("yellow=%d red=%d start_yellow=%d start_red=%d",
                          resp->yellow_behind_points(), resp->red_behind_points(),
                          resp->missed_start_yellow_months(), resp->missed_start_red_months()),
          now));
      // Every summary counts lights under the rules: drop each chain's cached summaries.
      inv.insert(SummaryNs(""));
      CHAINHUB_ASSIGN_OR_RETURN(auto chains, tx.Query("SELECT DISTINCT chain_id FROM projects"));
      for (const auto& row : chains) inv.insert(SummaryNs(row.Text(0)));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::EvaluateLights(Ctx* ctx,
                                                        const v1::EvaluateLightsRequest* req,
                                                        v1::EvaluateLightsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(std::optional<ChainName> chain,
                              ScopeOfPass(call, req->chain(), req->date(), req->dry_run()));
    return EvaluateLightsAt(call, req->date().empty() ? Today() : req->date(), chain,
                            req->dry_run(), resp);
  });
}

absl::StatusOr<std::optional<ChainName>> IntakeService::ScopeOfPass(const AuthorizedCall& call,
                                                                    const std::string& chain_text,
                                                                    const std::string& date,
                                                                    bool dry_run) {
  std::optional<ChainName> chain;
  if (!chain_text.empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(chain, ChainName::Parse("chain", chain_text));
  }
  if (dry_run) {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
  } else if (chain) {
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, chain->chain));
  } else {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
  }
  if (!date.empty() && !IsValidDate(date)) {
    return InvalidField("date", "must be a date YYYY-MM-DD");
  }
  if (chain && reference_ != nullptr) {
    CHAINHUB_RETURN_IF_ERROR(reference_->EnsureKnown(*chain, std::nullopt, "chain", "chain"));
  }
  return chain;
}

absl::Status IntakeService::AsIntake(const std::string& method,
                                     const std::function<absl::Status(const AuthorizedCall&)>& fn) {
  const Principal self = SystemPrincipal("systems/intake");
  const std::string request_id = NewUuidV7(clock_.Now());
  return fn(AuthorizedCall{self, request_id, method});
}

absl::StatusOr<v1::EvaluateLightsResponse> IntakeService::EvaluateLightsToday() {
  v1::EvaluateLightsResponse resp;
  CHAINHUB_RETURN_IF_ERROR(AsIntake("internal:EvaluateLights", [&](const AuthorizedCall& call) {
    return EvaluateLightsAt(call, Today(), std::nullopt, false, &resp);
  }));
  return resp;
}

absl::Status IntakeService::EvaluateLightsAt(const AuthorizedCall& call, const std::string& date,
                                             const std::optional<ChainName>& chain, bool dry_run,
                                             v1::EvaluateLightsResponse* resp) {
  const std::string chain_id = chain ? chain->chain : "";
  auto run = [&](SqlTx* tx, IntakeTx& db, std::set<std::string>* inv) -> absl::Status {
    resp->Clear();
    resp->set_date(date);
    CHAINHUB_ASSIGN_OR_RETURN(v1::LightRules rules, db.GetLightRules());
    CHAINHUB_ASSIGN_OR_RETURN(std::vector<ProjectFacts> facts, db.FactsAsOf(chain_id, date));
    const absl::Time now = clock_.Now();
    for (ProjectFacts& f : facts) {
      const LightOutcome outcome = EvaluateLight(
          LightInputOf(f.project, f.stage, f.stalled_from, f.dates, std::move(f.reports)), rules,
          date);
      const bool changed = TallyLight(f.project, outcome, dry_run, resp);
      if (tx == nullptr) continue;
      // An unchanged light is still stamped with this date.
      if (StampLight(outcome, date, &f.project)) {
        CHAINHUB_ASSIGN_OR_RETURN(ChainName project_chain,
                                  ChainName::Parse("project.chain", f.project.chain()));
        CHAINHUB_RETURN_IF_ERROR(db.SetLight(f.id, f.project));
        InvalidateProject(*inv, f.id, project_chain.chain);
      }
      if (changed) {
        CHAINHUB_ASSIGN_OR_RETURN(StoredProject stored, db.GetProject(f.id));
        CHAINHUB_RETURN_IF_ERROR(RecordLightChange(*tx, call, stored.project, stored.chain, now));
      }
    }
    if (tx != nullptr) {
      CHAINHUB_RETURN_IF_ERROR(AppendAudit(
          *tx, call, chain ? chain->String() : "projects",
          absl::StrCat("evaluate lights date=", date, " changed=", resp->changed_count()), now));
    }
    return absl::OkStatus();
  };
  if (dry_run) return ReadTx([&](IntakeTx& db) { return run(nullptr, db, nullptr); });
  return Mutate(
      [&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) { return run(&tx, db, &inv); });
}

}  // namespace chainhub::intake
