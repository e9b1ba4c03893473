// The calendar and deadline rules as the API and the files carry them: the shipped rules file
// read into the rules it describes, the proto forms read and written back, and every error naming
// its field or line.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/base/status_util.h"
#include "services/support/request_rules.h"

namespace chainhub::support {
namespace {

using ::testing::HasSubstr;

std::string ReadData(const std::string& relative) {
  std::ifstream in(std::string(CHAINHUB_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Allowance Wd(int n) { return Allowance{n, absl::ZeroDuration()}; }
Allowance Clock(absl::Duration d) { return Allowance{0, d}; }

std::vector<std::string> ViolationFields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const FieldViolation& v : FieldViolationsOf(s)) out.push_back(v.field);
  return out;
}

void ExpectSameRule(const DeadlineRule& got, const DeadlineRule& want) {
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.urgent, want.urgent) << want.name;
  EXPECT_EQ(got.tier, want.tier) << want.name;
  EXPECT_EQ(got.tag, want.tag) << want.name;
  EXPECT_EQ(got.contact, want.contact) << want.name;
  EXPECT_EQ(got.interim_reply, want.interim_reply) << want.name;
  EXPECT_EQ(got.close, want.close) << want.name;
}

TEST(SupportRequestRules, TheShippedRulesFileReadsAsTheRulesItDescribes) {
  auto rules = ParseDeadlineRulesYaml(ReadData("data/support/deadline-rules.yaml"));
  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->size(), 3u);
  ExpectSameRule((*rules)[0], {"urgent", true, "", "", Clock(absl::Hours(2)), Wd(1), Wd(2)});
  ExpectSameRule((*rules)[1], {"county", std::nullopt, "COUNTY", "", Wd(1), Wd(3), Wd(10)});
  ExpectSameRule((*rules)[2], {"default", std::nullopt, "", "", Wd(1), Wd(3), Wd(5)});
}

TEST(SupportRequestRules, ARulesFileErrorNamesItsLineAndKey) {
  auto bad_key = ParseDeadlineRulesYaml("rules:\n  - name: a\n    closes: 5wd\n");
  EXPECT_EQ(bad_key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_key.status().message(), HasSubstr("line 3: rules[0]: unknown key 'closes'"));
  auto bad_flag = ParseDeadlineRulesYaml(
      "rules:\n  - name: a\n    urgent: maybe\n    close: 1wd\n  - name: b\n    close: 5wd\n");
  EXPECT_THAT(bad_flag.status().message(), HasSubstr("line 3: rules[0].urgent: must be true"));
  auto bad_allowance = ParseDeadlineRulesYaml("rules:\n  - name: a\n    close: 5 days\n");
  EXPECT_THAT(bad_allowance.status().message(), HasSubstr("line 3: rules[0].close"));
  auto not_yaml = ParseDeadlineRulesYaml("rules: [\n");
  EXPECT_EQ(not_yaml.status().code(), absl::StatusCode::kInvalidArgument);
  auto other = ParseDeadlineRulesYaml("policies: []\n");
  EXPECT_THAT(other.status().message(), HasSubstr("'rules'"));
  // The rules themselves are checked too: the last must catch every request.
  auto no_catch_all =
      ParseDeadlineRulesYaml("rules:\n  - name: a\n    urgent: true\n    close: 1wd\n");
  EXPECT_THAT(ViolationFields(no_catch_all.status()), testing::Contains("rules[0].urgent"));
}

TEST(SupportRequestRules, ProtoRulesReadBackAsTheyWereWritten) {
  std::vector<DeadlineRule> rules = {
      {"land", std::nullopt, "", "用地", Wd(1), Wd(5), Wd(20)},
      {"urgent-county", true, "COUNTY", "", Clock(absl::Minutes(90)), std::nullopt, Wd(3)},
      {"default", std::nullopt, "", "", std::nullopt, Wd(3), Wd(5)}};
  v1::DeadlineRules proto = RulesToProto(rules);
  EXPECT_EQ(proto.rules(1).urgency(), v1::DeadlineRule::URGENT);
  EXPECT_EQ(proto.rules(1).tier(), v1::COUNTY);
  EXPECT_EQ(proto.rules(1).contact(), "90m");
  EXPECT_EQ(proto.rules(1).interim_reply(), "");
  auto back = RulesFromProto(proto, "deadline_rules");
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 3u);
  for (size_t i = 0; i < rules.size(); ++i) ExpectSameRule((*back)[i], rules[i]);
}

TEST(SupportRequestRules, ProtoRuleErrorsNameTheFieldUnderThePrefix) {
  v1::DeadlineRules proto;
  v1::DeadlineRule* a = proto.add_rules();
  a->set_name("a");
  a->set_urgency(v1::DeadlineRule::URGENT);
  a->set_contact("2 hours");
  a->set_close("1wd");
  v1::DeadlineRule* b = proto.add_rules();
  b->set_name("b");
  b->set_tier(static_cast<v1::Tier>(9));
  b->set_close("5wd");
  auto bad = RulesFromProto(proto, "deadline_rules");
  EXPECT_THAT(ViolationFields(bad.status()), testing::ElementsAre("deadline_rules.rules[0].contact",
                                                                  "deadline_rules.rules[1].tier"));
  // Checked by CheckDeadlineRules once every field reads.
  b->set_tier(v1::TIER_UNSPECIFIED);
  a->set_contact("2h");
  b->clear_close();
  auto missing = RulesFromProto(proto, "deadline_rules");
  EXPECT_THAT(ViolationFields(missing.status()),
              testing::ElementsAre("deadline_rules.rules[1].close"));
}

TEST(SupportRequestRules, CalendarDaysReadFromTheProtoAndErrorsNameTheDay) {
  v1::Calendar c;
  auto* d = c.add_days();
  d->set_date("2026-10-01");
  d->set_name("国庆节");
  d = c.add_days();
  d->set_date("2026-10-10");
  d->set_working(true);
  auto calendar = CalendarFromProto(c, "calendar");
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_FALSE(calendar->IsWorkingDay(absl::CivilDay(2026, 10, 1)));
  EXPECT_TRUE(calendar->IsWorkingDay(absl::CivilDay(2026, 10, 10)));
  EXPECT_EQ(CalendarToProto(*calendar).days_size(), 2);

  c.mutable_days(0)->set_date("2026-13-01");
  EXPECT_THAT(ViolationFields(CalendarFromProto(c, "calendar").status()),
              testing::ElementsAre("calendar.days[0].date"));
  c.mutable_days(0)->set_date("2026-10-03");  // a Saturday listed as a holiday
  EXPECT_THAT(ViolationFields(CalendarFromProto(c, "calendar").status()),
              testing::ElementsAre("calendar.days[0].date"));
}

}  // namespace
}  // namespace chainhub::support
