// What chainctl's verb files share: usage errors, paging through a List, showing an answer,
// department names for tables, and the progress display of long uploads.
#ifndef CHAINHUB_TOOLS_CHAINCTL_CLI_UTIL_H_
#define CHAINHUB_TOOLS_CHAINCTL_CLI_UTIL_H_

#include <ostream>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/strings/string_view.h"
#include "tools/chainctl/client.h"
#include "tools/chainctl/command_line.h"
#include "tools/chainctl/render.h"
#include "tools/chainctl/verb_table.h"

namespace chainhub::chainctl {

// A usage error: the problem, then where to read more; returns kExitUsage.
int Usage(std::ostream& err, absl::string_view problem);

// Fetches one page of `rpc` on `stub` (a stub on `c`'s channel), or every page with `all`, into
// `out` (repeated fields concatenated).
template <typename Stub, typename Request, typename Response>
grpc::Status FetchPages(Connection& c, Stub& stub,
                        grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                        Request request, bool all, Response* out) {
  while (true) {
    Response page;
    grpc::Status status = CallUnary(c, stub, rpc, request, &page);
    if (!status.ok()) return status;
    const std::string next = page.next_page_token();
    out->MergeFrom(page);
    out->set_next_page_token(next);
    if (!all || next.empty()) return grpc::Status::OK;
    request.set_page_token(next);
  }
}

// A List request with --filter, --order_by (where the method takes one), the page size and
// --page_token.
template <typename Request>
Request ListRequest(const CommandLine& cmd) {
  Request req;
  req.set_filter(cmd.filter);
  if constexpr (requires { req.set_order_by(cmd.order_by); }) req.set_order_by(cmd.order_by);
  req.set_page_size(cmd.list_page_size());
  req.set_page_token(cmd.page_token);
  return req;
}

// The answer of a call: the RPC error (exit 2); else `message` as JSON with --output=json, or what
// `print` prints.
template <typename Message, typename Print>
int Show(const Call& call, const grpc::Status& status, const Message& message, Print print) {
  if (!status.ok()) return call.RpcError(status);
  if (call.cmd.json()) {
    call.out << ToJson(message);
  } else {
    print();
  }
  return kExitOk;
}

// One call of `rpc` on `stub` (a stub on `c`'s channel) whose answer is shown: the RPC error, the
// JSON, or what `print(response)` prints.
template <typename Stub, typename Request, typename Response, typename Print>
int CallAndShow(const Call& call, Connection& c, Stub& stub,
                grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                const Request& request, Print print) {
  Response response;
  grpc::Status status = CallUnary(c, stub, rpc, request, &response);
  return Show(call, status, response, [&] { print(response); });
}

// The same for a List: one page, or every page with --all.
template <typename Stub, typename Request, typename Response, typename Print>
int ListAndShow(const Call& call, Connection& c, Stub& stub,
                grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                Request request, Print print) {
  Response response;
  grpc::Status status = FetchPages(c, stub, rpc, std::move(request), call.cmd.all, &response);
  return Show(call, status, response, [&] { print(response); });
}

// "more results: --page_token=… (or --all)" when there is a next page.
void PrintNextPage(const std::string& token, std::ostream& err);

// A List shown by `print` (a table), or as JSON: one page, or every page with --all; the next
// page's token on stderr.
template <typename Stub, typename Request, typename Response>
int ShowList(const Call& call, Connection& c, Stub& stub,
             grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
             Request request, void (*print)(const Response&, std::ostream&)) {
  return ListAndShow(call, c, stub, rpc, std::move(request), [&](const Response& resp) {
    print(resp, call.out);
    PrintNextPage(resp.next_page_token(), call.err);
  });
}

// A connection to the registry (--registry_target, else --target).
absl::StatusOr<std::unique_ptr<Connection>> OpenRegistry(const CommandLine& cmd);
// The same for a best-effort lookup beside the command's own calls: each call waits at most 3 s.
absl::StatusOr<std::unique_ptr<Connection>> OpenRegistryBriefly(const CommandLine& cmd);

// Best effort: department short names for tables; empty (ids are shown) when that fails.
DepartmentNames LoadDepartmentNames(Connection& registry);
// The same over a connection of its own to the registry, waiting at most 3 s.
DepartmentNames LoadDepartmentNames(const CommandLine& cmd);

// Progress on stderr: a redrawn bar on a terminal (when the percentage moves); a plain line per
// 10% in logs and pipes, where carriage returns would only make noise. Disabled below `min_total`
// rows, which finish before it would help.
class Progress {
 public:
  Progress(std::ostream& err, std::string what, int total, bool enabled, bool tty,
           int min_total = 1);

  void Update(int done);
  // A message line that must not be overwritten by the bar.
  void Say(const std::string& line);
  void Finish();

 private:
  void Draw();

  std::ostream& err_;
  std::string what_;
  int total_;
  bool enabled_;
  bool tty_;
  int done_ = 0;
  int last_decile_ = 0;
  int last_percent_ = -1;
  bool drawn_ = false;
};

// Whether `err` is this process's standard error and that is a terminal.
bool IsTerminal(const std::ostream& err);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_CLI_UTIL_H_
