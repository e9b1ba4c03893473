// ProjectIntake.ImportProjects over a real client stream: good and bad rows with per-row results
// naming the field, a retried import that changes nothing, a row that moves a project's stage
// forward, validate_only, rows a chain office may not write, and the 10,000-row limit.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"
#include "tests/support/intake_fixture.h"

namespace chainhub::testing {
namespace {

namespace iv1 = ::chainhub::intake::v1;
using grpc::StatusCode;

struct ImportCall {
  grpc::Status status;
  iv1::ImportProjectsResponse response;
};

// One ImportProjects call: a header, then the rows numbered from 2 (as CSV lines under a header).
ImportCall Import(const IntakeCaller& as, const std::vector<iv1::Project>& rows,
                  bool validate_only = false, const std::string& source = "projects.csv") {
  ImportCall out;
  auto ctx = ContextWithToken(as.token());
  auto writer = as.stub().ImportProjects(ctx.get(), &out.response);
  iv1::ImportProjectsRequest msg;
  msg.mutable_header()->set_validate_only(validate_only);
  msg.mutable_header()->set_source(source);
  bool open = writer->Write(msg);
  for (size_t i = 0; open && i < rows.size(); ++i) {
    msg.Clear();
    msg.mutable_row()->set_row_number(static_cast<int>(i) + 2);
    *msg.mutable_row()->mutable_project() = rows[i];
    open = writer->Write(msg);
  }
  writer->WritesDone();
  out.status = writer->Finish();
  return out;
}

iv1::Project Row(const std::string& external_id, const std::string& display_name,
                 const std::string& chain = "pv") {
  iv1::Project p = MakeProject(display_name, chain);
  p.set_external_id(external_id);
  p.set_county("天长市");
  p.mutable_stage_dates()->set_negotiating("2026-01-05");
  return p;
}

class IntakeImport : public SharedIntakeTest<IntakeImport> {};

TEST_F(IntakeImport, AppliesGoodRowsAndReportsEachBadRowByField) {
  std::vector<iv1::Project> rows;
  rows.push_back(Row("imp-1", "导入项目一"));
  rows.push_back(Row("imp-bad-name", ""));
  rows.push_back(Row("imp-bad-chain", "导入项目无链", "no-such-chain"));
  rows.push_back(Row("", "导入项目无编号"));
  iv1::Project signed_row = Row("imp-2", "导入项目二", "nev-battery");
  signed_row.set_stage(iv1::STAGE_SIGNED);
  signed_row.mutable_stage_dates()->set_signed_("2026-02-01");
  rows.push_back(signed_row);

  ImportCall first = Import(admin(), rows);
  ASSERT_TRUE(first.status.ok()) << first.status.error_message();
  const iv1::ImportProjectsResponse& r = first.response;
  EXPECT_EQ(r.row_count(), 5);
  EXPECT_EQ(r.created_count(), 2);
  EXPECT_EQ(r.failed_count(), 3);
  ASSERT_EQ(r.results_size(), 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(r.results(i).row_number(), i + 2);
  EXPECT_EQ(r.results(0).outcome(), "CREATED");
  EXPECT_TRUE(absl::StartsWith(r.results(0).project(), "projects/"));
  EXPECT_EQ(r.results(1).code(), 3);
  EXPECT_TRUE(absl::StrContains(r.results(1).message(), "project.display_name"))
      << r.results(1).message();
  EXPECT_EQ(r.results(2).code(), 3);
  EXPECT_TRUE(absl::StrContains(r.results(2).message(), "project.chain")) << r.results(2).message();
  EXPECT_EQ(r.results(3).code(), 3);
  EXPECT_TRUE(absl::StrContains(r.results(3).message(), "project.external_id"))
      << r.results(3).message();
  EXPECT_EQ(r.results(4).outcome(), "CREATED");
  iv1::Project imported = GetProject(viewer(), r.results(4).project());
  EXPECT_EQ(imported.stage(), iv1::STAGE_SIGNED);
  EXPECT_EQ(imported.stage_dates().signed_(), "2026-02-01");
  EXPECT_EQ(imported.external_id(), "imp-2");

  // The same import again creates nothing twice.
  ImportCall retry = Import(admin(), rows);
  ASSERT_TRUE(retry.status.ok()) << retry.status.error_message();
  EXPECT_EQ(retry.response.created_count(), 0);
  EXPECT_EQ(retry.response.updated_count(), 0);
  EXPECT_EQ(retry.response.unchanged_count(), 2);
  EXPECT_EQ(retry.response.failed_count(), 3);
  EXPECT_EQ(retry.response.results(0).outcome(), "UNCHANGED");
  EXPECT_EQ(retry.response.results(0).project(), r.results(0).project());
  EXPECT_EQ(ListAllProjects(viewer(), "external_id = \"imp-1\"").size(), 1u);
  EXPECT_EQ(ListAllProjects(viewer(), "external_id = \"imp-2\"").size(), 1u);

  // A row that repeats the province chains the project has (an export imported back) is
  // unchanged too; another chain for an existing project is refused by field.
  iv1::Project exported = rows[0];
  exported.add_province_chains("new-energy-low-carbon");
  iv1::Project moved_chain = rows[4];
  moved_chain.set_chain("chains/pv");
  ImportCall repeat = Import(admin(), {exported, moved_chain});
  ASSERT_TRUE(repeat.status.ok()) << repeat.status.error_message();
  ASSERT_EQ(repeat.response.results_size(), 2);
  EXPECT_EQ(repeat.response.results(0).outcome(), "UNCHANGED");
  EXPECT_EQ(repeat.response.results(1).code(), 3);
  EXPECT_TRUE(absl::StrContains(repeat.response.results(1).message(), "project.chain"))
      << repeat.response.results(1).message();

  // The audit trail names the import's source.
  bool audited = false;
  for (const auto& row :
       IntakeAuditRows(admin(), absl::StrCat("resource = \"", r.results(0).project(), "\""))) {
    audited |= absl::StrContains(row.detail(), "projects.csv");
  }
  EXPECT_TRUE(audited);
}

TEST_F(IntakeImport, ARowMovesAnExistingProjectForwardButNeverBack) {
  ImportCall created = Import(admin(), {Row("imp-3", "导入推进项目")});
  ASSERT_TRUE(created.status.ok()) << created.status.error_message();
  ASSERT_EQ(created.response.created_count(), 1);
  const std::string name = created.response.results(0).project();

  iv1::Project forward = Row("imp-3", "导入推进项目");
  forward.set_stage(iv1::STAGE_REGISTERED);
  forward.mutable_stage_dates()->set_signed_("2026-02-01");
  forward.mutable_stage_dates()->set_registered("2026-03-01");
  forward.set_park("苏滁现代产业园");  // a descriptive change too
  ImportCall moved = Import(admin(), {forward});
  ASSERT_TRUE(moved.status.ok()) << moved.status.error_message();
  EXPECT_EQ(moved.response.updated_count(), 1);
  EXPECT_EQ(moved.response.results(0).outcome(), "UPDATED");
  iv1::Project p = GetProject(viewer(), name);
  EXPECT_EQ(p.stage(), iv1::STAGE_REGISTERED);
  EXPECT_EQ(p.stage_dates().registered(), "2026-03-01");
  EXPECT_EQ(p.park(), "苏滁现代产业园");
  iv1::ListStageChangesRequest history;
  history.set_parent(name);
  iv1::ListStageChangesResponse changes;
  ASSERT_TRUE(viewer()(&IntakeStub::ListStageChanges, history, &changes).ok());
  ASSERT_EQ(changes.stage_changes_size(), 3);
  EXPECT_EQ(changes.stage_changes(1).to_stage(), iv1::STAGE_SIGNED);
  EXPECT_EQ(changes.stage_changes(2).effective_date(), "2026-03-01");

  // The same row again is unchanged; a row behind the project fails alone.
  ImportCall again = Import(admin(), {forward});
  EXPECT_EQ(again.response.unchanged_count(), 1);
  iv1::Project back = forward;
  back.set_stage(iv1::STAGE_SIGNED);
  back.mutable_stage_dates()->clear_registered();
  ImportCall behind = Import(admin(), {back, Row("imp-4", "导入项目四")});
  ASSERT_TRUE(behind.status.ok()) << behind.status.error_message();
  ASSERT_EQ(behind.response.results_size(), 2);
  EXPECT_EQ(behind.response.results(0).code(), 9);
  EXPECT_TRUE(absl::StrContains(behind.response.results(0).message(), "project.stage"))
      << behind.response.results(0).message();
  EXPECT_EQ(behind.response.results(1).outcome(), "CREATED");
  EXPECT_EQ(GetProject(viewer(), name).stage(), iv1::STAGE_REGISTERED);

  // A forward move missing a date names it.
  iv1::Project gap = forward;
  gap.set_stage(iv1::STAGE_STARTED);
  ImportCall missing = Import(admin(), {gap});
  ASSERT_EQ(missing.response.results_size(), 1);
  EXPECT_EQ(missing.response.results(0).code(), 3);
  EXPECT_TRUE(
      absl::StrContains(missing.response.results(0).message(), "project.stage_dates.started"))
      << missing.response.results(0).message();
}

TEST_F(IntakeImport, CommitsLargeImportsInBatchesAndTakesARepeatedRowOnce) {
  std::vector<iv1::Project> rows;
  for (int i = 0; i < intake::kImportBatchRows + 10; ++i) {
    rows.push_back(Row(absl::StrCat("imp-batch-", i), absl::StrCat("批量导入项目", i)));
    rows.back().set_county("明光市");
  }
  rows.push_back(rows[0]);  // the same project twice in one call
  ImportCall call = Import(admin(), rows);
  ASSERT_TRUE(call.status.ok()) << call.status.error_message();
  EXPECT_EQ(call.response.row_count(), intake::kImportBatchRows + 11);
  EXPECT_EQ(call.response.created_count(), intake::kImportBatchRows + 10);
  EXPECT_EQ(call.response.unchanged_count(), 1);
  EXPECT_EQ(call.response.results().rbegin()->project(), call.response.results(0).project());
  iv1::ListProjectsRequest list;
  list.set_filter("county = \"明光市\"");
  iv1::ListProjectsResponse listed;
  ASSERT_TRUE(viewer()(&IntakeStub::ListProjects, list, &listed).ok());
  EXPECT_EQ(listed.total_size(), intake::kImportBatchRows + 10);
}

TEST_F(IntakeImport, ValidateOnlyChecksEveryRowAndWritesNothing) {
  iv1::Project bad = Row("imp-validate-bad", "校验项目坏");
  bad.set_total_investment_yuan(-5);
  ImportCall check = Import(admin(), {Row("imp-validate-1", "校验项目"), bad}, true);
  ASSERT_TRUE(check.status.ok()) << check.status.error_message();
  EXPECT_EQ(check.response.created_count(), 1);
  EXPECT_EQ(check.response.failed_count(), 1);
  EXPECT_TRUE(
      absl::StrContains(check.response.results(1).message(), "project.total_investment_yuan"))
      << check.response.results(1).message();
  EXPECT_TRUE(ListAllProjects(viewer(), "external_id = \"imp-validate-1\"").empty());

  // An existing project's forward move is reported, not made.
  ASSERT_EQ(Import(admin(), {Row("imp-validate-2", "校验推进项目")}).response.created_count(), 1);
  iv1::Project forward = Row("imp-validate-2", "校验推进项目");
  forward.set_stage(iv1::STAGE_SIGNED);
  forward.mutable_stage_dates()->set_signed_("2026-02-01");
  ImportCall dry = Import(admin(), {forward}, true);
  ASSERT_EQ(dry.response.results_size(), 1);
  EXPECT_EQ(dry.response.results(0).outcome(), "UPDATED");
  std::vector<iv1::Project> now = ListAllProjects(viewer(), "external_id = \"imp-validate-2\"");
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].stage(), iv1::STAGE_NEGOTIATING);

