// The sample data under data/assessment/ (what the main job loads) parses, validates, and writes
// back to YAML that reads as the same scheme. The rules and the file format themselves are tested
// in assessment_scheme_rules_test.cc and assessment_scheme_file_test.cc.
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/assessment/methods.h"
#include "services/assessment/scheme_file.h"
#include "services/assessment/scheme_rules.h"

namespace chainhub::assessment {
namespace {

std::string ReadData(const std::string& relative) {
  std::ifstream in(std::string(CHAINHUB_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Rules(const std::vector<FieldViolation>& violations) {
  std::string out;
  for (const auto& v : violations) absl::StrAppend(&out, v.field, ": ", v.rule, "\n");
  return out;
}

class AssessmentSchemeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto indicators = ParseIndicatorsFile(ReadData("data/assessment/indicators.yaml"));
    ASSERT_TRUE(indicators.ok()) << indicators.status();
    for (auto& i : *indicators) indicators_[i.name()] = i;
    auto scheme = ParseSchemeFile(ReadData("data/assessment/scheme-2026.yaml"));
    ASSERT_TRUE(scheme.ok()) << scheme.status();
    scheme_ = *scheme;
  }

  std::vector<FieldViolation> Check(const v1::Scheme& scheme) {
    std::vector<FieldViolation> v;
    CheckScheme(
        scheme,
        [&](const std::string& name) -> const v1::Indicator* {
          auto it = indicators_.find(name);
          return it == indicators_.end() ? nullptr : &it->second;
        },
        &v);
    return v;
  }

  std::map<std::string, v1::Indicator> indicators_;
  v1::Scheme scheme_;
};

TEST_F(AssessmentSchemeTest, TheSampleDataParsesAndValidates) {
  EXPECT_GE(indicators_.size(), 10u);
  for (const auto& [name, indicator] : indicators_) {
    std::vector<FieldViolation> v;
    CheckIndicator(indicator, "indicator", &v);
    EXPECT_TRUE(v.empty()) << name << "\n" << Rules(v);
  }
  EXPECT_EQ(scheme_.name(), "schemes/chain-2026");
  EXPECT_TRUE(scheme_.sample());
  EXPECT_DOUBLE_EQ(scheme_.quarter_weight(), 0.7);
  EXPECT_EQ(scheme_.subjects_size(), 8);
  const auto v = Check(scheme_);
  EXPECT_TRUE(v.empty()) << Rules(v);
}

TEST_F(AssessmentSchemeTest, SchemeToYamlRoundTrips) {
  const std::string yaml = SchemeToYaml(scheme_);
  auto back = ParseSchemeFile(yaml);
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << yaml;
  EXPECT_EQ(back->SerializeAsString(), scheme_.SerializeAsString()) << yaml;
  EXPECT_EQ(SchemeContentKey(*back), SchemeContentKey(scheme_));
  // A version number does not change the content.
  v1::Scheme versioned = scheme_;
  versioned.set_version(7);
  EXPECT_EQ(SchemeContentKey(versioned), SchemeContentKey(scheme_));
  versioned.mutable_items(0)->set_points(21);
  EXPECT_NE(SchemeContentKey(versioned), SchemeContentKey(scheme_));
}

}  // namespace
}  // namespace chainhub::assessment
