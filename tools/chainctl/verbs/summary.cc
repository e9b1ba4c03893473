// summary: a chain's (or the city's) project figures for a period.
#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/intake_client.h"
#include "tools/chainctl/verbs/verbs.h"
#include "tools/common/resource_names.h"

namespace chainhub::chainctl {
namespace {

namespace iv1 = intake::v1;

// "光伏 (chains/pv)" from the registry, or the chain name alone when it cannot be read.
std::string ChainTitle(const CommandLine& cmd, const std::string& chain) {
  auto conn = OpenRegistryBriefly(cmd);
  if (!conn.ok()) return chain;
  registry::v1::GetChainRequest req;
  req.set_name(chain);
  registry::v1::Chain c;
  if (!CallUnary(**conn, (*conn)->registry(), &registry::v1::ChainRegistry::Stub::GetChain, req, &c)
           .ok()) {
    return chain;
  }
  return absl::StrCat(c.display_name(), " (", chain, ")");
}

int Summary(const Call& call) {
  const CommandLine& cmd = call.cmd;
  iv1::SummarizeProjectsRequest req;
  const bool all = call.operands[0] == "all";
  if (!all) req.set_chain(tools::NameOf(ChainName::kPattern, call.operands[0]));
  req.set_period(cmd.period.empty() ? ChinaDate(cmd.clock->Now()).substr(0, 4) : cmd.period);
  IntakeClient& c = *call.intake;
  return CallAndShow(call, c.connection(), c.stub(), &iv1::ProjectIntake::Stub::SummarizeProjects,
                     req, [&](const iv1::ProjectSummary& summary) {
                       PrintProjectSummary(summary,
                                           all ? "全市 all chains" : ChainTitle(cmd, req.chain()),
                                           call.out);
                     });
}

}  // namespace

void AddSummaryVerbs(VerbTable& table) {
  table.Add({.noun = "summary",
             .synopsis = "CHAIN|all [--period=2026|2026-Q2|2026-05]",
             .help = "counts and amounts (亿元) by stage and size band, ≥1亿\n"
                     "projects, 开工率 / 投资完成率 / 资金到位率, lights",
             .usage = "usage: chainctl summary CHAIN|all [--period=2026|2026-Q2|2026-05]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kIntake,
             .run = Summary});
}

}  // namespace chainhub::chainctl
