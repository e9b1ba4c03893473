#include "common/store/filter.h"

#include <charconv>
#include <cstdint>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/base/status_util.h"

namespace chainhub {
namespace {

constexpr size_t kMaxFilterBytes = 2000;
constexpr int kMaxComparisons = 32;
constexpr int kMaxDepth = 16;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsFieldStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsFieldChar(char c) { return IsFieldStart(c) || (c >= '0' && c <= '9') || c == '.'; }
bool IsBareValueChar(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '_':
    case '.':
    case '-':
    case '/':
    case '+':
    case ':':
    case '@':
    case '*':
      return true;
    default:
      return false;
  }
}

absl::string_view OpText(FilterOp op) {
  switch (op) {
    case FilterOp::kEq:
      return "=";
    case FilterOp::kNe:
      return "!=";
    case FilterOp::kLt:
      return "<";
    case FilterOp::kLe:
      return "<=";
    case FilterOp::kGt:
      return ">";
    case FilterOp::kGe:
      return ">=";
    case FilterOp::kHas:
      return ":";
  }
  return "?";
}

// Recursive descent over the bytes of the filter. Every recursion (a parenthesised group or a
// NOT) counts towards kMaxDepth, so hostile input cannot exhaust the stack, and the tree it builds
// is at most that deep (its destructor recurses too).
class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::unique_ptr<FilterNode>> Parse() {
    if (text_.size() > kMaxFilterBytes) {
      return InvalidField("filter", absl::StrCat("must be at most ", kMaxFilterBytes,
                                                 " bytes, got ", text_.size()));
    }
    SkipSpace();
    if (AtEnd()) return nullptr;
    CHAINHUB_ASSIGN_OR_RETURN(auto root, ParseOr(0));
    SkipSpace();
    if (!AtEnd()) {
      if (text_[pos_] == ')') return Error("unbalanced ')'");
      return Error("expected AND, OR or the end of the filter");
    }
    return root;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(text_[pos_])) ++pos_;
  }

  absl::Status Error(absl::string_view rule) const { return ErrorAt(rule, pos_); }
  absl::Status ErrorAt(absl::string_view rule, size_t pos) const {
    return InvalidField("filter", absl::StrCat(rule, " at ", pos));
  }

  // True (and consumes it) when an upper-case keyword stands at the cursor as a whole word.
  bool TakeKeyword(absl::string_view keyword) {
    if (text_.substr(pos_, keyword.size()) != keyword) return false;
    size_t end = pos_ + keyword.size();
    if (end < text_.size() && IsFieldChar(text_[end])) return false;
    pos_ = end;
    return true;
  }
  bool PeekKeyword(absl::string_view keyword) {
    size_t saved = pos_;
    bool found = TakeKeyword(keyword);
    pos_ = saved;
    return found;
  }

  static std::unique_ptr<FilterNode> Combine(FilterNode::Kind kind,
                                             std::vector<std::unique_ptr<FilterNode>> parts) {
    if (parts.size() == 1) return std::move(parts.front());
    auto node = std::make_unique<FilterNode>();
    node->kind = kind;
    node->children = std::move(parts);
    return node;
  }

  absl::StatusOr<std::unique_ptr<FilterNode>> ParseOr(int depth) {
    std::vector<std::unique_ptr<FilterNode>> parts;
    CHAINHUB_ASSIGN_OR_RETURN(auto first, ParseAnd(depth));
    parts.push_back(std::move(first));
    while (true) {
      SkipSpace();
      if (!TakeKeyword("OR")) break;
      SkipSpace();
      CHAINHUB_ASSIGN_OR_RETURN(auto next, ParseAnd(depth));
      parts.push_back(std::move(next));
    }
    return Combine(FilterNode::Kind::kOr, std::move(parts));
  }

  absl::StatusOr<std::unique_ptr<FilterNode>> ParseAnd(int depth) {
    std::vector<std::unique_ptr<FilterNode>> parts;
    CHAINHUB_ASSIGN_OR_RETURN(auto first, ParseUnary(depth));
    parts.push_back(std::move(first));
    while (true) {
      SkipSpace();
      if (AtEnd() || text_[pos_] == ')' || PeekKeyword("OR")) break;
      if (TakeKeyword("AND")) SkipSpace();  // else juxtaposition: an implicit AND
      CHAINHUB_ASSIGN_OR_RETURN(auto next, ParseUnary(depth));
      parts.push_back(std::move(next));
    }
    return Combine(FilterNode::Kind::kAnd, std::move(parts));
  }

  absl::StatusOr<std::unique_ptr<FilterNode>> ParseUnary(int depth) {
    SkipSpace();
    if (AtEnd()) return Error("expected a comparison");
    size_t start = pos_;
    bool negate = false;
    if (TakeKeyword("NOT")) {
      negate = true;
    } else if (text_[pos_] == '-') {
      ++pos_;
      negate = true;
    }
    if (negate) {
      if (depth + 1 > kMaxDepth) {
        return ErrorAt(absl::StrCat("nests deeper than ", kMaxDepth, " levels"), start);
      }
      SkipSpace();
      CHAINHUB_ASSIGN_OR_RETURN(auto operand, ParseUnary(depth + 1));
      auto node = std::make_unique<FilterNode>();
      node->kind = FilterNode::Kind::kNot;
      node->children.push_back(std::move(operand));
      return node;
    }
    if (text_[pos_] == '(') {
      if (depth + 1 > kMaxDepth) {
        return ErrorAt(absl::StrCat("nests deeper than ", kMaxDepth, " levels"), start);
      }
      ++pos_;
      SkipSpace();
      CHAINHUB_ASSIGN_OR_RETURN(auto inner, ParseOr(depth + 1));
      SkipSpace();
      if (AtEnd() || text_[pos_] != ')') {
        return Error(absl::StrCat("expected ')' to close the '(' at ", start));
      }
      ++pos_;
      return inner;
    }
    return ParseComparison();
  }

  absl::StatusOr<std::unique_ptr<FilterNode>> ParseComparison() {
    size_t start = pos_;
    for (absl::string_view keyword : {"AND", "OR"}) {
      if (PeekKeyword(keyword)) {
        return Error(absl::StrCat("expected a comparison, found the keyword ", keyword));
      }
    }
    if (!IsFieldStart(text_[pos_])) return Error("expected a field name");
    while (!AtEnd() && IsFieldChar(text_[pos_])) ++pos_;
    auto node = std::make_unique<FilterNode>();
    node->kind = FilterNode::Kind::kCompare;
    node->field = std::string(text_.substr(start, pos_ - start));
    if (++comparisons_ > kMaxComparisons) {
      return ErrorAt(absl::StrCat("has more than ", kMaxComparisons, " comparisons"), start);
    }

    SkipSpace();
    CHAINHUB_ASSIGN_OR_RETURN(node->op, ParseOp());
    SkipSpace();
    CHAINHUB_ASSIGN_OR_RETURN(node->value, ParseValue());
    return node;
  }

  absl::StatusOr<FilterOp> ParseOp() {
    if (AtEnd()) return Error("expected an operator (=, !=, <, <=, >, >=, :)");
    char c = text_[pos_];
    char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    switch (c) {
      case '=':
        ++pos_;
        return FilterOp::kEq;
      case ':':
        ++pos_;
        return FilterOp::kHas;
      case '!':
        if (next == '=') {
          pos_ += 2;
          return FilterOp::kNe;
        }
        break;
      case '<':
        if (next == '=') {
          pos_ += 2;
          return FilterOp::kLe;
        }
        ++pos_;
        return FilterOp::kLt;
      case '>':
        if (next == '=') {
          pos_ += 2;
          return FilterOp::kGe;
        }
        ++pos_;
        return FilterOp::kGt;
      default:
        break;
    }
    return Error("expected an operator (=, !=, <, <=, >, >=, :)");
  }

  absl::StatusOr<std::string> ParseValue() {
    if (AtEnd()) return Error("expected a value");
    if (text_[pos_] == '"') {
      size_t start = pos_++;
      std::string value;
      while (true) {
        if (AtEnd()) return ErrorAt("unterminated string starting", start);
        char c = text_[pos_];
        if (c == '"') {
          ++pos_;
          return value;
        }
        if (c == '\\') {
          if (pos_ + 1 >= text_.size()) return ErrorAt("unterminated string starting", start);
          char escaped = text_[pos_ + 1];
          if (escaped != '"' && escaped != '\\') {
            return Error("unknown escape (only \\\" and \\\\ are allowed)");
          }
          value.push_back(escaped);
          pos_ += 2;
          continue;
        }
        value.push_back(c);
        ++pos_;
      }
    }
    size_t start = pos_;
    while (!AtEnd() && IsBareValueChar(text_[pos_])) ++pos_;
    if (pos_ == start) {
      return Error(
          "expected a value (quote values with characters other than A-Z a-z 0-9 _ . - / + : @ *)");
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  absl::string_view text_;
  size_t pos_ = 0;
  int comparisons_ = 0;
};

// Default operators of a field whose `ops` is empty (see FilterField).
std::vector<FilterOp> AllowedOps(const FilterField& field) {
  if (!field.ops.empty()) return field.ops;
  if (field.membership) return {FilterOp::kEq, FilterOp::kNe, FilterOp::kHas};
  std::vector<FilterOp> ops = {FilterOp::kEq, FilterOp::kNe, FilterOp::kLt,
                               FilterOp::kLe, FilterOp::kGt, FilterOp::kGe};
  if (!field.has_template.empty() || field.type == FilterField::Type::kString) {
    ops.push_back(FilterOp::kHas);
  }
  return ops;
}

std::string JoinFieldNames(const std::map<std::string, FilterField>& fields) {
  std::vector<absl::string_view> names;
  for (const auto& [name, field] : fields) names.push_back(name);
  return absl::StrJoin(names, ", ");
}

class Compiler {
 public:
  Compiler(const std::map<std::string, FilterField>& fields, int first_param)
      : fields_(fields), next_param_(first_param) {}

  absl::StatusOr<std::string> Compile(const FilterNode& node) {
    switch (node.kind) {
      case FilterNode::Kind::kAnd:
      case FilterNode::Kind::kOr: {
        if (node.children.empty()) return absl::InternalError("filter: empty AND/OR node");
        std::vector<std::string> parts;
        for (const auto& child : node.children) {
          if (child == nullptr) return absl::InternalError("filter: null node");
          CHAINHUB_ASSIGN_OR_RETURN(std::string part, Compile(*child));
          parts.push_back(std::move(part));
        }
        absl::string_view joiner = node.kind == FilterNode::Kind::kAnd ? " AND " : " OR ";
        return absl::StrCat("(", absl::StrJoin(parts, joiner), ")");
      }
      case FilterNode::Kind::kNot: {
        if (node.children.size() != 1 || node.children.front() == nullptr) {
          return absl::InternalError("filter: NOT needs exactly one operand");
        }
        CHAINHUB_ASSIGN_OR_RETURN(std::string inner, Compile(*node.children.front()));
        return absl::StrCat("(NOT ", inner, ")");
      }
      case FilterNode::Kind::kCompare:
        return CompileComparison(node);
    }
    return absl::InternalError("filter: unknown node kind");
  }

  std::vector<SqlValue> TakeParams() { return std::move(params_); }

 private:
  absl::StatusOr<std::string> CompileComparison(const FilterNode& node) {
    auto it = fields_.find(node.field);
    if (it == fields_.end()) {
      return InvalidField(
          "filter", absl::StrCat("unknown field ", Quoted(node.field), "; filterable fields are ",
                                 JoinFieldNames(fields_)));
    }
    const FilterField& field = it->second;
    std::vector<FilterOp> allowed = AllowedOps(field);
    bool ok = false;
    for (FilterOp op : allowed) ok = ok || op == node.op;
    if (!ok) {
      std::vector<absl::string_view> names;
      for (FilterOp op : allowed) names.push_back(OpText(op));
      return InvalidField(
          "filter", absl::StrCat("field ", Quoted(node.field), " does not allow '", OpText(node.op),
                                 "'; it allows ", absl::StrJoin(names, ", ")));
    }

    CHAINHUB_ASSIGN_OR_RETURN(SqlValue value, ConvertValue(node.field, field, node.value));
    std::string param = absl::StrCat("$", next_param_);

    // A template is used for set membership ("=", ":", and "!=" negated) and for ":" when given;
    // otherwise ":" on a plain column is a substring match. instr() is built into SQLite;
    // PostgreSQL has strpos() with the same meaning; the PostgreSQL store defines instr(text,
    // text) as strpos in each service schema.
    std::string sql;
    bool use_template =
        !field.has_template.empty() &&
        (node.op == FilterOp::kHas ||
         (field.membership && (node.op == FilterOp::kEq || node.op == FilterOp::kNe)));
    if (use_template) {
      const std::string* chosen = &field.has_template;
      if (const auto* n = std::get_if<int64_t>(&value)) {
        if (auto it = field.value_templates.find(*n); it != field.value_templates.end()) {
          chosen = &it->second;
        }
      }
      sql = absl::StrReplaceAll(*chosen, {{"{}", param}});
      if (node.op == FilterOp::kNe) sql = absl::StrCat("NOT ", sql);
    } else {
      if (field.column.empty()) {
        return absl::InternalError(absl::StrCat("filter: field '", node.field,
                                                "' has no column for '", OpText(node.op), "'"));
      }
      if (node.op == FilterOp::kHas) {
        sql = absl::StrCat("instr(", field.column, ", ", param, ") > 0");
      } else {
        sql = absl::StrCat(field.column, " ", OpText(node.op), " ", param);
      }
    }
    ++next_param_;
    params_.push_back(std::move(value));
    return absl::StrCat("(", sql, ")");
  }

  static absl::StatusOr<SqlValue> ConvertValue(const std::string& name, const FilterField& field,
                                               const std::string& text) {
    if (field.convert) {
      absl::StatusOr<SqlValue> converted = field.convert(text);
      if (converted.ok()) return converted;
      if (converted.status().code() != absl::StatusCode::kInvalidArgument) {
        return converted.status();
      }
      return InvalidField("filter",
                          absl::StrCat("field ", name, " ", converted.status().message()));
    }
    switch (field.type) {
      case FilterField::Type::kInt: {
        int64_t value = 0;
        const char* begin = text.data();
        const char* end = text.data() + text.size();
        auto [ptr, ec] = std::from_chars(begin, end, value);
        if (text.empty() || ec != std::errc() || ptr != end) {
          return InvalidField(
              "filter", absl::StrCat("field ", name, " expects an integer, got ", Quoted(text)));
        }
        return SqlValue(value);
      }
      case FilterField::Type::kBool:
        if (text == "true") return SqlValue(int64_t{1});
        if (text == "false") return SqlValue(int64_t{0});
        return InvalidField(
            "filter", absl::StrCat("field ", name, " expects true or false, got ", Quoted(text)));
      case FilterField::Type::kString:
      case FilterField::Type::kEnum:
        break;
    }
    return SqlValue(text);
  }

  const std::map<std::string, FilterField>& fields_;
  int next_param_;
  std::vector<SqlValue> params_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<FilterNode>> ParseFilter(absl::string_view text) {
  return Parser(text).Parse();
}

absl::StatusOr<CompiledFilter> CompileFilter(const FilterNode* root,
                                             const std::map<std::string, FilterField>& fields,
                                             int first_param) {
  CompiledFilter out;
  if (root == nullptr) return out;
  Compiler compiler(fields, first_param);
  CHAINHUB_ASSIGN_OR_RETURN(out.sql, compiler.Compile(*root));
  out.params = compiler.TakeParams();
  return out;
}

absl::StatusOr<CompiledFilter> FilterToSql(absl::string_view text,
                                           const std::map<std::string, FilterField>& fields,
                                           int first_param) {
  CHAINHUB_ASSIGN_OR_RETURN(auto root, ParseFilter(text));
  return CompileFilter(root.get(), fields, first_param);
}

}  // namespace chainhub
