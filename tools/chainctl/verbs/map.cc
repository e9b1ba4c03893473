// map: a chain's map (产业链图谱) as a tree.
#include "common/base/names.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/verbs/verbs.h"
#include "tools/common/resource_names.h"

namespace chainhub::chainctl {
namespace {

namespace rv1 = registry::v1;

int Map(const Call& call) {
  Connection& c = *call.registry;
  rv1::GetChainMapRequest req;
  req.set_name(tools::NameOf(ChainName::kPattern, call.operands[0]));
  return CallAndShow(call, c, c.registry(), &rv1::ChainRegistry::Stub::GetChainMap, req,
                     [&](const rv1::ChainMap& map) { PrintChainMap(map, call.out); });
}

}  // namespace

void AddMapVerbs(VerbTable& table) {
  table.Add({.noun = "map",
             .synopsis = "CHAIN",
             .help = "the chain map as a tree, upstream → downstream, with\n"
                     "✗ 缺链 missing / △ 薄弱 weak / ✓ 强 strong and counts",
             .usage = "usage: chainctl map CHAIN",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kRegistry,
             .run = Map});
}

}  // namespace chainhub::chainctl