  // The header comes first and once.
  iv1::ImportProjectsResponse resp;
  auto ctx = ContextWithToken(admin().token());
  auto writer = admin().stub().ImportProjects(ctx.get(), &resp);
  iv1::ImportProjectsRequest msg;
  *msg.mutable_row()->mutable_project() = Row("imp-header-late", "头部在后");
  writer->Write(msg);
  msg.Clear();
  msg.mutable_header()->set_validate_only(true);
  writer->Write(msg);
  writer->WritesDone();
  EXPECT_TRUE(IsInvalidField(writer->Finish(), "header"));
}

TEST_F(IntakeImport, ARowTheCallerMayNotWriteFailsAlone) {
  ImportCall call = Import(As(IntakeFixture::office_token({"nev-battery"})),
                           {Row("imp-office-pv", "光伏行不可写", "pv"),
                            Row("imp-office-nev", "电池行可写", "nev-battery")});
  ASSERT_TRUE(call.status.ok()) << call.status.error_message();
  ASSERT_EQ(call.response.results_size(), 2);
  EXPECT_EQ(call.response.results(0).code(), 7);
  EXPECT_EQ(call.response.results(1).outcome(), "CREATED");
  EXPECT_TRUE(
      HasCode(Import(viewer(), {Row("imp-viewer", "只读")}).status, StatusCode::PERMISSION_DENIED));
}

TEST_F(IntakeImport, MoreThanTenThousandRowsIsResourceExhaustedAndKeepsTheRowsBefore) {
  // One good row, then rows that fail fast (no external_id) up to one past the limit: the limit
  // is what is tested, not the cost of 10,000 creates.
  std::vector<iv1::Project> rows;
  rows.push_back(Row("imp-limit-1", "限额前项目"));
  iv1::Project cheap;
  cheap.set_display_name("x");
  rows.resize(intake::kMaxImportRows + 1, cheap);
  ImportCall call = Import(admin(), rows);
  EXPECT_TRUE(HasCode(call.status, StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_TRUE(absl::StrContains(call.status.error_message(), "10000"))
      << call.status.error_message();
  EXPECT_EQ(ListAllProjects(viewer(), "external_id = \"imp-limit-1\"").size(), 1u);
}

}  // namespace
}  // namespace chainhub::testing
