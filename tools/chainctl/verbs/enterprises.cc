// enterprises import, list, get.
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/import.h"
#include "tools/chainctl/verbs/verbs.h"
#include "tools/common/resource_names.h"

namespace chainhub::chainctl {
namespace {

namespace rv1 = registry::v1;

int Import(const Call& call) {
  ImportOptions options;
  options.batch_size = call.cmd.batch_size;
  options.validate_only = call.cmd.validate_only;
  return RunImport(*call.registry, call.operands[0], options, call.out, call.err);
}

int List(const Call& call) {
  Connection& c = *call.registry;
  return ListAndShow(call, c, c.registry(), &rv1::ChainRegistry::Stub::ListEnterprises,
                     ListRequest<rv1::ListEnterprisesRequest>(call.cmd),
                     [&](const rv1::ListEnterprisesResponse& resp) {
                       PrintEnterprisesTable(resp, call.out);
                       call.err << resp.enterprises_size() << " enterprises\n";
                       PrintNextPage(resp.next_page_token(), call.err);
                     });
}

int Get(const Call& call) {
  Connection& c = *call.registry;
  rv1::GetEnterpriseRequest req;
  req.set_name(tools::NameOf(tools::EnterpriseName::kPattern, call.operands[0]));
  return CallAndShow(call, c, c.registry(), &rv1::ChainRegistry::Stub::GetEnterprise, req,
                     [&](const rv1::Enterprise& e) { PrintEnterprise(e, call.out); });
}

}  // namespace

void AddEnterprisesVerbs(VerbTable& table) {
  table.Add(
      {.noun = "enterprises",
       .verb = "import",
       .synopsis = "FILE.csv [--batch_size=500] [--validate_only]",
       .help = "CSV (RFC 4180) → BatchUpsertEnterprises; columns\n"
               "credit_code, display_name (required), county, park,\n"
               "labels, annual_output_yuan, memberships,\n"
               "province_category_override, synthetic",
       .usage = "usage: chainctl enterprises import FILE.csv [--batch_size=N] [--validate_only]",
       .min_operands = 1,
       .max_operands = 1,
       .needs = Needs::kRegistry,
       .run = Import});
  table.Add({.noun = "enterprises",
             .verb = "list",
             .synopsis = "[--filter=…] [--order_by=…] [--page_size=N] [--page_token=T] [--all]",
             .help = "e.g. --filter='chain = \"pv\" AND label = \"CHAIN_OWNER\"'",
             .usage = "enterprises list takes no arguments",
             .needs = Needs::kRegistry,
             .run = List});
  table.Add({.noun = "enterprises",
             .verb = "get",
             .synopsis = "CODE",
             .help = "one enterprise by 统一社会信用代码",
             .usage = "usage: chainctl enterprises get CODE",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kRegistry,
             .run = Get});
}

}  // namespace chainhub::chainctl
