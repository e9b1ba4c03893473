// ProjectIntake's projects over gRPC (tests/support/intake_fixture.h): create (request_id
// replay), get, update with a FieldMask and an etag, delete (admin only, audited), list with every
// filter field, every order_by and paging, and the checks of chains and nodes against the
// registry's copy — including a chain the registry created after intake started.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"
#include "tests/support/intake_fixture.h"

namespace chainhub::testing {
namespace {

namespace iv1 = ::chainhub::intake::v1;
using grpc::StatusCode;

class IntakeProjects : public SharedIntakeTest<IntakeProjects> {};

TEST_F(IntakeProjects, CreateFillsTheOutputsAndGetReturnsTheSameProject) {
  iv1::Project p = MakeProject("年产10GW高效光伏组件项目");
  p.set_node("chains/pv/nodes/modules");
  iv1::Project created = CreateProject(admin(), p);
  ASSERT_TRUE(absl::StartsWith(created.name(), "projects/")) << created.name();
  EXPECT_EQ(created.stage(), iv1::STAGE_NEGOTIATING);
  EXPECT_EQ(created.stage_dates().negotiating(), "2026-06-01");
  EXPECT_EQ(std::vector<int>(created.size_bands().begin(), created.size_bands().end()),
            (std::vector<int>{iv1::SIZE_BAND_1E8_PLUS, iv1::SIZE_BAND_1E9_TO_2E9}));
  // No override: the registry's mapping of pv for the list in force.
  EXPECT_EQ(
      std::vector<std::string>(created.province_chains().begin(), created.province_chains().end()),
      std::vector<std::string>{"new-energy-low-carbon"});
  EXPECT_EQ(created.province_chains_source(), "chain_default");
  EXPECT_EQ(created.light(), iv1::LIGHT_GREEN);
  EXPECT_FALSE(created.etag().empty());

  iv1::Project got = GetProject(viewer(), created.name());
  EXPECT_EQ(got.SerializeAsString(), created.SerializeAsString()) << got.DebugString();

  iv1::GetProjectRequest missing;
  missing.set_name("projects/0190a0b0-0000-7000-8000-000000000000");
  EXPECT_TRUE(HasCode(viewer().Status(&IntakeStub::GetProject, missing), StatusCode::NOT_FOUND));
}

TEST_F(IntakeProjects, CreateWithTheSameRequestIdReplaysOnlyTheSamePayload) {
  iv1::Project p = MakeProject("来安县储能电站项目");
  iv1::Project first = CreateProject(admin(), p, "create-replay-1");
  iv1::Project again = CreateProject(admin(), p, "create-replay-1");
  EXPECT_EQ(again.name(), first.name());
  EXPECT_EQ(ListAllProjects(viewer(), "display_name = \"来安县储能电站项目\"").size(), 1u);

  iv1::CreateProjectRequest other;
  *other.mutable_project() = p;
  other.mutable_project()->set_total_investment_yuan(2'000'000'000);
  other.set_request_id("create-replay-1");
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::CreateProject, other), "request_id"));
}

TEST_F(IntakeProjects, CreateRefusesAChainOrNodeTheRegistryDoesNotHave) {
  iv1::CreateProjectRequest req;
  *req.mutable_project() = MakeProject("无此产业链项目");
  req.mutable_project()->set_chain("chains/no-such-chain");
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::CreateProject, req), "project.chain"));

  *req.mutable_project() = MakeProject("无此节点项目");
  req.mutable_project()->set_node("chains/pv/nodes/no-such-node");
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::CreateProject, req), "project.node"));

  *req.mutable_project() = MakeProject("未知省产业链项目");
  req.mutable_project()->add_province_chains("next-gen-it");
  req.mutable_project()->add_province_chains("no-such-province-chain");
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::CreateProject, req),
                             "project.province_chains[1]"));

  // A province chain of a published list overrides the default.
  req.mutable_project()->mutable_province_chains()->RemoveLast();
  iv1::Project created;
  ASSERT_TRUE(admin()(&IntakeStub::CreateProject, req, &created).ok());
  EXPECT_EQ(created.province_chains_source(), "override");
  ASSERT_EQ(created.province_chains_size(), 1);
  EXPECT_EQ(created.province_chains(0), "next-gen-it");
}

