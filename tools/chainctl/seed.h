// `chainctl seed`: loads the seed data of data/ (departments, chains, province lists, the
// city-to-province mapping, chain maps, enterprises) into the registry. Idempotent: each Create
// carries a request id derived from the object's content, so an unchanged object replays; an
// object that changed since an earlier seed is updated in place; an equal one is left alone.
#ifndef CHAINHUB_TOOLS_CHAINCTL_SEED_H_
#define CHAINHUB_TOOLS_CHAINCTL_SEED_H_

#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "tools/chainctl/client.h"

namespace chainhub::chainctl {

struct SeedOptions {
  std::string data_dir = "data";
  int batch_size = 500;
  bool show_progress = true;
};

// "seed:<resource name>:<first 12 hex of SHA-256 of the object's proto JSON>".
std::string SeedRequestId(absl::string_view resource_name, absl::string_view object_json);

// Seeds everything and prints one summary line per kind to `out`. Returns 0 when nothing failed,
// 3 when some objects failed, 2 when the registry could not be reached or refused the token
// (seeding stops there), 1 when a data file is missing or malformed.
int RunSeed(Connection& connection, const SeedOptions& options, std::ostream& out,
            std::ostream& err);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_SEED_H_
