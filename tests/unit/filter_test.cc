#include "common/store/filter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace chainhub {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// ---------------------------------------------------------------------------------------------
// Parsing. Trees are printed as S-expressions so a test states the whole shape in one string.

std::string Show(const FilterNode* node) {
  if (node == nullptr) return "<all>";
  switch (node->kind) {
    case FilterNode::Kind::kAnd:
    case FilterNode::Kind::kOr: {
      std::vector<std::string> parts;
      for (const auto& child : node->children) parts.push_back(Show(child.get()));
      return absl::StrCat("(", node->kind == FilterNode::Kind::kAnd ? "AND " : "OR ",
                          absl::StrJoin(parts, " "), ")");
    }
    case FilterNode::Kind::kNot:
      return absl::StrCat("(NOT ", Show(node->children.at(0).get()), ")");
    case FilterNode::Kind::kCompare: {
      static const char* const kOps[] = {"=", "!=", "<", "<=", ">", ">=", ":"};
      return absl::StrCat(node->field, kOps[static_cast<int>(node->op)], "[", node->value, "]");
    }
  }
  return "?";
}

std::string Parsed(absl::string_view text) {
  auto root = ParseFilter(text);
  if (!root.ok()) return absl::StrCat("error: ", root.status().message());
  return Show(root->get());
}

