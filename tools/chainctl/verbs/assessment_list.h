// What the assessment verb files share: a List shown as a table, one page (every page with --all),
// the next page's token on stderr.
#ifndef CHAINHUB_TOOLS_CHAINCTL_VERBS_ASSESSMENT_LIST_H_
#define CHAINHUB_TOOLS_CHAINCTL_VERBS_ASSESSMENT_LIST_H_

#include <ostream>
#include <utility>

#include "tools/chainctl/assessment_client.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/verb_table.h"

namespace chainhub::chainctl {

// `request` with --page_size and --page_token, sent with `rpc`; the answer printed by `print`
// (or as JSON).
template <typename Request, typename Response>
int ShowAssessmentList(const Call& call,
                       grpc::Status (AssessmentClient::Stub::*rpc)(grpc::ClientContext*,
                                                                   const Request&, Response*),
                       Request request, void (*print)(const Response&, std::ostream&)) {
  request.set_page_size(call.cmd.list_page_size());
  request.set_page_token(call.cmd.page_token);
  AssessmentClient& c = *call.assessment;
  return ListAndShow(call, c.connection(), c.stub(), rpc, std::move(request),
                     [&](const Response& resp) {
                       print(resp, call.out);
                       PrintNextPage(resp.next_page_token(), call.err);
                     });
}

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_VERBS_ASSESSMENT_LIST_H_
