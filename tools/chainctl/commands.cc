#include "tools/chainctl/commands.h"

#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

constexpr HelpFrame kFrame = {
    .head = R"(chainctl — the operator's client for chainhub

usage: chainctl [global flags] COMMAND [args] [flags]

commands:
)",
    .general_tail = R"(
global flags (each also read from the environment as CHAINHUB_<FLAG>; the flag wins):
  --target=HOST:PORT        service address (default 127.0.0.1:50051)
  --registry_target=H:P     registry address, wins over --target for registry calls
  --token=JWT               bearer token (CHAINHUB_TOKEN)
  --output=table|json       json prints the response as protobuf JSON, one object
  --timeout=10s             deadline of each RPC
  --tls_ca_file=FILE        TLS with this CA bundle (plaintext when unset)
  --tls_client_cert_file=FILE, --tls_client_key_file=FILE
                            client certificate for mutual TLS

exit codes: 0 ok; 1 usage error (or unusable input file); 2 RPC or connection error;
            3 partial failure (some rows or objects failed)
)",
    .intake_head = R"(
intake commands (产业项目库, 问题清单, 红黄绿灯; on --intake_target, else --target):
)",
    .intake_tail = R"(
intake flags: --intake_target=HOST:PORT (CHAINHUB_INTAKE_TARGET; --target when unset)
)",
    .assessment_head = R"(
assessment commands (考核: 指标, 目标, 方案, 考核结果; on --assessment_target, else --target).
SUBJECT is pv (chains/pv) or counties/{county}; INDICATOR output (indicators/output); SCHEME
chain-2026 (schemes/chain-2026), SCHEME@2 its version 2; RUN the run's id or runs/{id}:
)",
    .assessment_tail = R"(
assessment flags: --assessment_target=HOST:PORT (CHAINHUB_ASSESSMENT_TARGET; --target when unset)
)",
    .notify_head = R"(
notify commands (通知, 督办, 签收; on --notify_target, else --target). RECIPIENT is
departments/{dept}, chains/{chain}/office, chains/{chain}/leader or roles/{role}; NOTICE the
notice's id or notices/{id}; DELIVERY notices/{id}/deliveries/{d}; SUBSCRIPTION, ENDPOINT and
DISPATCH an id or the full name (endpoints/fgw-hook). Secrets come from --secret_file (- reads
standard input) and are never printed:
)",
    .notify_tail = R"(
notify flags: --notify_target=HOST:PORT (CHAINHUB_NOTIFY_TARGET; --target when unset)
)",
    .sync_head = R"(
province sync commands (省十大产业链对接; on --sync_target, else --target). LIST is a provincial
list version (2021, 2026; the one in force on --date when unset); TYPE chain, enterprise,
project, progress or assessment_result:
)",
    .sync_tail = R"(
sync flags: --sync_target=HOST:PORT (CHAINHUB_SYNC_TARGET; --target when unset)
)",
    .support_head = R"(
support commands (包保, 一企一策, 企业诉求, 政策兑现, 多链协同, 本地配套率, 规划; on
--support_target, else --target). ENTERPRISE is a credit code; DEPT fgw or departments/fgw; a
chain pv or chains/pv; ASSIGNMENT, FIRM_PLAN, REQUEST and POLICY an id or the full name; ITEM
POLICY/ITEM, CLAIM POLICY/ITEM/CODE, ENTRY and PLAN CHAIN/ID, or the full names. Each `apply`
makes a YAML/JSON file true (created, updated, unchanged); each import sends all rows or none:
)",
    .support_tail = R"(
support flags: --support_target=HOST:PORT (CHAINHUB_SUPPORT_TARGET; --target when unset)
)",
};

int Help(const Call& call) {
  call.out << Commands().HelpText();
  return kExitOk;
}

}  // namespace

const VerbTable& Commands() {
  static const VerbTable* table = [] {
    auto* t = new VerbTable(kFrame);
    t->Add({.noun = "help",
            .help = "this text",
            .usage = "usage: chainctl help",
            .max_operands = kAnyOperands,
            .run = Help});
    AddTokenVerbs(*t);
    AddHealthVerbs(*t);
    AddSeedVerbs(*t);
    AddChainsVerbs(*t);
    AddMapVerbs(*t);
    AddGapsVerbs(*t);
    AddEnterprisesVerbs(*t);
    AddDepartmentsVerbs(*t);
    AddProvinceVerbs(*t);
    AddAuditVerbs(*t);
    AddProjectsVerbs(*t);
    AddIssuesVerbs(*t);
    AddLightsVerbs(*t);
    AddSummaryVerbs(*t);
    AddIndicatorsVerbs(*t);
    AddTargetsVerbs(*t);
    AddValuesVerbs(*t);
    AddSchemesVerbs(*t);
    AddRatingsVerbs(*t);
    AddRunsVerbs(*t);
    AddSchedulesVerbs(*t);
    AddNoticesVerbs(*t);
    AddInboxVerbs(*t);
    AddSubscriptionsVerbs(*t);
    AddEndpointsVerbs(*t);
    AddDispatchesVerbs(*t);
    AddSyncVerbs(*t);
    AddSupportAssignmentVerbs(*t);
    AddSupportRequestVerbs(*t);
    AddSupportPolicyVerbs(*t);
    AddSupportChainVerbs(*t);
    AddSupportPlanVerbs(*t);
    return t;
  }();
  return *table;
}

}  // namespace chainhub::chainctl
