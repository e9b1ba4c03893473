// departments list.
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/text_table.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

namespace rv1 = registry::v1;

int List(const Call& call) {
  Connection& c = *call.registry;
  return ListAndShow(call, c, c.registry(), &rv1::ChainRegistry::Stub::ListDepartments,
                     ListRequest<rv1::ListDepartmentsRequest>(call.cmd),
                     [&](const rv1::ListDepartmentsResponse& resp) {
                       TextTable table({"id", "名称", "简称", "contact"});
                       for (const auto& d : resp.departments()) {
                         table.AddRow({ShortId(d.name()), d.display_name(),
                                       d.short_name().empty() ? "-" : d.short_name(),
                                       d.has_contact() ? PersonText(d.contact()) : "-"});
                       }
                       table.Print(call.out);
                       PrintNextPage(resp.next_page_token(), call.err);
                     });
}

}  // namespace

void AddDepartmentsVerbs(VerbTable& table) {
  table.Add({.noun = "departments",
             .verb = "list",
             .synopsis = "[--all]",
             .usage = "usage: chainctl departments list",
             .needs = Needs::kRegistry,
             .run = List});
}

}  // namespace chainhub::chainctl
