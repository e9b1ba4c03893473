// The assessment loaders of chainctl: an indicators file applied (created, updated or left as
// they are), and the targets and reported values of a CSV file sent one row at a time. Each can be
// run again with the same file and changes nothing the second time.
#ifndef CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_IMPORT_H_
#define CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_IMPORT_H_

#include <ostream>
#include <string>

#include "tools/chainctl/assessment_client.h"
#include "tools/chainctl/assessment_csv.h"

namespace chainhub::chainctl {

// `indicators apply FILE`: ParseIndicatorsFile, then per indicator CreateIndicator when it is
// new (request_id derived from its content), UpdateIndicator with the live etag when it differs
// from the live one (output-only fields aside), nothing when it is the same. Prints a line per
// created or updated indicator and the counts. Exit 0; 1 when the file is unusable (nothing is
// sent); 2 when a call failed for a reason no other indicator escapes (unreachable, the token
// refused); 3 when some indicators failed.
int ApplyIndicators(AssessmentClient& client, const std::string& path, std::ostream& out,
                    std::ostream& err);

// `targets import FILE.csv` and `values import FILE.csv`: the rows sent in file order. A target
// equal to the one set is not sent again (unchanged); a value goes with its row's request_id
// (ValueRequest), so a row sent before replays and counts as unchanged. Prints the counts, then
// the failed rows by line. Exit codes as ApplyIndicators'.
int ImportInputs(AssessmentClient& client, InputFile file, const std::string& path,
                 std::ostream& out, std::ostream& err);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_IMPORT_H_