std::string ParseError(absl::string_view text) {
  auto root = ParseFilter(text);
  EXPECT_FALSE(root.ok()) << text << " parsed as " << Show(root->get());
  if (root.ok()) return "";
  EXPECT_EQ(root.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(root.status().message());
}

TEST(ParseFilter, EmptyOrBlankFilterMatchesEverything) {
  EXPECT_EQ(Parsed(""), "<all>");
  EXPECT_EQ(Parsed("  \t\n "), "<all>");
}

TEST(ParseFilter, ReadsEveryOperator) {
  EXPECT_EQ(Parsed("a = 1"), "a=[1]");
  EXPECT_EQ(Parsed("a != 1"), "a!=[1]");
  EXPECT_EQ(Parsed("a < 1"), "a<[1]");
  EXPECT_EQ(Parsed("a <= 1"), "a<=[1]");
  EXPECT_EQ(Parsed("a > 1"), "a>[1]");
  EXPECT_EQ(Parsed("a >= 1"), "a>=[1]");
  EXPECT_EQ(Parsed("a : 1"), "a:[1]");
  EXPECT_EQ(Parsed("a>=1"), "a>=[1]");
  EXPECT_EQ(Parsed("a:x"), "a:[x]");
}

TEST(ParseFilter, AndBindsTighterThanOr) {
  EXPECT_EQ(Parsed("a = 1 OR b = 2 AND c = 3"), "(OR a=[1] (AND b=[2] c=[3]))");
  EXPECT_EQ(Parsed("a = 1 AND b = 2 OR c = 3"), "(OR (AND a=[1] b=[2]) c=[3])");
}

TEST(ParseFilter, ParenthesesOverridePrecedence) {
  EXPECT_EQ(Parsed("(a = 1 OR b = 2) AND c = 3"), "(AND (OR a=[1] b=[2]) c=[3])");
  EXPECT_EQ(Parsed("((a=1))"), "a=[1]");
}

TEST(ParseFilter, JuxtapositionIsAnd) {
  EXPECT_EQ(Parsed("a = 1 b = 2 c:3"), "(AND a=[1] b=[2] c:[3])");
  EXPECT_EQ(Parsed("a = 1 (b = 2 OR c = 3)"), "(AND a=[1] (OR b=[2] c=[3]))");
}

TEST(ParseFilter, ChainsOfOneOperatorAreFlattened) {
  EXPECT_EQ(Parsed("a=1 AND b=2 AND c=3"), "(AND a=[1] b=[2] c=[3])");
  EXPECT_EQ(Parsed("a=1 OR b=2 OR c=3"), "(OR a=[1] b=[2] c=[3])");
}

TEST(ParseFilter, NotAndMinusNegateTheNextTerm) {
  EXPECT_EQ(Parsed("NOT a = 1"), "(NOT a=[1])");
  EXPECT_EQ(Parsed("-a = 1"), "(NOT a=[1])");
  EXPECT_EQ(Parsed("NOT a = 1 AND b = 2"), "(AND (NOT a=[1]) b=[2])");
  EXPECT_EQ(Parsed("NOT (a = 1 OR b = 2)"), "(NOT (OR a=[1] b=[2]))");
  EXPECT_EQ(Parsed("NOT(a=1)"), "(NOT a=[1])");
  EXPECT_EQ(Parsed("NOT NOT a = 1"), "(NOT (NOT a=[1]))");
  EXPECT_EQ(Parsed("a = 1 NOT b = 2"), "(AND a=[1] (NOT b=[2]))");
}

TEST(ParseFilter, KeywordsAreUpperCaseWholeWords) {
  // Lower-case "and" is a field name here, so it reads as a third comparison.
  EXPECT_EQ(Parsed("a=1 and=2"), "(AND a=[1] and=[2])");
  EXPECT_EQ(Parsed("NOTE = 1"), "NOTE=[1]");
  EXPECT_EQ(Parsed("ORDER = 1 OR ANDROID = 2"), "(OR ORDER=[1] ANDROID=[2])");
}

TEST(ParseFilter, FieldNamesMayHaveDotsAndDigits) {
  EXPECT_EQ(Parsed("chain.display_name2 = x"), "chain.display_name2=[x]");
  EXPECT_EQ(Parsed("_x = 1"), "_x=[1]");
}

TEST(ParseFilter, BareValuesTakeNamesDatesAndSigns) {
  EXPECT_EQ(Parsed("chain = chains/pv"), "chain=[chains/pv]");
  EXPECT_EQ(Parsed("chain = pv"), "chain=[pv]");
  EXPECT_EQ(Parsed("create_time >= 2026-01-01"), "create_time>=[2026-01-01]");
  EXPECT_EQ(Parsed("t < 2026-05-01T00:00:00Z"), "t<[2026-05-01T00:00:00Z]");
  EXPECT_EQ(Parsed("n > -5"), "n>[-5]");
  EXPECT_EQ(Parsed("mail = a+b@x.cn"), "mail=[a+b@x.cn]");
  EXPECT_EQ(Parsed("name = *"), "name=[*]");
}

TEST(ParseFilter, QuotedValuesUnescapeAndKeepAnyText) {
  EXPECT_EQ(Parsed(R"(county = "天长市")"), "county=[天长市]");
  EXPECT_EQ(Parsed(R"(display_name:"光伏")"), "display_name:[光伏]");
  EXPECT_EQ(Parsed(R"(a = "say \"hi\"")"), "a=[say \"hi\"]");
  EXPECT_EQ(Parsed(R"(a = "back\\slash")"), R"(a=[back\slash])");
  EXPECT_EQ(Parsed(R"(a = "with space AND (parens) OR x")"), "a=[with space AND (parens) OR x]");
  EXPECT_EQ(Parsed(R"(a = "")"), "a=[]");
  EXPECT_EQ(Parsed(R"(a="x"b="y")"), "(AND a=[x] b=[y])");
}

TEST(ParseFilter, KeywordLikeValuesAreValues) { EXPECT_EQ(Parsed("a = OR"), "a=[OR]"); }

TEST(ParseFilter, ErrorsNameFilterAndTheBytePosition) {
  EXPECT_EQ(ParseError("a ="), "filter: expected a value at 3");
  EXPECT_THAT(ParseError("a = 天长市"), HasSubstr("expected a value (quote values"));
  EXPECT_THAT(ParseError("a = 天长市"), HasSubstr(" at 4"));
  EXPECT_EQ(ParseError("a 1"), "filter: expected an operator (=, !=, <, <=, >, >=, :) at 2");
  EXPECT_THAT(ParseError("a == 1"), HasSubstr("filter: expected a value (quote values"));
  EXPECT_EQ(ParseError("a ! 1"), "filter: expected an operator (=, !=, <, <=, >, >=, :) at 2");
  EXPECT_EQ(ParseError("= 1"), "filter: expected a field name at 0");
  EXPECT_EQ(ParseError("a = 1 OR"), "filter: expected a comparison at 8");
  EXPECT_EQ(ParseError("a = 1 AND AND b = 2"),
            "filter: expected a comparison, found the keyword AND at 10");
  EXPECT_EQ(ParseError("OR a = 1"), "filter: expected a comparison, found the keyword OR at 0");
  EXPECT_EQ(ParseError("NOT"), "filter: expected a comparison at 3");
  EXPECT_EQ(ParseError("(a = 1"), "filter: expected ')' to close the '(' at 0 at 6");
  EXPECT_EQ(ParseError("a = 1)"), "filter: unbalanced ')' at 5");
  EXPECT_EQ(ParseError("()"), "filter: expected a field name at 1");
  EXPECT_EQ(ParseError(R"(a = "open)"), "filter: unterminated string starting at 4");
  EXPECT_EQ(ParseError(R"(a = "x\n")"),
            R"(filter: unknown escape (only \" and \\ are allowed) at 6)");
  EXPECT_EQ(ParseError(R"(a = "x\)"), "filter: unterminated string starting at 4");
  EXPECT_EQ(ParseError("a = 1 ; b = 2"), "filter: expected a field name at 6");
}

TEST(ParseFilter, RejectsTextLongerThan2000Bytes) {
  std::string ok = absl::StrCat("a = \"", std::string(1994, 'x'), "\"");
  ASSERT_EQ(ok.size(), 2000u);
  EXPECT_TRUE(ParseFilter(ok).ok());
  EXPECT_EQ(ParseError(ok + " "), "filter: must be at most 2000 bytes, got 2001");
}

TEST(ParseFilter, RejectsMoreThan32Comparisons) {
  std::vector<std::string> terms(32, "a=1");
  EXPECT_TRUE(ParseFilter(absl::StrJoin(terms, " OR ")).ok());
  terms.push_back("b=2");
  std::string text = absl::StrJoin(terms, " OR ");
  EXPECT_EQ(ParseError(text),
            absl::StrCat("filter: has more than 32 comparisons at ", text.size() - 3));
}

TEST(ParseFilter, RejectsNestingDeeperThan16) {
  auto nested = [](int depth) {
    return absl::StrCat(std::string(depth, '('), "a=1", std::string(depth, ')'));
  };
  EXPECT_EQ(Parsed(nested(16)), "a=[1]");
  EXPECT_EQ(ParseError(nested(17)), "filter: nests deeper than 16 levels at 16");

  std::string nots;
  for (int i = 0; i < 16; ++i) nots += "NOT ";
  EXPECT_TRUE(ParseFilter(nots + "a=1").ok());
  EXPECT_EQ(ParseError("NOT " + nots + "a=1"), "filter: nests deeper than 16 levels at 64");
  // Parentheses and negation count towards the same limit.
  EXPECT_FALSE(ParseFilter(absl::StrCat(nots, "(a=1)")).ok());
}

TEST(ParseFilter, SurvivesHostileNestingWithoutRecursingDeeply) {
  std::string deep(100000, '(');
  EXPECT_FALSE(ParseFilter(deep).ok());
  std::string minus(1500, '-');
  EXPECT_THAT(ParseError(minus + "a=1"), HasSubstr("nests deeper than 16 levels"));
}

// ---------------------------------------------------------------------------------------------
// Compiling, over a field map shaped like the registry's enterprises.

absl::StatusOr<SqlValue> ConvertChain(absl::string_view value) {
  absl::ConsumePrefix(&value, "chains/");
  if (value.empty() || value.find('/') != absl::string_view::npos) {
    return absl::InvalidArgumentError("must be a chain id like pv or chains/pv");
  }
  return SqlValue(std::string(value));
}

absl::StatusOr<SqlValue> ConvertLabel(absl::string_view value) {
  static const char* const kLabels[] = {"CHAIN_OWNER", "HEAD", "ABOVE_SIZE", "SPECIALIZED",
                                        "HIGH_TECH"};
  for (int i = 0; i < 5; ++i) {
    if (value == kLabels[i]) return SqlValue(int64_t{i + 1});
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "must be one of CHAIN_OWNER, HEAD, ABOVE_SIZE, SPECIALIZED, HIGH_TECH, got '", value, "'"));
}

std::map<std::string, FilterField> EnterpriseFields() {
  std::map<std::string, FilterField> fields;
  FilterField chain;
  chain.membership = true;
  chain.has_template =
      "EXISTS (SELECT 1 FROM enterprise_memberships m WHERE m.credit_code = e.credit_code "
      "AND m.chain = {})";
  chain.convert = ConvertChain;
  fields["chain"] = chain;

  FilterField label;
  label.type = FilterField::Type::kEnum;
  label.membership = true;
  label.has_template =
      "EXISTS (SELECT 1 FROM enterprise_labels l WHERE l.credit_code = e.credit_code "
      "AND l.label = {})";
  label.convert = ConvertLabel;
  fields["label"] = label;

  FilterField county;
  county.column = "e.county";
  county.ops = {FilterOp::kEq, FilterOp::kNe};
  fields["county"] = county;

  FilterField display_name;
  display_name.column = "e.display_name";
  fields["display_name"] = display_name;

  FilterField output;
  output.type = FilterField::Type::kInt;
  output.column = "e.annual_output_yuan";
  fields["annual_output_yuan"] = output;

  FilterField synthetic;
  synthetic.type = FilterField::Type::kBool;
  synthetic.column = "e.synthetic";
  synthetic.ops = {FilterOp::kEq, FilterOp::kNe};
  fields["synthetic"] = synthetic;
  return fields;
}

const std::string kChainSql =
    "EXISTS (SELECT 1 FROM enterprise_memberships m WHERE m.credit_code = e.credit_code "
    "AND m.chain = ";
const std::string kLabelSql =
    "EXISTS (SELECT 1 FROM enterprise_labels l WHERE l.credit_code = e.credit_code "
    "AND l.label = ";

// Parameters as "s:text" / "i:123", for readable expectations.
std::vector<std::string> Params(const CompiledFilter& compiled) {
  std::vector<std::string> out;
  for (const SqlValue& value : compiled.params) {
    if (const auto* s = std::get_if<std::string>(&value)) {
      out.push_back("s:" + *s);
    } else if (const auto* n = std::get_if<int64_t>(&value)) {
      out.push_back(absl::StrCat("i:", *n));
    } else {
      out.push_back("other");
    }
  }
  return out;
}

CompiledFilter MustCompile(absl::string_view text, int first_param = 1) {
  auto compiled = FilterToSql(text, EnterpriseFields(), first_param);
  EXPECT_TRUE(compiled.ok()) << text << ": " << compiled.status();
  return compiled.ok() ? *compiled : CompiledFilter{};
}

std::string CompileError(absl::string_view text) {
  auto compiled = FilterToSql(text, EnterpriseFields());
  EXPECT_FALSE(compiled.ok()) << text << " compiled to " << compiled->sql;
  if (compiled.ok()) return "";
  EXPECT_EQ(compiled.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(compiled.status().message());
}

TEST(CompileFilter, AValueWithATemplateOfItsOwnUsesItAndOthersTheGeneralOne) {
  std::map<std::string, FilterField> fields = EnterpriseFields();
  fields["label"].value_templates[3] = "e.above_size = CASE CAST({} AS BIGINT) WHEN 3 THEN 1 END";
  auto own = FilterToSql("label = ABOVE_SIZE", fields);
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->sql, "(e.above_size = CASE CAST($1 AS BIGINT) WHEN 3 THEN 1 END)");
  EXPECT_EQ(Params(*own), (std::vector<std::string>{"i:3"}));
  auto negated = FilterToSql("label != ABOVE_SIZE", fields);
  ASSERT_TRUE(negated.ok()) << negated.status();
  EXPECT_EQ(negated->sql, "(NOT e.above_size = CASE CAST($1 AS BIGINT) WHEN 3 THEN 1 END)");
  auto general = FilterToSql("label = HEAD", fields);
  ASSERT_TRUE(general.ok()) << general.status();
  EXPECT_EQ(general->sql, "(" + kLabelSql + "$1))");
}

TEST(CompileFilter, EmptyFilterIsNoCondition) {
  CompiledFilter compiled = MustCompile("  ");
  EXPECT_EQ(compiled.sql, "");
  EXPECT_TRUE(compiled.params.empty());
}

TEST(CompileFilter, TheDocumentedEnterpriseExample) {
  CompiledFilter compiled =
      MustCompile(R"(chain = "pv" AND label = "SPECIALIZED" AND annual_output_yuan >= 100000000)");
  EXPECT_EQ(compiled.sql, absl::StrCat("((", kChainSql, "$1)) AND (", kLabelSql,
                                       "$2)) AND (e.annual_output_yuan >= $3))"));
  EXPECT_THAT(Params(compiled), ElementsAre("s:pv", "i:4", "i:100000000"));
}

TEST(CompileFilter, ConvertsResourceNamesThroughTheFieldsConverter) {
  CompiledFilter compiled = MustCompile("chain = chains/pv");
  EXPECT_THAT(Params(compiled), ElementsAre("s:pv"));
}

TEST(CompileFilter, MembershipHasIsTheSameAsEqualsAndNotEqualsIsNotExists) {
  EXPECT_EQ(MustCompile("chain:pv").sql, absl::StrCat("(", kChainSql, "$1))"));
  EXPECT_EQ(MustCompile("label != ABOVE_SIZE").sql, absl::StrCat("(NOT ", kLabelSql, "$1))"));
  EXPECT_EQ(MustCompile("NOT label = ABOVE_SIZE").sql, absl::StrCat("(NOT (", kLabelSql, "$1)))"));
}

TEST(CompileFilter, StringHasIsASubstringMatch) {
  CompiledFilter compiled = MustCompile(R"(display_name:"光伏")");
  EXPECT_EQ(compiled.sql, "(instr(e.display_name, $1) > 0)");
  EXPECT_THAT(Params(compiled), ElementsAre("s:光伏"));
}

TEST(CompileFilter, ComparisonsBindTheValueNeverInlineIt) {
  CompiledFilter compiled = MustCompile(R"(county = "天长市' OR 1=1 --")");
  EXPECT_EQ(compiled.sql, "(e.county = $1)");
  EXPECT_THAT(Params(compiled), ElementsAre("s:天长市' OR 1=1 --"));
}

TEST(CompileFilter, NumbersParametersFromFirstParamInTextOrder) {
  CompiledFilter compiled =
      MustCompile("county = a OR (annual_output_yuan < 5 AND NOT synthetic = true)", 3);
  EXPECT_EQ(compiled.sql,
            "((e.county = $3) OR ((e.annual_output_yuan < $4) AND (NOT (e.synthetic = $5))))");
  EXPECT_THAT(Params(compiled), ElementsAre("s:a", "i:5", "i:1"));
}

TEST(CompileFilter, BoolFieldsTakeTrueOrFalse) {
  EXPECT_THAT(Params(MustCompile("synthetic = false")), ElementsAre("i:0"));
  EXPECT_EQ(CompileError("synthetic = yes"),
            "filter: field synthetic expects true or false, got 'yes'");
}

TEST(CompileFilter, IntFieldsRejectNonIntegers) {
  EXPECT_THAT(Params(MustCompile("annual_output_yuan > -1")), ElementsAre("i:-1"));
  EXPECT_EQ(CompileError("annual_output_yuan > 1e8"),
            "filter: field annual_output_yuan expects an integer, got '1e8'");
  EXPECT_EQ(CompileError("annual_output_yuan > 99999999999999999999"),
            "filter: field annual_output_yuan expects an integer, got '99999999999999999999'");
  EXPECT_EQ(CompileError(R"(annual_output_yuan > "")"),
            "filter: field annual_output_yuan expects an integer, got ''");
}

TEST(CompileFilter, EchoesBadValuesShortAndPrintable) {
  EXPECT_EQ(CompileError("annual_output_yuan > \"一亿\x01\xff\""),
            "filter: field annual_output_yuan expects an integer, got '一亿\\x01\\xff'");
  EXPECT_EQ(CompileError(absl::StrCat("synthetic = ", std::string(100, 'y'))),
            absl::StrCat("filter: field synthetic expects true or false, got '",
                         std::string(32, 'y'), "…' (100 bytes)"));
}

TEST(CompileFilter, ConverterErrorsNameTheField) {
  EXPECT_EQ(CompileError("label = BIG"),
            "filter: field label must be one of CHAIN_OWNER, HEAD, ABOVE_SIZE, SPECIALIZED, "
            "HIGH_TECH, got 'BIG'");
  EXPECT_EQ(CompileError("chain = chains/pv/nodes/x"),
            "filter: field chain must be a chain id like pv or chains/pv");
}

TEST(CompileFilter, UnknownFieldListsTheFilterableFields) {
  EXPECT_EQ(CompileError("park = x"),
            "filter: unknown field 'park'; filterable fields are annual_output_yuan, chain, "
            "county, display_name, label, synthetic");
}

TEST(CompileFilter, DisallowedOperatorNamesTheFieldAndWhatItAllows) {
  EXPECT_EQ(CompileError("county:x"), "filter: field 'county' does not allow ':'; it allows =, !=");
  EXPECT_EQ(CompileError("label < HEAD"),
            "filter: field 'label' does not allow '<'; it allows =, !=, :");
  EXPECT_EQ(CompileError("annual_output_yuan:5"),
            "filter: field 'annual_output_yuan' does not allow ':'; it allows =, !=, <, <=, >, >=");
}

TEST(CompileFilter, ReportsTheFirstBadComparisonInTextOrder) {
  EXPECT_THAT(CompileError("county = a AND nope = 1 AND label = BIG"),
              HasSubstr("unknown field 'nope'"));
}

// The compiled SQL runs on SQLite: the same $N parameters, instr(), EXISTS templates.
class CompiledFilterOnSqlite : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    Exec(R"sql(
      CREATE TABLE enterprises (credit_code TEXT PRIMARY KEY, display_name TEXT, county TEXT,
                                annual_output_yuan INTEGER, synthetic INTEGER);
      CREATE TABLE enterprise_memberships (credit_code TEXT, chain TEXT);
      CREATE TABLE enterprise_labels (credit_code TEXT, label INTEGER);
      INSERT INTO enterprises VALUES
        ('A', '滁州某某光伏科技有限公司', '天长市', 200000000, 0),
        ('B', '来安某某新材料有限公司', '来安县', 50000000, 0),
        ('C', '琅琊光伏组件厂', '琅琊区', 300000000, 1);
      INSERT INTO enterprise_memberships VALUES ('A', 'pv'), ('C', 'pv'), ('B', 'newmat');
      INSERT INTO enterprise_labels VALUES ('A', 4), ('A', 3), ('C', 3), ('B', 4);
    )sql");
  }
  void TearDown() override { sqlite3_close(db_); }

  void Exec(const char* sql) {
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql, nullptr, nullptr, &error), SQLITE_OK) << error;
  }

  std::vector<std::string> Matching(absl::string_view filter) {
    CompiledFilter compiled = MustCompile(filter);
    std::string sql = "SELECT credit_code FROM enterprises e";
    if (!compiled.sql.empty()) absl::StrAppend(&sql, " WHERE ", compiled.sql);
    absl::StrAppend(&sql, " ORDER BY credit_code");
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(db_);
    if (stmt == nullptr) return {};
    for (size_t i = 0; i < compiled.params.size(); ++i) {
      int index = sqlite3_bind_parameter_index(stmt, absl::StrCat("$", i + 1).c_str());
      EXPECT_GT(index, 0);
      if (const auto* s = std::get_if<std::string>(&compiled.params[i])) {
        sqlite3_bind_text(stmt, index, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      } else if (const auto* n = std::get_if<int64_t>(&compiled.params[i])) {
        sqlite3_bind_int64(stmt, index, *n);
      }
    }
    std::vector<std::string> codes;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      codes.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    return codes;
  }

  sqlite3* db_ = nullptr;
};

TEST_F(CompiledFilterOnSqlite, SelectsTheRowsTheFilterDescribes) {
  EXPECT_THAT(Matching(""), ElementsAre("A", "B", "C"));
  EXPECT_THAT(
      Matching(R"(chain = "pv" AND label = "SPECIALIZED" AND annual_output_yuan >= 100000000)"),
      ElementsAre("A"));
  EXPECT_THAT(Matching(R"(county = "天长市")"), ElementsAre("A"));
  EXPECT_THAT(Matching(R"(display_name:"光伏")"), ElementsAre("A", "C"));
  EXPECT_THAT(Matching("NOT label = ABOVE_SIZE"), ElementsAre("B"));
  EXPECT_THAT(Matching("label != ABOVE_SIZE"), ElementsAre("B"));
  EXPECT_THAT(Matching("chain = chains/newmat OR synthetic = true"), ElementsAre("B", "C"));
  EXPECT_THAT(Matching("-(chain = pv) annual_output_yuan < 60000000"), ElementsAre("B"));
  EXPECT_THAT(Matching(R"(county = "天长市' OR 1=1 --")"), ElementsAre());
}

}  // namespace
}  // namespace chainhub
