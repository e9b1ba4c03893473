// What chainctl's command files share: usage errors, paging through a List, department names for
// tables, and the progress display of long uploads.
#ifndef CHAINHUB_TOOLS_CHAINCTL_CLI_UTIL_H_
#define CHAINHUB_TOOLS_CHAINCTL_CLI_UTIL_H_

#include <ostream>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/strings/string_view.h"
#include "tools/chainctl/client.h"
#include "tools/chainctl/commands.h"
#include "tools/chainctl/render.h"

namespace chainhub::chainctl {

// A usage error: the problem, then where to read more; returns kExitUsage.
int Usage(std::ostream& err, absl::string_view problem);

// Fetches one page, or every page with `all`, into `out` (repeated fields concatenated).
template <typename Request, typename Response, typename Rpc>
grpc::Status FetchPages(Connection& c, Request request, bool all, Response* out, Rpc rpc) {
  while (true) {
    Response page;
    grpc::ClientContext ctx;
    c.Prepare(&ctx);
    grpc::Status status = rpc(&ctx, request, &page);
    if (!status.ok()) return status;
    const std::string next = page.next_page_token();
    out->MergeFrom(page);
    out->set_next_page_token(next);
    if (!all || next.empty()) return grpc::Status::OK;
    request.set_page_token(next);
  }
}

// "more results: --page_token=… (or --all)" when there is a next page.
void PrintNextPage(const std::string& token, std::ostream& err);

// A connection to the registry (--registry_target, else --target).
absl::StatusOr<std::unique_ptr<Connection>> OpenRegistry(const CommandLine& cmd);

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