TEST_F(IntakeProjects, AcceptsAChainTheRegistryCreatedAfterIntakeStarted) {
  fx().CreateRegistryChain("medical", "医药器械");
  fx().CreateRegistryNode("medical", "devices", "医疗器械");
  ASSERT_TRUE(fx().WaitUntilCopyKnows("medical", "devices"));
  iv1::Project p = MakeProject("高端医疗器械产业园项目", "medical");
  p.set_node("chains/medical/nodes/devices");
  iv1::Project created = CreateProject(admin(), p);
  EXPECT_EQ(created.chain(), "chains/medical");
  EXPECT_EQ(created.node(), "chains/medical/nodes/devices");
}

TEST_F(IntakeProjects, AsksTheRegistryAboutAChainWhoseEventItHasNotConsumed) {
  fx().StopConsumer();
  fx().CreateRegistryChain("home-appliance", "智能家电");
  fx().CreateRegistryNode("home-appliance", "compressors", "压缩机");
  ASSERT_FALSE(fx().CopyKnows("home-appliance"));
  iv1::Project p = MakeProject("智能家电压缩机项目", "home-appliance");
  p.set_node("chains/home-appliance/nodes/compressors");
  iv1::Project created = CreateProject(admin(), p);
  EXPECT_EQ(created.chain(), "chains/home-appliance");
  // The registry's answer is kept in the copy.
  EXPECT_TRUE(fx().CopyKnows("home-appliance", "compressors"));
  fx().StartConsumer();
  EXPECT_TRUE(fx().WaitForCopyToCatchUp());
  EXPECT_TRUE(fx().CopyKnows("home-appliance", "compressors"));
}

TEST_F(IntakeProjects, UpdateWritesOnlyTheMaskedFieldsAndRefusesAStaleEtag) {
  iv1::Project created = CreateProject(admin(), MakeProject("光伏玻璃深加工项目"));
  iv1::UpdateProjectRequest req;
  *req.mutable_project() = created;
  req.mutable_project()->set_display_name("光伏玻璃深加工二期项目");
  req.mutable_project()->set_total_investment_yuan(6'000'000'000);  // not in the mask
  req.mutable_update_mask()->add_paths("display_name");
  iv1::Project updated;
  ASSERT_TRUE(admin()(&IntakeStub::UpdateProject, req, &updated).ok());
  EXPECT_EQ(updated.display_name(), "光伏玻璃深加工二期项目");
  EXPECT_EQ(updated.total_investment_yuan(), created.total_investment_yuan());
  EXPECT_NE(updated.etag(), created.etag());
  // The answer is the stored project, etag and times included.
  EXPECT_EQ(GetProject(viewer(), created.name()).SerializeAsString(), updated.SerializeAsString());

  // The first etag is stale now.
  req.mutable_update_mask()->set_paths(0, "total_investment_yuan");
  EXPECT_TRUE(HasCode(admin().Status(&IntakeStub::UpdateProject, req), StatusCode::ABORTED));

  req.mutable_project()->set_etag(updated.etag());
  ASSERT_TRUE(admin()(&IntakeStub::UpdateProject, req, &updated).ok());
  EXPECT_EQ(updated.total_investment_yuan(), 6'000'000'000);
  EXPECT_EQ(updated.display_name(), "光伏玻璃深加工二期项目");
  EXPECT_EQ(std::vector<int>(updated.size_bands().begin(), updated.size_bands().end()),
            (std::vector<int>{iv1::SIZE_BAND_1E8_PLUS, iv1::SIZE_BAND_5E9_PLUS}));

  // Bad values are refused by field; the chain never changes.
  req.mutable_project()->clear_etag();
  req.mutable_project()->set_total_investment_yuan(0);
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::UpdateProject, req),
                             "project.total_investment_yuan"));
  req.mutable_project()->set_chain("chains/nev-battery");
  req.mutable_update_mask()->set_paths(0, "chain");
  EXPECT_TRUE(
      HasCode(admin().Status(&IntakeStub::UpdateProject, req), StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(GetProject(viewer(), created.name()).chain(), "chains/pv");
}

TEST_F(IntakeProjects, AnUpdateWithoutAMaskReplacesTheWritableFieldsAndKeepsTheDefaults) {
  iv1::Project created = CreateProject(admin(), MakeProject("整体更新项目"));
  ASSERT_EQ(created.province_chains_source(), "chain_default");
  // Round trip: read, change one field, send it back whole.
  iv1::UpdateProjectRequest req;
  *req.mutable_project() = created;
  req.mutable_project()->set_park("琅琊经济开发区");
  iv1::Project updated;
  ASSERT_TRUE(admin()(&IntakeStub::UpdateProject, req, &updated).ok());
  EXPECT_EQ(updated.park(), "琅琊经济开发区");
  EXPECT_EQ(updated.display_name(), created.display_name());
  EXPECT_EQ(updated.stage(), created.stage());
  // The province chains it was sent are the defaults it had: still defaults, not an override.
  EXPECT_EQ(updated.province_chains_source(), "chain_default");

  // A node with its own province categories brings them along while they are defaults.
  fx().CreateRegistryNode("pv", "glass", "光伏玻璃", {"next-gen-it"});
  req.Clear();
  *req.mutable_project() = updated;
  req.mutable_project()->set_node("chains/pv/nodes/glass");
  req.mutable_update_mask()->add_paths("node");
  ASSERT_TRUE(admin()(&IntakeStub::UpdateProject, req, &updated).ok());
  EXPECT_EQ(updated.node(), "chains/pv/nodes/glass");
  EXPECT_EQ(
      std::vector<std::string>(updated.province_chains().begin(), updated.province_chains().end()),
      std::vector<std::string>{"next-gen-it"});
  EXPECT_EQ(updated.province_chains_source(), "chain_default");

  // A node of another chain is refused by field.
  req.mutable_project()->set_etag("");
  req.mutable_project()->set_node("chains/nev-battery/nodes/cells");
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::UpdateProject, req), "project.node"));
}

