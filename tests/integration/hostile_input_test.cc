// The hostile-input catalogue (tests/support/hostile_input.h) sent to every method of
// ChainRegistry and ProjectIntake. Every call must end in a proper refusal (or, for a read, an
// ordinary answer), with a short message, and nothing may change in either service.
#include "tests/support/hostile_input.h"

#include <string>
#include <vector>

#include <google/protobuf/stubs/logging.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/base/credit_code.h"
#include "common/base/status_util.h"
#include "tests/support/intake_fixture.h"

namespace chainhub::testing {
namespace {

constexpr char kRegistryService[] = "chainhub.registry.v1.ChainRegistry";
constexpr char kIntakeService[] = "chainhub.intake.v1.ProjectIntake";

class HostileInputTest : public SharedIntakeTest<HostileInputTest> {
 protected:
  // Everything a hostile call could have changed, as text: both audit trails and every resource
  // either service lists.
  static std::string Snapshot() {
    std::string out;
    auto reg = fx().RegistryAdmin();
    auto in = fx().IntakeAdmin();
    for (const auto& row : AuditRowsOf(reg, "")) absl::StrAppend(&out, row.DebugString());
    for (const auto& row : AuditRowsOf(in, "")) absl::StrAppend(&out, row.DebugString());
    namespace rv1 = registry::v1;
    namespace iv1 = intake::v1;
    {
      rv1::ListChainsRequest req;
      req.set_page_size(1000);
      rv1::ListChainsResponse resp;
      EXPECT_TRUE(reg(&RegistryStub::ListChains, req, &resp).ok());
      resp.clear_chains();  // the chains themselves come with their maps below; total_size stays
      absl::StrAppend(&out, resp.DebugString());
      for (const char* chain : {"chains/pv", "chains/nev-battery"}) {
        rv1::GetChainMapRequest map_req;
        map_req.set_name(chain);
        rv1::ChainMap map;
        EXPECT_TRUE(reg(&RegistryStub::GetChainMap, map_req, &map).ok());
        absl::StrAppend(&out, map.DebugString());
        rv1::GetChainRequest chain_req;
        chain_req.set_name(chain);
        rv1::Chain c;
        EXPECT_TRUE(reg(&RegistryStub::GetChain, chain_req, &c).ok());
        absl::StrAppend(&out, c.DebugString());
      }
    }
    {
      rv1::ListDepartmentsRequest req;
      req.set_page_size(1000);
      rv1::ListDepartmentsResponse resp;
      EXPECT_TRUE(reg(&RegistryStub::ListDepartments, req, &resp).ok());
      absl::StrAppend(&out, resp.DebugString());
    }
    {
      rv1::ListEnterprisesRequest req;
      req.set_page_size(1000);
      rv1::ListEnterprisesResponse resp;
      EXPECT_TRUE(reg(&RegistryStub::ListEnterprises, req, &resp).ok());
      absl::StrAppend(&out, resp.DebugString());
    }
    {
      rv1::ListProvinceListsResponse lists;
      EXPECT_TRUE(
          reg(&RegistryStub::ListProvinceLists, rv1::ListProvinceListsRequest(), &lists).ok());
      absl::StrAppend(&out, lists.DebugString());
      rv1::ListChainProvinceMappingsResponse mappings;
      EXPECT_TRUE(reg(&RegistryStub::ListChainProvinceMappings,
                      rv1::ListChainProvinceMappingsRequest(), &mappings)
                      .ok());
      absl::StrAppend(&out, mappings.DebugString());
    }
    for (const auto& p : ListAllProjects(in, "")) absl::StrAppend(&out, p.DebugString());
    {
      iv1::ListWorkItemsRequest req;
      req.set_page_size(1000);
      iv1::ListWorkItemsResponse resp;
      EXPECT_TRUE(in(&IntakeStub::ListWorkItems, req, &resp).ok());
      absl::StrAppend(&out, resp.DebugString());
      iv1::LightRules rules;
      EXPECT_TRUE(in(&IntakeStub::GetLightRules, iv1::GetLightRulesRequest(), &rules).ok());
      absl::StrAppend(&out, rules.DebugString());
    }
    return out;
  }

  // Something in both services for the hostile calls to aim at: a project with a stage change,
  // a progress report and a work item (the registry is seeded by the fixture).
  static void SeedIntake() {
    if (seeded_) return;
    auto in = fx().IntakeAdmin();
    project_ = CreateProject(in, MakeProject("年产10GW高效光伏组件项目"), "hostile-seed").name();
    ASSERT_FALSE(project_.empty());
    ASSERT_TRUE(Report(in, project_, "2026-05", 100, 100).ok());
    intake::v1::CreateWorkItemRequest item;
    item.mutable_work_item()->set_kind(intake::v1::WORK_ITEM_KIND_ISSUE);
    item.mutable_work_item()->set_title("用地指标");
    item.mutable_work_item()->set_subject(project_);
    item.mutable_work_item()->set_owner_department(IntakeFixture::kDeptFgw);
    item.mutable_work_item()->set_deadline("2026-07-01");
    intake::v1::WorkItem created;
    ASSERT_TRUE(in(&IntakeStub::CreateWorkItem, item, &created).ok());
    work_item_ = created.name();
    seeded_ = true;
  }

