#include "common/store/list_query.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/names.h"

namespace chainhub {

std::string PageClause(const PageQuery& q, std::vector<SqlValue>* params,
                       const std::vector<std::string>& extra_conditions,
                       const std::vector<bool>& numeric) {
  std::vector<std::string> conditions = extra_conditions;
  if (!q.filter.sql.empty()) conditions.push_back(q.filter.sql);
  if (!q.after.empty() && q.after.size() == q.columns.size()) {
    std::vector<std::string> placeholders;
    for (size_t i = 0; i < q.after.size(); ++i) {
      int64_t n = 0;
      if (i < numeric.size() && numeric[i] && absl::SimpleAtoi(q.after[i], &n)) {
        params->push_back(n);
      } else {
        params->push_back(q.after[i]);
      }
      placeholders.push_back(absl::StrCat("$", params->size()));
    }
    conditions.push_back(absl::StrCat("(", absl::StrJoin(q.columns, ", "), ") ",
                                      q.descending ? "<" : ">", " (",
                                      absl::StrJoin(placeholders, ", "), ")"));
  }
  std::string sql;
  for (size_t i = 0; i < conditions.size(); ++i) {
    absl::StrAppend(&sql, i == 0 ? " WHERE " : " AND ", conditions[i]);
  }
  std::vector<std::string> order;
  for (const auto& c : q.columns) order.push_back(absl::StrCat(c, q.descending ? " DESC" : ""));
  params->push_back(static_cast<int64_t>(q.limit));
  absl::StrAppend(&sql, " ORDER BY ", absl::StrJoin(order, ", "), " LIMIT $", params->size());
  return sql;
}

std::vector<bool> NumericColumns(const std::vector<std::string>& columns,
                                 const std::set<std::string>& numeric) {
  std::vector<bool> out;
  for (const auto& c : columns) out.push_back(numeric.contains(c));
  return out;
}

std::vector<std::string> KeyOf(const SqlRow& row, size_t first, size_t n) {
  std::vector<std::string> key;
  for (size_t i = first; i < first + n; ++i) {
    if (row.IsNull(i)) {
      key.push_back("");
    } else {
      // Integers come back as int64; Text() of an int column is empty, so format them.
      const std::string& text = row.Text(i);
      key.push_back(text.empty() ? absl::StrCat(row.Int(i)) : text);
    }
  }
  return key;
}

absl::StatusOr<OrderSpec> ParseOrderBy(
    absl::string_view order_by, const std::map<std::string, std::vector<std::string>>& allowed,
    absl::string_view default_field) {
  std::vector<std::string> parts =
      absl::StrSplit(absl::StripAsciiWhitespace(order_by), ' ', absl::SkipEmpty());
  std::string field = parts.empty() ? std::string(default_field) : parts[0];
  OrderSpec spec;
  if (parts.size() == 2) {
    const std::string dir = absl::AsciiStrToLower(parts[1]);
    if (dir == "desc") {
      spec.descending = true;
    } else if (dir != "asc") {
      return InvalidField("order_by", "direction must be asc or desc");
    }
  } else if (parts.size() > 2) {
    return InvalidField("order_by", "must be one field, optionally followed by asc or desc");
  }
  auto it = allowed.find(field);
  if (it == allowed.end()) {
    std::vector<std::string> names;
    for (const auto& [k, _] : allowed) names.push_back(k);
    return InvalidField("order_by", absl::StrCat("cannot order by ", Quoted(field), "; use one of ",
                                                 absl::StrJoin(names, ", ")));
  }
  spec.columns = it->second;
  return spec;
}

std::function<absl::StatusOr<SqlValue>(absl::string_view)> EnumConverter(
    const google::protobuf::EnumDescriptor* descriptor, absl::string_view prefix) {
  return
      [descriptor, prefix = std::string(prefix)](absl::string_view v) -> absl::StatusOr<SqlValue> {
        std::string upper = absl::AsciiStrToUpper(v);
        const google::protobuf::EnumValueDescriptor* value = descriptor->FindValueByName(upper);
        if (value == nullptr) value = descriptor->FindValueByName(prefix + upper);
        if (value == nullptr || value->number() == 0) {
          std::vector<std::string> names;
          for (int i = 1; i < descriptor->value_count(); ++i) {
            names.push_back(std::string(absl::StripPrefix(descriptor->value(i)->name(), prefix)));
          }
          return absl::InvalidArgumentError(
              absl::StrCat(Quoted(v), " is not one of ", absl::StrJoin(names, ", ")));
        }
        return SqlValue(static_cast<int64_t>(value->number()));
      };
}

FilterField StringFilter(std::string column,
                         std::function<absl::StatusOr<SqlValue>(absl::string_view)> convert) {
  FilterField f;
  f.type = FilterField::Type::kString;
  f.column = std::move(column);
  f.convert = std::move(convert);
  return f;
}

FilterField IntFilter(std::string column) {
  FilterField f;
  f.type = FilterField::Type::kInt;
  f.column = std::move(column);
  return f;
}

FilterField BoolFilter(std::string column) {
  FilterField f;
  f.type = FilterField::Type::kBool;
  f.column = std::move(column);
  f.ops = {FilterOp::kEq, FilterOp::kNe};
  return f;
}

FilterField EnumFilter(std::string column, const google::protobuf::EnumDescriptor* descriptor,
                       absl::string_view prefix) {
  FilterField f;
  f.type = FilterField::Type::kEnum;
  f.column = std::move(column);
  f.ops = {FilterOp::kEq, FilterOp::kNe};
  f.convert = EnumConverter(descriptor, prefix);
  return f;
}

absl::StatusOr<SqlValue> ChainIdFilterValue(absl::string_view value) {
  auto chain = ChainName::ParseOrId("chain", value);
  if (!chain.ok()) return absl::InvalidArgumentError("chain must be an id or chains/{chain}");
  return SqlValue(std::move(chain->chain));
}

FilterField ChainFilter(std::string column) {
  FilterField f = StringFilter(std::move(column), ChainIdFilterValue);
  f.ops = {FilterOp::kEq, FilterOp::kNe};
  return f;
}

}  // namespace chainhub