TEST_F(IntakeProjects, AnExternalIdBelongsToOneProject) {
  iv1::Project a = MakeProject("外部编号甲");
  a.set_external_id("ext-unique-a");
  a = CreateProject(admin(), a);
  iv1::CreateProjectRequest req;
  *req.mutable_project() = MakeProject("外部编号乙");
  req.mutable_project()->set_external_id("ext-unique-a");
  EXPECT_TRUE(HasCode(admin().Status(&IntakeStub::CreateProject, req), StatusCode::ALREADY_EXISTS));
  req.mutable_project()->set_external_id("ext-unique-b");
  iv1::Project b;
  ASSERT_TRUE(admin()(&IntakeStub::CreateProject, req, &b).ok());
  iv1::UpdateProjectRequest update;
  *update.mutable_project() = b;
  update.mutable_project()->set_external_id("ext-unique-a");
  update.mutable_update_mask()->add_paths("external_id");
  EXPECT_TRUE(
      HasCode(admin().Status(&IntakeStub::UpdateProject, update), StatusCode::ALREADY_EXISTS));
  req.mutable_project()->set_external_id("bad id with spaces");
  EXPECT_TRUE(
      IsInvalidField(admin().Status(&IntakeStub::CreateProject, req), "project.external_id"));
}

TEST_F(IntakeProjects, DeletingAProjectTakesItsHistoryReportsAndWorkItems) {
  iv1::Project p = CreateProject(admin(), MakeProject("连带删除项目"));
  ASSERT_TRUE(Transition(admin(), p.name(), iv1::STAGE_SIGNED, "2026-06-10").ok());
  ASSERT_TRUE(Report(admin(), p.name(), "2026-06", 1'000'000, 1'000'000).ok());
  iv1::CreateWorkItemRequest item;
  item.mutable_work_item()->set_kind(iv1::WORK_ITEM_KIND_ISSUE);
  item.mutable_work_item()->set_title("连带删除问题");
  item.mutable_work_item()->set_subject(p.name());
  item.mutable_work_item()->set_owner_department(IntakeFixture::kDeptFgw);
  item.mutable_work_item()->set_deadline("2026-07-01");
  iv1::WorkItem w;
  ASSERT_TRUE(admin()(&IntakeStub::CreateWorkItem, item, &w).ok());

  iv1::DeleteProjectRequest del;
  del.set_name(p.name());
  ASSERT_TRUE(admin().Status(&IntakeStub::DeleteProject, del).ok());
  iv1::GetWorkItemRequest get;
  get.set_name(w.name());
  EXPECT_TRUE(HasCode(viewer().Status(&IntakeStub::GetWorkItem, get), StatusCode::NOT_FOUND));
  iv1::ListStageChangesRequest history;
  history.set_parent(p.name());
  EXPECT_TRUE(
      HasCode(viewer().Status(&IntakeStub::ListStageChanges, history), StatusCode::NOT_FOUND));
  EXPECT_TRUE(
      HasCode(Transition(admin(), p.name(), iv1::STAGE_REGISTERED, ""), StatusCode::NOT_FOUND));
  EXPECT_TRUE(HasCode(admin().Status(&IntakeStub::DeleteProject, del), StatusCode::NOT_FOUND));
}

