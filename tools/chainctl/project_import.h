// `chainctl projects import`: a project CSV file (the data/projects.csv layout) sent to intake's
// ImportProjects, upserted by external_id. Rows that do not parse are reported with their line and
// never sent; the rest go over calls of at most kMaxImportRowsPerCall rows.
#ifndef CHAINHUB_TOOLS_CHAINCTL_PROJECT_IMPORT_H_
#define CHAINHUB_TOOLS_CHAINCTL_PROJECT_IMPORT_H_

#include <ostream>
#include <string>

#include "tools/chainctl/intake_client.h"

namespace chainhub::chainctl {

// Most rows one ImportProjects call takes (the service's limit); bigger files go over several.
inline constexpr int kMaxImportRowsPerCall = 10000;

struct ProjectImportOptions {
  bool validate_only = false;
  // Recorded as the import's source; the file's name when empty.
  std::string source;
};

// Reads `path`, imports, prints the counts and the failed rows to `out`; returns the exit code
// (0 every row applied, 3 some rows failed, 2 a call failed, 1 the file is unusable).
int ImportProjects(IntakeClient& intake, const std::string& path,
                   const ProjectImportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_PROJECT_IMPORT_H_
