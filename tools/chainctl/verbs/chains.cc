// chains list, chains get.
#include "common/base/names.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/verbs/verbs.h"
#include "tools/common/resource_names.h"

namespace chainhub::chainctl {
namespace {

namespace rv1 = registry::v1;

int List(const Call& call) {
  Connection& c = *call.registry;
  return ListAndShow(call, c, c.registry(), &rv1::ChainRegistry::Stub::ListChains,
                     ListRequest<rv1::ListChainsRequest>(call.cmd),
                     [&](const rv1::ListChainsResponse& resp) {
                       PrintChainsTable(resp, LoadDepartmentNames(c), call.out);
                       PrintNextPage(resp.next_page_token(), call.err);
                     });
}

int Get(const Call& call) {
  Connection& c = *call.registry;
  rv1::GetChainRequest req;
  req.set_name(tools::NameOf(ChainName::kPattern, call.operands[0]));
  return CallAndShow(
      call, c, c.registry(), &rv1::ChainRegistry::Stub::GetChain, req,
      [&](const rv1::Chain& chain) { PrintChain(chain, LoadDepartmentNames(c), call.out); });
}

}  // namespace

void AddChainsVerbs(VerbTable& table) {
  table.Add({.noun = "chains",
             .verb = "list",
             .synopsis = "[--filter=…] [--order_by=…] [--all]",
             .help = "id, 名称, english, status, 链长, 牵头部门, target",
             .usage = "chains list takes no arguments",
             .needs = Needs::kRegistry,
             .run = List});
  table.Add({.noun = "chains",
             .verb = "get",
             .synopsis = "CHAIN",
             .help = "every field of a chain (CHAIN: pv or chains/pv)",
             .usage = "usage: chainctl chains get CHAIN",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kRegistry,
             .run = Get});
}

}  // namespace chainhub::chainctl
