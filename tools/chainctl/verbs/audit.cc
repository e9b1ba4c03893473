// audit list: the audit trail, newest first.
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/text_table.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

int List(const Call& call) {
  Connection& c = *call.registry;
  return ListAndShow(
      call, c, c.registry(), &registry::v1::ChainRegistry::Stub::ListAuditEvents,
      ListRequest<common::v1::ListAuditEventsRequest>(call.cmd),
      [&](const common::v1::ListAuditEventsResponse& resp) {
        TextTable table({"time", "principal", "method", "resource", "request_id", "detail"});
        for (const auto& e : resp.audit_events()) {
          table.AddRow({FormatTimestamp(e.time()), e.principal(), ShortId(e.method()), e.resource(),
                        e.request_id().empty() ? "-" : e.request_id(),
                        e.detail().empty() ? "-" : e.detail()});
        }
        table.Print(call.out);
        PrintNextPage(resp.next_page_token(), call.err);
      });
}

}  // namespace

void AddAuditVerbs(VerbTable& table) {
  table.Add({.noun = "audit",
             .verb = "list",
             .synopsis = "[--filter=…] [--page_size=N] [--all]",
             .help = "the audit trail (admins only), newest first",
             .usage = "usage: chainctl audit list",
             .needs = Needs::kRegistry,
             .run = List});
}

}  // namespace chainhub::chainctl
