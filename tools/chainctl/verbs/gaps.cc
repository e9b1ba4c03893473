// gaps: a chain's gap analysis (补链分析) and its attraction list (招引清单).
#include "common/base/names.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/verbs/verbs.h"
#include "tools/common/resource_names.h"

namespace chainhub::chainctl {
namespace {

namespace rv1 = registry::v1;

int Gaps(const Call& call) {
  Connection& c = *call.registry;
  rv1::AnalyzeGapsRequest req;
  req.set_name(tools::NameOf(ChainName::kPattern, call.operands[0]));
  return CallAndShow(call, c, c.registry(), &rv1::ChainRegistry::Stub::AnalyzeGaps, req,
                     [&](const rv1::GapReport& report) { PrintGapReport(report, call.out); });
}

}  // namespace

void AddGapsVerbs(VerbTable& table) {
  table.Add({.noun = "gaps",
             .synopsis = "CHAIN",
             .help = "the gap analysis: gaps and the 招引清单 (attraction list)",
             .usage = "usage: chainctl gaps CHAIN",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kRegistry,
             .run = Gaps});
}

}  // namespace chainhub::chainctl
