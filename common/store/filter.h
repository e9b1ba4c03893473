// The List filter grammar (docs/filter.md), a small subset of AIP-160, parsed into a tree and
// compiled into a parameterised SQL condition. Filter text never reaches SQL: only the column
// expressions a service declares, and bound parameters.
//
//   filter     := expr?
//   expr       := and ("OR" and)*
//   and        := unary (("AND")? unary)*          juxtaposition is AND
//   unary      := ("NOT" | "-") unary | "(" expr ")" | comparison
//   comparison := FIELD OP VALUE
//   OP         := "=" | "!=" | "<" | "<=" | ">" | ">=" | ":"     ":" is "has" (contains)
//   FIELD      := [A-Za-z_][A-Za-z0-9_.]*
//   VALUE      := "double-quoted, with \" and \\ escapes" | bare [A-Za-z0-9_.\-/+:@*]+ (no spaces)
//
// Limits: 2000 bytes, 32 comparisons, nesting depth 16. Keywords are upper case.
#ifndef CHAINHUB_COMMON_FILTER_H_
#define CHAINHUB_COMMON_FILTER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/store/store.h"

namespace chainhub {

enum class FilterOp { kEq, kNe, kLt, kLe, kGt, kGe, kHas };

struct FilterNode {
  enum class Kind { kAnd, kOr, kNot, kCompare };
  Kind kind = Kind::kCompare;
  std::vector<std::unique_ptr<FilterNode>> children;  // kAnd, kOr (≥2), kNot (1)
  std::string field;                                  // kCompare
  FilterOp op = FilterOp::kEq;                        // kCompare
  std::string value;                                  // kCompare, unquoted
};

// Parses `text`; an empty or blank filter gives nullptr (match everything). Errors are
// INVALID_ARGUMENT naming "filter" and the position, e.g. "filter: expected a value at 12".
absl::StatusOr<std::unique_ptr<FilterNode>> ParseFilter(absl::string_view text);

// How one filterable field becomes SQL.
struct FilterField {
  enum class Type { kString, kInt, kBool, kEnum };
  Type type = Type::kString;
  // SQL expression with `{}` where the bound parameter goes, per operator class:
  // `column` is used as "<column> <op> {}" for comparisons; when `has_template` is set, ":" (and
  // "=" when `membership` is true) uses it instead, e.g.
  // "EXISTS (SELECT 1 FROM enterprise_labels l WHERE l.credit_code = e.credit_code AND l.label =
  // {})".
  std::string column;
  std::string has_template;
  bool membership = false;
  // Operators allowed; empty means = != < <= > >= (and ":" when has_template or string).
  std::vector<FilterOp> ops;
  // Maps the user's value to the bound value (e.g. "pv" → "pv", "chains/pv" → "pv"; enum names
  // → ints); returns INVALID_ARGUMENT text (the rule) on a bad value.
  std::function<absl::StatusOr<SqlValue>(absl::string_view)> convert;
  // Templates for particular bound integer values, used instead of `has_template`: a value whose
  // condition an index serves best as an equality gets one, where a general template would be a
  // range the planner must sort (e.g. a size band that is one bucket).
  std::map<int64_t, std::string> value_templates = {};
};

struct CompiledFilter {
  std::string sql;  // "" when the filter is empty, else a parenthesised condition
  std::vector<SqlValue> params;
};

// Compiles a parsed filter over `fields`; parameters are numbered from `first_param` ($N).
// An unknown field or a disallowed operator is INVALID_ARGUMENT naming it and listing the allowed.
absl::StatusOr<CompiledFilter> CompileFilter(const FilterNode* root,
                                             const std::map<std::string, FilterField>& fields,
                                             int first_param = 1);

// Parse and compile in one step.
absl::StatusOr<CompiledFilter> FilterToSql(absl::string_view text,
                                           const std::map<std::string, FilterField>& fields,
                                           int first_param = 1);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_FILTER_H_
