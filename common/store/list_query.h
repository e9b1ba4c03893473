// What every List method shares: keyset pagination over SQL (PageQuery → "WHERE … ORDER BY …
// LIMIT …"), `order_by` parsing, enum-valued filter fields, and Paginate, which ties the page
// size, the opaque page token, the filter and one fetch together.
#ifndef CHAINHUB_COMMON_LIST_QUERY_H_
#define CHAINHUB_COMMON_LIST_QUERY_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/base/page_token.h"
#include "common/base/status_util.h"
#include "common/store/filter.h"
#include "common/store/store.h"

namespace chainhub {

// One page of a keyset-paginated query: ordered by `columns` (all in `descending` order or all
// ascending; the last column must be unique), resumed after `after` (values of the last row).
struct PageQuery {
  CompiledFilter filter;
  std::vector<std::string> columns;
  bool descending = false;
  std::vector<std::string> after;
  int limit = 50;  // rows to fetch (callers ask for one more than the page to know if more exist)
};

// A row of a paginated list: the resource and its sort key (for the next page token).
template <typename T>
struct Keyed {
  T value;
  std::vector<std::string> key;
};

// " WHERE <extra AND filter AND keyset> ORDER BY … LIMIT $n" for a PageQuery; its parameters are
// appended to `params` (which must already hold the filter's). `numeric[i]` says whether sort
// column i is an integer column (its keyset value is bound as an integer).
std::string PageClause(const PageQuery& q, std::vector<SqlValue>* params,
                       const std::vector<std::string>& extra_conditions,
                       const std::vector<bool>& numeric);

// Which of `columns` are in `numeric`, for PageClause.
std::vector<bool> NumericColumns(const std::vector<std::string>& columns,
                                 const std::set<std::string>& numeric);

// The sort key of a row: the `n` selected columns from index `first`, as text.
std::vector<std::string> KeyOf(const SqlRow& row, size_t first, size_t n);

// "<field>[ asc|desc]" → the columns to sort by (unique last) and direction.
struct OrderSpec {
  std::vector<std::string> columns;
  bool descending = false;
};

// `allowed` maps each orderable field to its SQL columns (ending in a unique one). Empty text
// orders by `default_field`. Errors name "order_by" and list the fields.
absl::StatusOr<OrderSpec> ParseOrderBy(
    absl::string_view order_by, const std::map<std::string, std::vector<std::string>>& allowed,
    absl::string_view default_field);

// A filter value converter for an enum field: accepts the value name with or without `prefix`
// (case-insensitive) and binds its number; UNSPECIFIED (0) is refused.
std::function<absl::StatusOr<SqlValue>(absl::string_view)> EnumConverter(
    const google::protobuf::EnumDescriptor* descriptor, absl::string_view prefix);

// Shorthands for the usual filter fields over one column: strings and integers take every
// comparison (strings also ":"), booleans and enums "=" and "!=".
FilterField StringFilter(std::string column,
                         std::function<absl::StatusOr<SqlValue>(absl::string_view)> convert = {});
FilterField IntFilter(std::string column);
FilterField BoolFilter(std::string column);
FilterField EnumFilter(std::string column, const google::protobuf::EnumDescriptor* descriptor,
                       absl::string_view prefix);
// A chain given as "pv" or "chains/pv", bound as "pv".
absl::StatusOr<SqlValue> ChainIdFilterValue(absl::string_view value);
// "=" and "!=" on a column holding chain ids.
FilterField ChainFilter(std::string column);

// One page of a List: validates size and token, compiles the filter, fetches page_size + 1 rows
// with `fetch(const PageQuery&)`, appends the page to `out` and sets the next token.
template <typename T, typename Fetch>
absl::Status Paginate(absl::string_view method, int requested_size, absl::string_view page_token,
                      absl::string_view filter_text, absl::string_view order_by,
                      const std::map<std::string, FilterField>& fields, OrderSpec order,
                      Fetch&& fetch, std::vector<T>* out, std::string* next_token,
                      CompiledFilter* compiled_out = nullptr) {
  CHAINHUB_ASSIGN_OR_RETURN(int page_size, EffectivePageSize(requested_size));
  const std::string fingerprint = QueryFingerprint(method, filter_text, order_by);
  CHAINHUB_ASSIGN_OR_RETURN(PageToken token, DecodePageToken(page_token, fingerprint));
  PageQuery q;
  CHAINHUB_ASSIGN_OR_RETURN(q.filter, FilterToSql(filter_text, fields));
  if (compiled_out != nullptr) *compiled_out = q.filter;
  q.columns = order.columns;
  q.descending = order.descending;
  q.after = token.last_key;
  if (!q.after.empty() && q.after.size() != q.columns.size()) {
    return InvalidField("page_token", "is malformed");
  }
  q.limit = page_size + 1;
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<Keyed<T>> rows, fetch(q));
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
    out->push_back(std::move(rows[i].value));
  }
  if (static_cast<int>(rows.size()) > page_size) {
    *next_token = EncodePageToken({rows[page_size - 1].key, fingerprint});
  }
  return absl::OkStatus();
}

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_LIST_QUERY_H_
