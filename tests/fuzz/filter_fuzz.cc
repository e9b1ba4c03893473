// libFuzzer target for the List filter grammar: ParseFilter then CompileFilter over a fixed field
// map shaped like the registry's enterprises. Neither may crash, and a successful compile must
// keep the user's text out of the SQL and bind exactly one parameter per placeholder.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/store/filter.h"

namespace {

using chainhub::FilterField;
using chainhub::FilterOp;
using chainhub::SqlValue;

[[noreturn]] void Fail(const std::string& what, const std::string& input, const std::string& sql) {
  std::fprintf(stderr, "invariant broken: %s\ninput: %s\nsql: %s\n", what.c_str(), input.c_str(),
               sql.c_str());
  std::abort();
}

// True when `s` is well-formed UTF-8 (error messages travel in proto string fields).
bool IsUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

const std::map<std::string, FilterField>& Fields() {
  static const auto* fields = [] {
    auto* f = new std::map<std::string, FilterField>();
    FilterField chain;
    chain.membership = true;
    chain.has_template = "EXISTS (SELECT 1 FROM m WHERE m.id = e.id AND m.chain = {})";
    chain.convert = [](absl::string_view v) -> absl::StatusOr<SqlValue> {
      absl::ConsumePrefix(&v, "chains/");
      if (v.empty()) return absl::InvalidArgumentError("must name a chain");
      return SqlValue(std::string(v));
    };
    (*f)["chain"] = chain;

    FilterField label;
    label.type = FilterField::Type::kEnum;
    label.membership = true;
    label.has_template = "EXISTS (SELECT 1 FROM l WHERE l.id = e.id AND l.label = {})";
    label.convert = [](absl::string_view v) -> absl::StatusOr<SqlValue> {
      if (v == "HEAD") return SqlValue(int64_t{2});
      if (v == "SPECIALIZED") return SqlValue(int64_t{4});
      return absl::InvalidArgumentError("must be HEAD or SPECIALIZED");
    };
    (*f)["label"] = label;

    FilterField county;
    county.column = "e.county";
    county.ops = {FilterOp::kEq, FilterOp::kNe};
    (*f)["county"] = county;

    FilterField name;
    name.column = "e.display_name";
    (*f)["display_name"] = name;

    FilterField output;
    output.type = FilterField::Type::kInt;
    output.column = "e.annual_output_yuan";
    (*f)["annual_output_yuan"] = output;

    FilterField synthetic;
    synthetic.type = FilterField::Type::kBool;
    synthetic.column = "e.synthetic";
    (*f)["synthetic"] = synthetic;
    return f;
  }();
  return *fields;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto root = chainhub::ParseFilter(input);
  if (!root.ok()) {
    if (root.status().code() != absl::StatusCode::kInvalidArgument ||
        !absl::StartsWith(root.status().message(), "filter: ") ||
        !IsUtf8(std::string(root.status().message()))) {
      Fail(absl::StrCat("parse error is not INVALID_ARGUMENT 'filter: …': ",
                        root.status().ToString()),
           input, "");
    }
    return 0;
  }
  const int first_param = 1 + static_cast<int>(size % 5);
  auto compiled = chainhub::CompileFilter(root->get(), Fields(), first_param);
  if (!compiled.ok()) {
    if (compiled.status().code() != absl::StatusCode::kInvalidArgument ||
        !absl::StartsWith(compiled.status().message(), "filter: ") ||
        !IsUtf8(std::string(compiled.status().message()))) {
      Fail(absl::StrCat("compile error is not INVALID_ARGUMENT 'filter: …' in UTF-8: ",
                        compiled.status().ToString()),
           input, "");
    }
    return 0;
  }
  const std::string& sql = compiled->sql;
  if ((*root == nullptr) != sql.empty()) Fail("empty filter iff empty SQL", input, sql);

  // Placeholders: every '$' starts $N, the N are first_param, first_param+1, … each once
  // (the field map's templates hold one `{}` each), matching the parameters given.
  std::multiset<int> numbers;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != '$') continue;
    size_t j = i + 1;
    int n = 0;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9' && n < 100000) {
      n = n * 10 + (sql[j] - '0');
      ++j;
    }
    if (j == i + 1) Fail("'$' without a number", input, sql);
    numbers.insert(n);
  }
  if (numbers.size() != compiled->params.size()) {
    Fail(absl::StrCat(numbers.size(), " placeholders but ", compiled->params.size(), " params"),
         input, sql);
  }
  int expected = first_param;
  for (int n : numbers) {
    if (n != expected++) Fail("placeholders are not numbered consecutively", input, sql);
  }
  // The SQL is built only from the field map's fragments: no quotes, no user text.
  if (sql.find_first_of("'\";\\") != std::string::npos) Fail("quote in SQL", input, sql);
  for (char c : sql) {
    if (static_cast<unsigned char>(c) >= 0x80) Fail("non-ASCII byte in SQL", input, sql);
  }
  // Parentheses balance.
  int depth = 0;
  for (char c : sql) {
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (depth < 0) Fail("unbalanced parentheses", input, sql);
  }
  if (depth != 0) Fail("unbalanced parentheses", input, sql);
  return 0;
}
