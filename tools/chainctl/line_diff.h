// A unified line diff, as `diff -u` prints it, for `chainctl schemes diff`: two texts compared line
// by line over their longest common subsequence. Pure, no external tool.
#ifndef CHAINHUB_TOOLS_CHAINCTL_LINE_DIFF_H_
#define CHAINHUB_TOOLS_CHAINCTL_LINE_DIFF_H_

#include <string>

#include "absl/strings/string_view.h"

namespace chainhub::chainctl {

// "--- before_label" and "+++ after_label", then one hunk per group of changes:
// "@@ -l,n +l,n @@" (1-based first line and line count on each side; ",1" left out, and for an
// empty side the line before it, as diff does), `context` unchanged lines around each change
// (" " before them), "-" removed and "+" added lines, removals first. Changes at most
// 2 × context unchanged lines apart share a hunk. Empty when the texts have the same lines. A final
// line break makes no line of its own; a missing one is not marked.
std::string UnifiedDiff(absl::string_view before, absl::string_view after,
                        absl::string_view before_label, absl::string_view after_label,
                        int context = 3);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_LINE_DIFF_H_
