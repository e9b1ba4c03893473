// seed: the seed data of a data directory into the registry.
#include "tools/chainctl/seed.h"

#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

int Seed(const Call& call) {
  SeedOptions options;
  options.data_dir = call.cmd.data_dir;
  options.batch_size = call.cmd.batch_size;
  return RunSeed(*call.registry, options, call.out, call.err);
}

}  // namespace

void AddSeedVerbs(VerbTable& table) {
  table.Add({.noun = "seed",
             .synopsis = "[--data=DIR]",
             .help = "load DIR (default ./data): departments, chains,\n"
                     "province lists, province mapping, maps/*.json nodes,\n"
                     "enterprises.csv; idempotent, one summary line per kind",
             .usage = "seed takes no arguments (use --data=DIR)",
             .needs = Needs::kRegistry,
             .run = Seed});
}

}  // namespace chainhub::chainctl