TEST_F(IntakeProjects, RefusesAChainTheRegistryDeleted) {
  fx().CreateRegistryChain("retired", "已撤销链");
  ASSERT_TRUE(fx().WaitUntilCopyKnows("retired"));
  registry::v1::DeleteChainRequest del;
  del.set_name("chains/retired");
  ASSERT_TRUE(fx().RegistryAdmin().Status(&RegistryStub::DeleteChain, del).ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (fx().CopyKnows("retired") && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(20));
  ASSERT_FALSE(fx().CopyKnows("retired"));
  iv1::CreateProjectRequest req;
  *req.mutable_project() = MakeProject("已撤销链项目", "retired");
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::CreateProject, req), "project.chain"));
}

TEST_F(IntakeProjects, DeleteIsAdminOnlyAndAudited) {
  iv1::Project created = CreateProject(admin(), MakeProject("待删除项目"));
  iv1::DeleteProjectRequest req;
  req.set_name(created.name());
  EXPECT_TRUE(
      HasCode(As(IntakeFixture::office_token({"pv"})).Status(&IntakeStub::DeleteProject, req),
              StatusCode::PERMISSION_DENIED));
  req.set_etag("stale-etag");
  EXPECT_TRUE(HasCode(admin().Status(&IntakeStub::DeleteProject, req), StatusCode::ABORTED));
  req.set_etag(created.etag());
  google::protobuf::Empty empty;
  ASSERT_TRUE(admin()(&IntakeStub::DeleteProject, req, &empty, "delete-req-1").ok());

  iv1::GetProjectRequest get;
  get.set_name(created.name());
  EXPECT_TRUE(HasCode(viewer().Status(&IntakeStub::GetProject, get), StatusCode::NOT_FOUND));

  std::vector<common::v1::AuditEvent> rows =
      IntakeAuditRows(admin(), absl::StrCat("resource = \"", created.name(), "\""));
  bool deleted = false, created_row = false;
  for (const auto& r : rows) {
    if (absl::EndsWith(r.method(), "/DeleteProject")) {
      deleted = true;
      EXPECT_EQ(r.principal(), "systems/test-admin");
      EXPECT_EQ(r.request_id(), "delete-req-1");
    }
    created_row |= absl::EndsWith(r.method(), "/CreateProject");
  }
  EXPECT_TRUE(deleted) << "no DeleteProject audit row for " << created.name();
  EXPECT_TRUE(created_row);
  EXPECT_TRUE(
      HasCode(viewer().Status(&IntakeStub::ListAuditEvents, common::v1::ListAuditEventsRequest()),
              StatusCode::PERMISSION_DENIED));
}

