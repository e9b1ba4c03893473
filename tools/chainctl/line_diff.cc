#include "tools/chainctl/line_diff.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace chainhub::chainctl {
namespace {

std::vector<absl::string_view> Lines(absl::string_view text) {
  if (text.empty()) return {};
  absl::ConsumeSuffix(&text, "\n");
  return absl::StrSplit(text, '\n');
}

// One line of the edit script: kept (in both), removed (from before) or added (in after).
struct Edit {
  char op;     // ' ', '-' or '+'
  int before;  // index in before, for ' ' and '-'
  int after;   // index in after, for ' ' and '+'
};

// The edit script over the longest common subsequence: removals before additions where the two
// meet.
std::vector<Edit> Script(const std::vector<absl::string_view>& a,
                         const std::vector<absl::string_view>& b) {
  const size_t n = a.size();
  const size_t m = b.size();
  // lcs[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<Edit> script;
  size_t i = 0;
  size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      script.push_back({' ', static_cast<int>(i++), static_cast<int>(j++)});
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      script.push_back({'-', static_cast<int>(i++), static_cast<int>(j)});
    } else {
      script.push_back({'+', static_cast<int>(i), static_cast<int>(j++)});
    }
  }
  return script;
}

// "l,n" of a hunk side starting at 0-based `first` with `count` lines, as diff writes it.
std::string Range(int first, int count) {
  if (count == 1) return absl::StrCat(first + 1);
  return absl::StrCat(count == 0 ? first : first + 1, ",", count);
}

}  // namespace

std::string UnifiedDiff(absl::string_view before, absl::string_view after,
                        absl::string_view before_label, absl::string_view after_label,
                        int context) {
  const std::vector<absl::string_view> a = Lines(before);
  const std::vector<absl::string_view> b = Lines(after);
  const std::vector<Edit> script = Script(a, b);
  std::vector<size_t> changes;
  for (size_t k = 0; k < script.size(); ++k) {
    if (script[k].op != ' ') changes.push_back(k);
  }
  if (changes.empty()) return "";
  context = std::max(context, 0);
  std::string out = absl::StrCat("--- ", before_label, "\n+++ ", after_label, "\n");
  size_t c = 0;
  while (c < changes.size()) {
    // A hunk runs from `context` edits before its first change to `context` after its last,
    // taking in every change whose context would touch it.
    size_t last = c;
    while (last + 1 < changes.size() &&
           changes[last + 1] - changes[last] <= static_cast<size_t>(2 * context + 1)) {
      ++last;
    }
    const size_t from = changes[c] - std::min(changes[c], static_cast<size_t>(context));
    const size_t to = std::min(script.size(), changes[last] + static_cast<size_t>(context) + 1);
    int before_count = 0;
    int after_count = 0;
    std::string body;
    for (size_t k = from; k < to; ++k) {
      const Edit& e = script[k];
      if (e.op != '+') ++before_count;
      if (e.op != '-') ++after_count;
      absl::StrAppend(&body, std::string(1, e.op), e.op == '+' ? b[e.after] : a[e.before], "\n");
    }
    absl::StrAppend(&out, "@@ -", Range(script[from].before, before_count), " +",
                    Range(script[from].after, after_count), " @@\n", body);
    c = last + 1;
  }
  return out;
}

}  // namespace chainhub::chainctl
