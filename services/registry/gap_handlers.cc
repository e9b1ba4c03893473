// Gap analysis (补链分析): AnalyzeGaps loads the chain, every node and every member firm, and
// gap_analysis.h decides.
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/registry/chain_map.h"
#include "services/registry/gap_analysis.h"
#include "services/registry/registry_service.h"

namespace chainhub::registry {

grpc::ServerUnaryReactor* RegistryService::AnalyzeGaps(Ctx* ctx, const v1::AnalyzeGapsRequest* req,
                                                       v1::GapReport* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(ChainName name, ChainName::Parse("name", req->name()));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Chain chain, db.GetChain(name.chain));
      CHAINHUB_ASSIGN_OR_RETURN(auto all_nodes, db.AllNodes(""));
      CHAINHUB_ASSIGN_OR_RETURN(auto firms, db.MapFirms(""));
      *resp = registry::AnalyzeGaps(GapInputsFor(chain, std::move(all_nodes), std::move(firms)),
                                    clock_.Now());
      return absl::OkStatus();
    });
  });
}

}  // namespace chainhub::registry