// Four projects in 全椒县 (no other test uses it), each different in the filtered fields.
class IntakeProjectFilters : public SharedIntakeTest<IntakeProjectFilters> {
 protected:
  void SetUp() override {
    SharedIntakeTest::SetUp();
    if (HasFatalFailure() || seeded_) return;
    iv1::Project a = MakeProject("全椒甲光伏电池项目", "pv", 1'500'000'000);
    a.set_county("全椒县");
    a.set_park("P1");
    a.set_node("chains/pv/nodes/cells");
    a.mutable_investor()->set_fortune500(true);
    a.set_provincial_key(true);
    a.set_external_id("qj-a");
    CreateProject(admin(), a);
    iv1::Project b = MakeProject("全椒乙人才项目", "pv", 600'000'000);
    b.set_county("全椒县");
    b.set_park("P2");
    b.mutable_investor()->set_origin(iv1::INVESTOR_ORIGIN_IN_PROVINCE);
    b.set_source(iv1::PROJECT_SOURCE_TALENT);
    b.set_responsible_department(IntakeFixture::kDeptJxj);
    b.set_synthetic(true);
    CreateProject(admin(), b);
    iv1::Project c = MakeProject("全椒丙电芯项目", "nev-battery", 12'000'000'000);
    c.set_county("全椒县");
    c.set_park("P1");
    c.set_node("chains/nev-battery/nodes/cells");
    c.mutable_investor()->set_origin(iv1::INVESTOR_ORIGIN_FOREIGN);
    c.set_stage(iv1::STAGE_SIGNED);
    c.mutable_stage_dates()->set_negotiating("2026-01-05");
    c.mutable_stage_dates()->set_signed_("2026-03-01");
    CreateProject(admin(), c);
    iv1::Project d = MakeProject("全椒丁小项目", "nev-battery", 50'000'000);
    d.set_county("全椒县");
    d.set_park("P2");
    d.set_planned_start_date("2026-01-10");  // five months late today: red
    CreateProject(admin(), d);
    seeded_ = true;
  }

  static std::set<std::string> Matching(const std::string& filter) {
    const std::string full = absl::StrCat("county = \"全椒县\" AND ", filter);
    iv1::ListProjectsRequest req;
    req.set_filter(full);
    iv1::ListProjectsResponse resp;
    grpc::Status s = viewer()(&IntakeStub::ListProjects, req, &resp);
    EXPECT_TRUE(s.ok()) << filter << ": " << s.error_message();
    EXPECT_EQ(resp.total_size(), resp.projects_size()) << filter;
    std::set<std::string> out;
    for (const auto& p : resp.projects()) out.insert(p.display_name().substr(6, 3));  // 甲乙丙丁
    return out;
  }

  static inline bool seeded_ = false;
};

using Names = std::set<std::string>;

TEST_F(IntakeProjectFilters, FiltersByEveryField) {
  EXPECT_EQ(Matching("chain = \"pv\""), (Names{"甲", "乙"}));
  EXPECT_EQ(Matching("chain = \"chains/nev-battery\""), (Names{"丙", "丁"}));
  EXPECT_EQ(Matching("node = \"chains/pv/nodes/cells\""), (Names{"甲"}));
  EXPECT_EQ(Matching("park = \"P2\""), (Names{"乙", "丁"}));
  EXPECT_EQ(Matching("stage = \"SIGNED\""), (Names{"丙"}));
  EXPECT_EQ(Matching("stage = \"NEGOTIATING\""), (Names{"甲", "乙", "丁"}));
  EXPECT_EQ(Matching("source = \"TALENT\""), (Names{"乙"}));
  EXPECT_EQ(Matching("size_band = \"1E8_PLUS\""), (Names{"甲", "乙", "丙"}));
  EXPECT_EQ(Matching("size_band = \"5E8_TO_1E9\""), (Names{"乙"}));
  EXPECT_EQ(Matching("size_band = \"1E9_TO_2E9\""), (Names{"甲"}));
  EXPECT_EQ(Matching("size_band = \"2E9_TO_5E9\""), (Names{}));
  EXPECT_EQ(Matching("size_band = \"5E9_PLUS\""), (Names{"丙"}));
  EXPECT_EQ(Matching("size_band = \"1E10_PLUS\""), (Names{"丙"}));
  EXPECT_EQ(Matching("size_band != \"1E8_PLUS\""), (Names{"丁"}));
  EXPECT_EQ(Matching("investor_origin = \"FOREIGN\""), (Names{"丙"}));
  EXPECT_EQ(Matching("investor_origin = \"IN_PROVINCE\""), (Names{"乙"}));
  EXPECT_EQ(Matching("investor_origin = \"OUT_OF_PROVINCE\""), (Names{"甲", "丁"}));
  EXPECT_EQ(Matching("fortune500 = true"), (Names{"甲"}));
  EXPECT_EQ(Matching("provincial_key = true"), (Names{"甲"}));
  EXPECT_EQ(Matching("synthetic = true"), (Names{"乙"}));
  EXPECT_EQ(Matching("light = \"RED\""), (Names{"丁"}));
  EXPECT_EQ(Matching("light = \"GREEN\""), (Names{"甲", "乙", "丙"}));
  EXPECT_EQ(Matching("responsible_department = \"departments/jxj\""), (Names{"乙"}));
  EXPECT_EQ(Matching("total_investment_yuan >= 1000000000"), (Names{"甲", "丙"}));
  EXPECT_EQ(Matching("display_name:\"人才\""), (Names{"乙"}));
  EXPECT_EQ(Matching("external_id = \"qj-a\""), (Names{"甲"}));
  EXPECT_EQ(Matching("chain = \"pv\" AND size_band = \"1E9_TO_2E9\" AND light = \"GREEN\""),
            (Names{"甲"}));

  iv1::ListProjectsRequest bad;
  bad.set_filter("no_such_field = 1");
  grpc::Status s = viewer().Status(&IntakeStub::ListProjects, bad);
  EXPECT_TRUE(HasCode(s, StatusCode::INVALID_ARGUMENT));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "size_band")) << s.error_message();
  bad.set_filter("size_band = \"3E8_PLUS\"");
  EXPECT_TRUE(
      HasCode(viewer().Status(&IntakeStub::ListProjects, bad), StatusCode::INVALID_ARGUMENT));
}