  static inline bool seeded_ = false;
  static inline std::string project_;
  static inline std::string work_item_;
};

common::v1::Person Someone() {
  common::v1::Person p;
  p.set_name("王强");
  p.set_title("副市长");
  p.set_organization("市人民政府");
  p.set_contact("0550-3021234");
  return p;
}

std::string ValidCreditCode() {
  const std::string first17 = "91341100MA2N0H0K5";
  return first17 + *CreditCodeCheckChar(first17);
}

TEST_F(HostileInputTest, EveryRegistryTextFieldRefusesControlAndBidiCharacters) {
  namespace rv1 = registry::v1;
  auto reg = fx().RegistryAdmin();
  {
    rv1::CreateChainRequest req;
    req.set_chain_id("hostile-chain");
    req.set_request_id("hostile-chain-1");
    rv1::Chain* c = req.mutable_chain();
    c->set_display_name("新材料");
    c->set_english_name("new materials");
    c->add_former_names("材料");
    c->set_status(rv1::CHAIN_STATUS_ACTIVE);
    *c->mutable_leader() = Someone();
    *c->add_deputy_leaders() = Someone();
    c->set_lead_department(IntakeFixture::kDeptFgw);
    auto* unit = c->add_member_units();
    unit->set_department(IntakeFixture::kDeptJxj);
    *unit->mutable_liaison() = Someone();
    unit->set_responsibility("负责招商\n负责调度");
    *c->add_working_team() = Someone();
    *c->add_expert_team() = Someone();
    c->add_host_counties("来安县");
    c->add_host_parks("滁州经济技术开发区");
    auto* platform = c->add_platforms();
    platform->set_kind(rv1::PLATFORM_KIND_FUND);
    platform->set_display_name("新材料产业基金");
    platform->set_description("规模10亿元");
    ExpectEveryTextFieldChecked(reg, &RegistryStub::CreateChain, req);
  }
  {
    rv1::CreateDepartmentRequest req;
    req.set_department_id("hostile-dept");
    req.set_request_id("hostile-dept-1");
    req.mutable_department()->set_display_name("市科学技术局");
    req.mutable_department()->set_short_name("市科技局");
    *req.mutable_department()->mutable_contact() = Someone();
    ExpectEveryTextFieldChecked(reg, &RegistryStub::CreateDepartment, req);
  }
  {
    rv1::CreateNodeRequest req;
    req.set_parent("chains/pv");
    req.set_node_id("hostile-node");
    req.set_request_id("hostile-node-1");
    rv1::Node* n = req.mutable_node();
    n->set_display_name("硅料");
    n->set_english_name("polysilicon");
    n->set_segment(rv1::SEGMENT_UPSTREAM);
    n->set_parent("chains/pv/nodes/cells");
    n->add_key_products("多晶硅");
    n->add_key_technologies("改良西门子法");
    n->add_attraction_targets("某某硅业");
    n->set_description("上游\n原料");
    n->add_province_category_override("new-energy-low-carbon");
    ExpectEveryTextFieldChecked(reg, &RegistryStub::CreateNode, req);
  }
  {
    rv1::CreateEnterpriseRequest req;
    req.set_request_id("hostile-ent-1");
    rv1::Enterprise* e = req.mutable_enterprise();
    e->set_credit_code(ValidCreditCode());
    e->set_display_name("滁州某某光伏科技有限公司");
    e->set_county("琅琊区");
    e->set_park("滁州经济技术开发区");
    e->add_memberships("chains/pv/nodes/cells");
    e->add_province_category_override("new-energy-low-carbon");
    ExpectEveryTextFieldChecked(reg, &RegistryStub::CreateEnterprise, req);
  }
  {
    rv1::PutProvinceListRequest req;
    rv1::ProvinceList* l = req.mutable_province_list();
    l->set_name("provinceLists/2090");
    l->set_display_name("2090年十大产业链");
    l->set_effective_from("2090-01-01");
    auto* chain = l->add_chains();
    chain->set_id("hostile-province");
    chain->set_display_name("新兴产业");
    ExpectEveryTextFieldChecked(reg, &RegistryStub::PutProvinceList, req);
  }
}

TEST_F(HostileInputTest, EveryIntakeTextFieldRefusesControlAndBidiCharacters) {
  namespace iv1 = intake::v1;
  ASSERT_NO_FATAL_FAILURE(SeedIntake());
  auto in = fx().IntakeAdmin();
  {
    iv1::CreateProjectRequest req;
    req.set_request_id("hostile-project-1");
    *req.mutable_project() = MakeProject("年产5GW电池片项目");
    req.mutable_project()->set_node("chains/pv/nodes/cells");
    req.mutable_project()->add_province_chains("new-energy-low-carbon");
    req.mutable_project()->mutable_investor()->set_credit_code(ValidCreditCode());
    req.mutable_project()->set_planned_start_date("2026-09-01");
    req.mutable_project()->set_external_id("HOSTILE-0001");
    ExpectEveryTextFieldChecked(in, &IntakeStub::CreateProject, req);
  }
  {
    iv1::CreateWorkItemRequest req;
    req.set_request_id("hostile-item-1");
    iv1::WorkItem* w = req.mutable_work_item();
    w->set_kind(iv1::WORK_ITEM_KIND_TASK);
    w->set_title("协调用电");
    w->set_description("第一步\n\t第二步");
    w->set_subject(project_);
    w->set_owner_department(IntakeFixture::kDeptJxj);
    w->set_deadline("2026-08-01");
    ExpectEveryTextFieldChecked(in, &IntakeStub::CreateWorkItem, req);
  }
  {
    iv1::ReportProgressRequest req;
    req.set_parent(project_);
    req.set_request_id("hostile-report-1");
    req.mutable_report()->set_month("2026-06");
    req.mutable_report()->set_cumulative_completed_yuan(200);
    req.mutable_report()->set_cumulative_funds_arrived_yuan(200);
    req.mutable_report()->set_note("按计划推进\n设备进场");
    ExpectEveryTextFieldChecked(in, &IntakeStub::ReportProgress, req);
  }
  {
    iv1::TransitionStageRequest req;
    req.set_name(project_);
    req.set_to_stage(iv1::STAGE_STALLED);
    req.set_effective_date("2026-06-10");
    req.set_reason("资金未到位\n等待融资");
    req.set_request_id("hostile-stage-1");
    ExpectEveryTextFieldChecked(in, &IntakeStub::TransitionStage, req);
  }
  {
    iv1::TransitionWorkItemRequest req;
    req.set_name(work_item_);
    req.set_to_status(iv1::WORK_ITEM_STATUS_RESOLVED);
    req.set_note("已协调解决\n供电已接入");
    req.set_effective_date("2026-06-14");
    ExpectEveryTextFieldChecked(in, &IntakeStub::TransitionWorkItem, req);
  }
}

TEST_F(HostileInputTest, EveryRegistryMethodRefusesHostileInputAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(SeedIntake());
  const std::string before = Snapshot();
  const int calls = Bombard(kRegistryService, fx().registry_target(), IntakeFixture::admin_token());
  EXPECT_GT(calls, 1000);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(HostileInputTest, EveryIntakeMethodRefusesHostileInputAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(SeedIntake());
  ASSERT_TRUE(fx().WaitForCopyToCatchUp());
  const std::string before = Snapshot();
  const int calls = Bombard(kIntakeService, fx().intake_target(), IntakeFixture::admin_token());
  EXPECT_GT(calls, 1000);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(HostileInputTest, AThreeThousandCharacterNameComesBackAsInvalidArgument) {
  registry::v1::GetChainRequest req;
  req.set_name("chains/" + std::string(3000, 'a'));
  registry::v1::Chain chain;
  grpc::Status s = fx().RegistryAdmin()(&RegistryStub::GetChain, req, &chain);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_EQ(s.error_message(),
            absl::StrCat("name: must be a chain name chains/{chain}, got 'chains/",
                         std::string(25, 'a'), "…' (3007 bytes)"));
}

TEST_F(HostileInputTest, AChainNamedWithControlCharactersIsRefused) {
  registry::v1::CreateChainRequest req;
  req.set_chain_id("hostile-controls");
  req.mutable_chain()->set_display_name(std::string("\x00\x01", 2));
  req.mutable_chain()->set_status(registry::v1::CHAIN_STATUS_ACTIVE);
  registry::v1::Chain chain;
  grpc::Status s = fx().RegistryAdmin()(&RegistryStub::CreateChain, req, &chain);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "chain.display_name: must not contain control characters (U+0000 at byte 0)");
}

TEST_F(HostileInputTest, ARequestThatDoesNotParseIsInvalidArgumentNotInternal) {
  // protobuf refuses a proto3 string holding invalid UTF-8 before any handler runs. (Both
  // requests have the name as field 1.)
  registry::v1::GetChainRequest req;
  req.set_name("chains/\xff\xfe");
  google::protobuf::LogSilencer silence;
  for (const std::string& target : {fx().registry_target(), fx().intake_target()}) {
    grpc::GenericStub generic(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
    const std::string method = target == fx().registry_target()
                                   ? "/chainhub.registry.v1.ChainRegistry/GetChain"
                                   : "/chainhub.intake.v1.ProjectIntake/GetProject";
    CallResult r =
        CallRaw(generic, method, IntakeFixture::admin_token(), {req.SerializeAsString()});
    EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << method;
    EXPECT_EQ(r.status.error_message(),
              "request: does not parse; every string field must be valid UTF-8")
        << method;
  }
}

}  // namespace
}  // namespace chainhub::testing
