#include "common/base/fields.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace chainhub {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The violations a validator reports for `value`, as "field: rule".
std::vector<std::string> Violations(TextKind kind, absl::string_view value, bool required,
                                    size_t max) {
  std::vector<FieldViolation> v;
  if (kind == TextKind::kOneLine) {
    CheckOneLineText(&v, "display_name", value, required, max);
  } else {
    CheckMultiLineText(&v, "description", value, required, max);
  }
  std::vector<std::string> out;
  for (const auto& f : v) out.push_back(f.field + ": " + f.rule);
  return out;
}

std::vector<std::string> OneLine(absl::string_view value, bool required = false, size_t max = 64) {
  return Violations(TextKind::kOneLine, value, required, max);
}

std::vector<std::string> MultiLine(absl::string_view value, bool required = false,
                                   size_t max = 2000) {
  return Violations(TextKind::kMultiLine, value, required, max);
}

TEST(OneLineText, AcceptsOrdinaryTextInAnyScript) {
  EXPECT_THAT(OneLine("光伏"), IsEmpty());
  EXPECT_THAT(OneLine("滁州某某光伏科技有限公司 (Chuzhou) — 2026"), IsEmpty());
  EXPECT_THAT(OneLine("مرحبا"), IsEmpty());  // right-to-left letters are text, not controls
  EXPECT_THAT(OneLine("😀 emoji"), IsEmpty());
  EXPECT_THAT(OneLine(""), IsEmpty());
}

TEST(OneLineText, RefusesNulAndControlCharactersNamingTheFirstAndItsByte) {
  EXPECT_THAT(OneLine(std::string("\x00\x01", 2)),
              ElementsAre("display_name: must not contain control characters (U+0000 at byte 0)"));
  EXPECT_THAT(OneLine("a\x01"),
              ElementsAre("display_name: must not contain control characters (U+0001 at byte 1)"));
  EXPECT_THAT(OneLine("光伏\n"),
              ElementsAre("display_name: must not contain control characters (U+000A at byte 6)"));
  EXPECT_THAT(OneLine("a\tb"),
              ElementsAre("display_name: must not contain control characters (U+0009 at byte 1)"));
  EXPECT_THAT(OneLine("a\rb"),
              ElementsAre("display_name: must not contain control characters (U+000D at byte 1)"));
  EXPECT_THAT(OneLine("a\x1f"),
              ElementsAre("display_name: must not contain control characters (U+001F at byte 1)"));
}

TEST(OneLineText, RefusesDelAndC1Controls) {
  EXPECT_THAT(OneLine("a\x7f"),
              ElementsAre("display_name: must not contain control characters (U+007F at byte 1)"));
  EXPECT_THAT(OneLine("a\xc2\x80"),  // U+0080
              ElementsAre("display_name: must not contain control characters (U+0080 at byte 1)"));
  EXPECT_THAT(OneLine("ab\xc2\x9f"),  // U+009F
              ElementsAre("display_name: must not contain control characters (U+009F at byte 2)"));
  EXPECT_THAT(OneLine("a\xc2\xa0"), IsEmpty());  // U+00A0, a no-break space, is text
}

TEST(OneLineText, RefusesBidiEmbeddingsOverridesAndIsolates) {
  for (const char* c :
       {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"}) {
    std::vector<std::string> v = OneLine(std::string("x") + c + "gpj.exe");
    ASSERT_EQ(v.size(), 1u) << c;
    EXPECT_THAT(v[0], ::testing::StartsWith(
                          "display_name: must not contain bidirectional control characters (U+20"));
    EXPECT_THAT(v[0], ::testing::EndsWith(" at byte 1)"));
  }
  EXPECT_THAT(OneLine("\u2029"), IsEmpty());  // neighbours of the ranges are not refused
  EXPECT_THAT(OneLine("\u2065"), IsEmpty());
  EXPECT_THAT(OneLine("\u206A"), IsEmpty());
}

TEST(OneLineText, RefusesInvalidUtf8) {
  EXPECT_THAT(OneLine("ab\xff"),
              ElementsAre("display_name: must be valid UTF-8 (byte 0xFF at byte 2)"));
  EXPECT_THAT(OneLine("\xe5\x85"),  // a truncated 光
              ElementsAre("display_name: must be valid UTF-8 (byte 0xE5 at byte 0)"));
  EXPECT_THAT(OneLine("\xc0\xaf"),  // an overlong '/'
              ElementsAre("display_name: must be valid UTF-8 (byte 0xC0 at byte 0)"));
  EXPECT_THAT(OneLine("\xed\xa0\x80"),  // a UTF-16 surrogate
              ElementsAre("display_name: must be valid UTF-8 (byte 0xED at byte 0)"));
}

TEST(OneLineText, ChecksEmptinessAndLengthInCharacters) {
  EXPECT_THAT(OneLine("", /*required=*/true), ElementsAre("display_name: must not be empty"));
  EXPECT_THAT(OneLine(std::string(4, 'a'), false, 3),
              ElementsAre("display_name: must be at most 3 characters"));
  EXPECT_THAT(OneLine("光伏光", false, 3), IsEmpty());  // 9 bytes, 3 characters
}

TEST(OneLineText, ReportsOneViolationPerFieldEvenForAHugeHostileValue) {
  std::string value(1 << 20, 'a');
  value[500000] = '\x01';
  EXPECT_THAT(OneLine(value),
              ElementsAre("display_name: must not contain control characters (U+0001 at byte "
                          "500000)"));
}

TEST(MultiLineText, AllowsNewlineAndTabOnly) {
  EXPECT_THAT(MultiLine("第一段\n\t第二段\n"), IsEmpty());
  EXPECT_THAT(MultiLine("line\r\nline"),
              ElementsAre("description: must not contain control characters other than newline "
                          "and tab (U+000D at byte 4)"));
  EXPECT_THAT(MultiLine(std::string("a\x00", 2)),
              ElementsAre("description: must not contain control characters other than newline "
                          "and tab (U+0000 at byte 1)"));
  EXPECT_THAT(MultiLine("a\x7f"),
              ElementsAre("description: must not contain control characters other than newline "
                          "and tab (U+007F at byte 1)"));
  EXPECT_THAT(MultiLine("\xc2\x85"),  // NEL, a C1 control
              ElementsAre("description: must not contain control characters other than newline "
                          "and tab (U+0085 at byte 0)"));
  EXPECT_THAT(MultiLine("a\u202Eb"),
              ElementsAre("description: must not contain bidirectional control characters "
                          "(U+202E at byte 1)"));
  EXPECT_THAT(MultiLine("\xfe"), ElementsAre("description: must be valid UTF-8 (byte 0xFE at "
                                             "byte 0)"));
}

TEST(MultiLineText, ChecksEmptinessAndLength) {
  EXPECT_THAT(MultiLine("", /*required=*/true), ElementsAre("description: must not be empty"));
  EXPECT_THAT(MultiLine("a\nb", false, 2),
              ElementsAre("description: must be at most 2 characters"));
}

TEST(TextRuleBroken, IsEmptyForGoodTextOfEitherKind) {
  EXPECT_EQ(TextRuleBroken("光伏", TextKind::kOneLine), "");
  EXPECT_EQ(TextRuleBroken("a\nb", TextKind::kMultiLine), "");
  EXPECT_NE(TextRuleBroken("a\nb", TextKind::kOneLine), "");
}

}  // namespace
}  // namespace chainhub