TEST_F(IntakeProjectFilters, OrdersByEveryKey) {
  auto order = [](const std::string& order_by) {
    std::string out;
    for (const auto& p : ListAllProjects(viewer(), "county = \"全椒县\"", order_by, 2)) {
      out += p.display_name().substr(6, 3);
    }
    return out;
  };
  EXPECT_EQ(order(""), "甲乙丙丁");
  EXPECT_EQ(order("create_time desc"), "丁丙乙甲");
  EXPECT_EQ(order("total_investment_yuan"), "丁乙甲丙");
  EXPECT_EQ(order("total_investment_yuan desc"), "丙甲乙丁");
  // NEGOTIATING (1) before SIGNED (2); ties by id (UUIDv7: creation order to the millisecond).
  const std::string by_stage = order("stage");
  ASSERT_EQ(by_stage.size(), 12u);
  EXPECT_EQ(by_stage.substr(9), "丙");
  EXPECT_EQ(order("stage desc").substr(0, 3), "丙");
  // Byte order of the UTF-8 names: 丁 (U+4E01) < 丙 (U+4E19) < 乙 (U+4E59) < 甲 (U+7532).
  EXPECT_EQ(order("display_name"), "丁丙乙甲");
  iv1::ListProjectsRequest bad;
  bad.set_order_by("county");
  EXPECT_TRUE(
      HasCode(viewer().Status(&IntakeStub::ListProjects, bad), StatusCode::INVALID_ARGUMENT));
}

TEST_F(IntakeProjects, PagesThroughOneHundredTwentyProjectsSeeingEachOnce) {
  for (int i = 0; i < 120; ++i) {
    iv1::Project p = MakeProject(absl::StrCat("南谯区批量项目", i), "pv", 100'000'000 + i * 1000);
    p.set_county("南谯区");
    CreateProject(admin(), p);
  }
  for (const std::string order_by : {"", "total_investment_yuan desc"}) {
    iv1::ListProjectsRequest req;
    req.set_filter("county = \"南谯区\"");
    req.set_order_by(order_by);
    req.set_page_size(50);
    std::vector<int> page_sizes;
    std::set<std::string> seen;
    std::vector<int64_t> totals;
    for (int page = 0; page < 10; ++page) {
      iv1::ListProjectsResponse resp;
      ASSERT_TRUE(viewer()(&IntakeStub::ListProjects, req, &resp).ok());
      EXPECT_EQ(resp.total_size(), 120);
      page_sizes.push_back(resp.projects_size());
      for (const auto& p : resp.projects()) {
        EXPECT_TRUE(seen.insert(p.name()).second) << p.name() << " seen twice";
        totals.push_back(p.total_investment_yuan());
      }
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    EXPECT_EQ(page_sizes, (std::vector<int>{50, 50, 20})) << order_by;
    EXPECT_EQ(seen.size(), 120u) << order_by;
    if (!order_by.empty()) {
      EXPECT_TRUE(std::is_sorted(totals.rbegin(), totals.rend())) << order_by;
    }
  }
}

}  // namespace
}  // namespace chainhub::testing
