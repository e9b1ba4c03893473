// One row of ImportRequests' CSV read into the request it accepts: cells normalized to names,
// every bad cell reported as "line N: column: rule".
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "common/base/fields.h"
#include "common/files/csv.h"
#include "services/support/request_import.h"

namespace chainhub::support {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 10, 12, 9, 0, 0), ChinaTimeZone());

std::map<std::string, std::string> Cells() {
  return {{"external_id", "12345-0001"},
          {"enterprise", "91341100000000010T"},
          {"chain", "pv"},
          {"title", "组件出口认证"},
          {"description", "需要协调检测机构"},
          {"channel", "hotline"},
          {"tags", " 审批; 出口 ;"},
          {"tier", "CITY"},
          {"urgent", "yes"},
          {"common_to_chain", ""},
          {"assignee", "departments/swj"},
          {"accept_time", "2026-09-25 10:00"}};
}

TEST(SupportRequestImport, ARowIsReadIntoTheRequestWithNamesAndItsAcceptTime) {
  std::vector<std::string> errors;
  auto row = ReadRequestCsvRow(7, Cells(), kNow, &errors);
  ASSERT_TRUE(row.has_value()) << testing::PrintToString(errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(row->line, 7);
  EXPECT_EQ(row->request.enterprise(), "enterprises/91341100000000010T");
  EXPECT_EQ(row->request.chain(), "chains/pv");
  EXPECT_EQ(row->request.channel(), v1::HOTLINE);
  EXPECT_EQ(row->request.tier(), v1::CITY);
  EXPECT_TRUE(row->request.urgent());
  EXPECT_FALSE(row->request.common_to_chain());
  EXPECT_THAT(row->request.tags(), ElementsAre("审批", "出口"));
  ASSERT_TRUE(row->accept_time.has_value());
  EXPECT_EQ(*row->accept_time,
            absl::FromCivil(absl::CivilSecond(2026, 9, 25, 10, 0, 0), ChinaTimeZone()));
}

TEST(SupportRequestImport, AcceptTimeTakesRfc3339AndDefaultsToNone) {
  auto cells = Cells();
  cells["accept_time"] = "2026-09-25T02:00:00Z";
  std::vector<std::string> errors;
  auto row = ReadRequestCsvRow(2, cells, kNow, &errors);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(*row->accept_time,
            absl::FromCivil(absl::CivilSecond(2026, 9, 25, 10, 0, 0), ChinaTimeZone()));
  cells.erase("accept_time");
  row = ReadRequestCsvRow(2, cells, kNow, &errors);
  ASSERT_TRUE(row.has_value());
  EXPECT_FALSE(row->accept_time.has_value());
}

TEST(SupportRequestImport, EveryBadCellIsReportedWithItsLineAndColumn) {
  auto cells = Cells();
  cells["external_id"] = "";
  cells["enterprise"] = "not-a-code";
  cells["channel"] = "fax";
  cells["tier"] = "";
  cells["urgent"] = "maybe";
  cells["accept_time"] = "2027-01-01 10:00";
  cells["title"] = std::string(201, 'x');
  std::vector<std::string> errors;
  EXPECT_FALSE(ReadRequestCsvRow(9, cells, kNow, &errors).has_value());
  EXPECT_THAT(errors, ElementsAre(HasSubstr("line 9: external_id: must not be empty"),
                                  HasSubstr("line 9: enterprise: must be a credit code"),
                                  HasSubstr("line 9: channel: must be VISIT"),
                                  HasSubstr("line 9: tier: must be CITY or COUNTY"),
                                  HasSubstr("line 9: urgent: must be true or false"),
                                  HasSubstr("line 9: accept_time: must not be in the future"),
                                  HasSubstr("line 9: title: must be at most 200")));
}

TEST(SupportRequestImport, ARowCommonToItsChainMustNameTheChain) {
  auto cells = Cells();
  cells["chain"] = "";
  cells["common_to_chain"] = "true";
  cells["assignee"] = "";
  std::vector<std::string> errors;
  EXPECT_FALSE(ReadRequestCsvRow(3, cells, kNow, &errors).has_value());
  EXPECT_THAT(errors, ElementsAre(HasSubstr("line 3: chain: must be set when common_to_chain")));
}

TEST(SupportRequestImport, TheHeaderNamesEveryColumnInAnyOrderAndCase) {
  const std::vector<std::string>& known = RequestCsvColumns();
  auto layout =
      ParseCsvHeader({"Tier", " channel", "TITLE", "enterprise", "external_id", "tags"}, known,
                     kRequiredRequestCsvColumns);
  ASSERT_TRUE(layout.ok()) << layout.status();
  EXPECT_EQ(layout->column.at("tier"), 0u);
  EXPECT_EQ(layout->column.at("tags"), 5u);
  layout = ParseCsvHeader({"external_id", "enterprise", "title", "title", std::string(500, 'x')},
                          known, kRequiredRequestCsvColumns);
  ASSERT_FALSE(layout.ok());
  const std::string message(layout.status().message());
  EXPECT_THAT(message, HasSubstr("column \"title\" appears twice; unknown column \"xxxx"));
  EXPECT_THAT(message, HasSubstr("column \"channel\" is required; column \"tier\" is required"));
  EXPECT_THAT(message, HasSubstr("(known: external_id, enterprise, title, channel, tier"));
  EXPECT_LT(message.size(), 400u);  // a long name is shown cut short
}

TEST(SupportRequestImport, TheRequiredColumnsComeFirst) {
  const std::vector<std::string>& columns = RequestCsvColumns();
  EXPECT_THAT(
      std::vector<std::string>(columns.begin(), columns.begin() + kRequiredRequestCsvColumns),
      ElementsAre("external_id", "enterprise", "title", "channel", "tier"));
}

}  // namespace
}  // namespace chainhub::support
