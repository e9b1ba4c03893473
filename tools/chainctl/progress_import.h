// `chainctl projects report --file`: a progress file (progress_csv.h) sent to intake's
// ReportProgress, one call a row. One project's months go in file order on one thread (the service
// checks each month against its neighbours), projects in parallel. Request ids derive from the
// file's SHA-256 and the row's line, so sending the same file again replays instead of adding
// revisions.
#ifndef CHAINHUB_TOOLS_CHAINCTL_PROGRESS_IMPORT_H_
#define CHAINHUB_TOOLS_CHAINCTL_PROGRESS_IMPORT_H_

#include <ostream>
#include <string>

#include "tools/chainctl/intake_client.h"

namespace chainhub::chainctl {

// Reads `path`, reports every row, prints the counts and the failed rows to `out`; returns the
// exit code (0 every row accepted, 3 some rows failed, 2 intake could not be reached or refused
// the token: reporting stops there, 1 the file is unusable).
int ReportProgressFile(IntakeClient& intake, const std::string& path, std::ostream& out,
                       std::ostream& err);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_PROGRESS_IMPORT_H_
