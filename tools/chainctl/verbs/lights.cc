// lights evaluate: the traffic lights (红黄绿灯) of every project, or of one chain's.
#include <algorithm>
#include <chrono>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/names.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/intake_client.h"
#include "tools/chainctl/verbs/verbs.h"
#include "tools/common/resource_names.h"

namespace chainhub::chainctl {
namespace {

namespace iv1 = intake::v1;

// Rows named in the table: reds first, at most this many.
constexpr size_t kShown = 15;

// "CZXM-PV-0003 某某项目" (or the name, without an external id) of the projects shown.
std::map<std::string, std::string> ShownTitles(IntakeClient& c,
                                               const iv1::EvaluateLightsResponse& resp) {
  std::vector<const iv1::LightResult*> shown;
  for (const auto& r : resp.results()) shown.push_back(&r);
  std::stable_sort(shown.begin(), shown.end(),
                   [](const auto* a, const auto* b) { return a->light() > b->light(); });
  if (shown.size() > kShown) shown.resize(kShown);
  std::map<std::string, std::string> titles;
  for (const auto* r : shown) {
    iv1::GetProjectRequest get;
    get.set_name(r->project());
    iv1::Project p;
    if (c.Call(&iv1::ProjectIntake::Stub::GetProject, get, &p).ok()) {
      titles[r->project()] =
          absl::StrCat(p.external_id().empty() ? p.name() : p.external_id(), " ", p.display_name());
    }
  }
  return titles;
}

int Evaluate(const Call& call) {
  const CommandLine& cmd = call.cmd;
  IntakeClient& c = *call.intake;
  iv1::EvaluateLightsRequest req;
  req.set_date(cmd.date);
  if (!cmd.chain.empty()) req.set_chain(tools::NameOf(ChainName::kPattern, cmd.chain));
  req.set_dry_run(cmd.dry_run);
  iv1::EvaluateLightsResponse resp;
  grpc::ClientContext ctx;
  c.connection().Prepare(&ctx);
  // Evaluating every project of a city is one long call.
  ctx.set_deadline(std::chrono::system_clock::now() +
                   absl::ToChronoMilliseconds(std::max(cmd.client.timeout, absl::Minutes(2))));
  grpc::Status status = c.stub().EvaluateLights(&ctx, req, &resp);
  return Show(call, status, resp, [&] {
    std::map<std::string, std::string> titles = ShownTitles(c, resp);
    if (cmd.dry_run) call.out << "(dry run: nothing stored)\n";
    PrintLightResults(resp, titles, kShown, call.out);
  });
}

}  // namespace

void AddLightsVerbs(VerbTable& table) {
  table.Add({.noun = "lights",
             .verb = "evaluate",
             .synopsis = "[--date=YYYY-MM-DD] [--chain=CHAIN] [--dry_run]",
             .help = "compute every light (today when no date)",
             .usage = "usage: chainctl lights evaluate [--date=YYYY-MM-DD] [--chain=CHAIN] "
                      "[--dry_run]",
             .needs = Needs::kIntake,
             .run = Evaluate});
}

}  // namespace chainhub::chainctl
