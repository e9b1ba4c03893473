// province resolve: the provincial categories (省十大产业链) of a chain, node or enterprise.
#include "tools/chainctl/arguments.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/text_table.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

namespace rv1 = registry::v1;

int Resolve(const Call& call) {
  Connection& c = *call.registry;
  const std::string& date = call.cmd.date;
  rv1::ResolveProvinceCategoriesRequest req;
  req.set_subject(ProvinceSubject(call.operands[0]));
  req.set_date(date);
  return CallAndShow(call, c, c.registry(), &rv1::ChainRegistry::Stub::ResolveProvinceCategories,
                     req, [&](const rv1::ResolveProvinceCategoriesResponse& resp) {
                       call.out << req.subject() << " on " << (date.empty() ? "today" : date)
                                << ": province list " << resp.version() << " (" << resp.source()
                                << ")\n";
                       if (resp.categories_size() == 0) {
                         call.out << "(no provincial category)\n";
                         return;
                       }
                       TextTable table({"id", "名称", "version"});
                       for (const auto& pc : resp.categories()) {
                         table.AddRow({pc.id(), pc.display_name(), pc.version()});
                       }
                       table.Print(call.out);
                     });
}

}  // namespace

void AddProvinceVerbs(VerbTable& table) {
  table.Add({.noun = "province",
             .verb = "resolve",
             .synopsis = "SUBJECT [--date=YYYY-MM-DD]",
             .help = "provincial categories of chains/x, chains/x/nodes/y or\n"
                     "enterprises/CODE (a bare chain id or credit code works)",
             .usage = "usage: chainctl province resolve SUBJECT [--date=YYYY-MM-DD]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kRegistry,
             .run = Resolve});
}

}  // namespace chainhub::chainctl
