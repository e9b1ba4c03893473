#include "common/base/credit_code.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace chainhub {
namespace {

// An independent statement of GB 32100-2015 §5 for building test codes: the weight of position i
// (1-based) is 3^(i-1) mod 31, computed here by repeated multiplication rather than a table.
char ReferenceCheckChar(const std::string& first17) {
  const std::string charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  int sum = 0;
  int weight = 1;
  for (char c : first17) {
    sum += static_cast<int>(charset.find(c)) * weight;
    weight = weight * 3 % 31;
  }
  int check = (31 - sum % 31) % 31;
  return charset[check];
}

std::string WithCheckChar(const std::string& first17) {
  return first17 + ReferenceCheckChar(first17);
}

std::string ErrorOf(const std::string& code) {
  absl::Status status = ValidateCreditCode(code);
  EXPECT_FALSE(status.ok()) << code;
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << code;
  return std::string(status.message());
}

TEST(ValidateCreditCode, AcceptsRealPublishedCodes) {
  // 阿里巴巴（中国）有限公司 and 深圳市腾讯计算机系统有限公司, as on their business licences.
  EXPECT_TRUE(ValidateCreditCode("91330100716105852F").ok());
  EXPECT_TRUE(ValidateCreditCode("9144030071526726XG").ok());
}

TEST(ValidateCreditCode, AcceptsCodesBuiltWithTheStandardsAlgorithm) {
  for (const std::string first17 :
       {"91341100MA2N0A1B2", "92341181MA8P4Q5R6", "12341100003012345", "51341100MJ0012345",
        "Y1341126000000000", "91341102WXY123456"}) {
    std::string code = WithCheckChar(first17);
    EXPECT_TRUE(ValidateCreditCode(code).ok()) << code;
  }
}

TEST(CreditCodeCheckChar, MatchesTheReferenceForEveryCharacterAtEveryPosition) {
  const std::string charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string base = "91341100MA2N0A1B2";
  for (size_t pos = 0; pos < 17; ++pos) {
    for (char c : charset) {
      std::string first17 = base;
      first17[pos] = c;
      EXPECT_EQ(CreditCodeCheckChar(first17), ReferenceCheckChar(first17)) << first17;
    }
  }
}

TEST(CreditCodeCheckChar, IsEmptyForCharactersOutsideTheSetOrTheWrongLength) {
  EXPECT_EQ(CreditCodeCheckChar("91341100MA2N0A1BI"), std::nullopt);
  EXPECT_EQ(CreditCodeCheckChar("91341100MA2N0A1B"), std::nullopt);
  EXPECT_EQ(CreditCodeCheckChar("91341100MA2N0A1B23"), std::nullopt);
}

TEST(CreditCodeCheckChar, WritesThirtyOneAsZero) {
  // Search for a prefix whose sum is a multiple of 31, so the check value is 31 → '0'.
  std::string first17 = "91341100MA2N0A1B0";
  const std::string charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  for (char c : charset) {
    first17[16] = c;
    if (ReferenceCheckChar(first17) == '0') break;
  }
  ASSERT_EQ(ReferenceCheckChar(first17), '0');
  EXPECT_EQ(CreditCodeCheckChar(first17), '0');
  EXPECT_TRUE(ValidateCreditCode(first17 + "0").ok());
}

TEST(ValidateCreditCode, RejectsTheWrongLength) {
  EXPECT_EQ(ErrorOf("9133010071610585"), "credit_code: must be 18 characters, got 16");
  EXPECT_EQ(ErrorOf("91330100716105852"), "credit_code: must be 18 characters, got 17");
  EXPECT_EQ(ErrorOf("91330100716105852F0"), "credit_code: must be 18 characters, got 19");
  EXPECT_EQ(ErrorOf(""), "credit_code: must be 18 characters, got 0");
}

TEST(ValidateCreditCode, CountsCharactersNotBytesForTheLength) {
  // 17 ASCII characters and a full-width Ｆ (3 bytes): 18 characters, reported as a character.
  EXPECT_EQ(ErrorOf("91330100716105852Ｆ"),
            "credit_code: character 'Ｆ' at position 18 is not allowed (only digits and "
            "upper-case letters other than I, O, S, V, Z)");
}

TEST(ValidateCreditCode, RejectsLettersTheStandardNeverUses) {
  EXPECT_EQ(ErrorOf("9134I100MA2N0A1B2X"),
            "credit_code: character 'I' at position 5 is not allowed (I, O, S, V, Z are never "
            "used)");
  for (char c : std::string("IOSVZ")) {
    std::string code = WithCheckChar("91341100MA2N0A1B2");
    code[9] = c;
    EXPECT_THAT(ErrorOf(code), ::testing::HasSubstr("at position 10 is not allowed (I, O, S"));
  }
}

TEST(ValidateCreditCode, RejectsLowerCase) {
  EXPECT_EQ(ErrorOf("91330100716105852f"),
            "credit_code: character 'f' at position 18 must be upper case");
}

TEST(ValidateCreditCode, RejectsPunctuationAndControlBytes) {
  EXPECT_EQ(ErrorOf("91330100-16105852F"),
            "credit_code: character '-' at position 9 is not allowed (only digits and "
            "upper-case letters other than I, O, S, V, Z)");
  EXPECT_THAT(ErrorOf(std::string("9133010071610585\0F", 18)),
              ::testing::HasSubstr("character '\\x00' at position 17"));
}

TEST(ValidateCreditCode, CountsAStrayByteAsOneCharacter) {
  // Bytes that are not UTF-8 (continuation bytes on their own) count as one character each; the
  // first is reported escaped, so the message stays valid UTF-8.
  EXPECT_EQ(ErrorOf("913301007161059\25501\246"), "credit_code: must be 18 characters, got 19");
  EXPECT_EQ(ErrorOf("91330100716105\25501\246"),
            "credit_code: character '\\xad' at position 15 is not allowed (only digits and "
            "upper-case letters other than I, O, S, V, Z)");
}

TEST(ValidateCreditCode, RequiresADigitDivisionCode) {
  std::string code = WithCheckChar("9134A100MA2N0A1B2");
  EXPECT_EQ(ErrorOf(code),
            "credit_code: positions 3-8 must be a 6-digit administrative division code");
  code = WithCheckChar("9134110AMA2N0A1B2");
  EXPECT_EQ(ErrorOf(code),
            "credit_code: positions 3-8 must be a 6-digit administrative division code");
}

TEST(ValidateCreditCode, RejectsAWrongCheckCharacter) {
  EXPECT_EQ(ErrorOf("91330100716105852G"), "credit_code: check character should be 'F', got 'G'");
  // A single changed character (a typo) is always caught.
  std::string code = "91330100716105852F";
  code[10] = '7';
  EXPECT_THAT(ErrorOf(code), ::testing::HasSubstr("check character should be"));
}

TEST(ValidateCreditCode, NamesTheFieldItWasGiven) {
  absl::Status status = ValidateCreditCode("X", "enterprise.credit_code");
  EXPECT_EQ(status.message(), "enterprise.credit_code: must be 18 characters, got 1");
}

}  // namespace
}  // namespace chainhub
