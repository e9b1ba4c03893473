// SummarizeProjects: a period's figures of one chain or all, cached until a project of the chain
// or the light rules change.
#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/intake/intake_service.h"
#include "services/intake/internal/handler_common.h"
#include "services/intake/summary.h"

namespace chainhub::intake {

using internal::SummaryNs;

grpc::ServerUnaryReactor* IntakeService::SummarizeProjects(Ctx* ctx,
                                                           const v1::SummarizeProjectsRequest* req,
                                                           v1::ProjectSummary* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    std::optional<ChainName> chain;
    if (!req->chain().empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(chain, ChainName::Parse("chain", req->chain()));
    }
    if (chain && reference_ != nullptr) {
      CHAINHUB_RETURN_IF_ERROR(reference_->EnsureKnown(*chain, std::nullopt, "chain", "chain"));
    }
    const std::string chain_id = chain ? chain->chain : "";
    CHAINHUB_ASSIGN_OR_RETURN(Period period, ParsePeriod(req->period()));
    CHAINHUB_ASSIGN_OR_RETURN(std::string as_of, SummaryAsOf(period, Today()));
    auto load = [&]() -> absl::StatusOr<std::string> {
      v1::ProjectSummary summary;
      CHAINHUB_RETURN_IF_ERROR(ReadTx([&](IntakeTx& db) -> absl::Status {
        CHAINHUB_ASSIGN_OR_RETURN(v1::LightRules rules, db.GetLightRules());
        CHAINHUB_ASSIGN_OR_RETURN(std::vector<SummaryProject> projects,
                                  db.SummaryInputs(chain_id, period, as_of, rules));
        summary = Summarize(projects, period, chain ? chain->String() : "");
        return absl::OkStatus();
      }));
      return summary.SerializeAsString();
    };
    return ReadThroughCache(cache_, SummaryNs(chain_id), absl::StrCat(period.text, "@", as_of),
                            load, resp);
  });
}

}  // namespace chainhub::intake
