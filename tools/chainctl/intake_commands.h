// chainctl's commands for the intake service (chainhub.intake.v1.ProjectIntake): the project
// library (产业项目库) — import, list, get, stage moves, history, monthly progress — the dispatch
// lists (问题清单 / 任务清单), the traffic lights (红黄绿灯) and the chain summaries. main.cc
// parses the flags into a CommandLine (shared with the registry commands) and an IntakeOptions, and
// hands the commands IsIntakeCommand names to RunIntakeCommand.
#ifndef CHAINHUB_TOOLS_CHAINCTL_INTAKE_COMMANDS_H_
#define CHAINHUB_TOOLS_CHAINCTL_INTAKE_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tools/chainctl/commands.h"

namespace chainhub::chainctl {

// Most rows one ImportProjects call takes (the service's limit); bigger files go over several.
inline constexpr int kMaxImportRowsPerCall = 10000;

// The flags only the intake commands read. Shared ones (--filter, --order_by, --page_size,
// --page_token, --all, --validate_only, --date) come from the CommandLine.
struct IntakeOptions {
  // Where intake is (--intake_target / CHAINHUB_INTAKE_TARGET); --target when empty.
  std::string intake_target;
  // projects import: recorded as the import's source (default: the file's name).
  std::string source;
  // projects advance / issues move: the stage or status to move to.
  std::string to;
  std::string reason;
  // projects report.
  std::string month;
  std::string completed;
  std::string funds;
  std::string note;
  bool allow_over_total = false;
  std::string file;
  // issues list: --overdue (today, China time) or --overdue=DATE.
  bool overdue = false;
  std::string overdue_on;
  // issues create.
  std::string subject;
  std::string title;
  std::string description;
  std::string owner;
  std::string deadline;
  std::string kind = "issue";
  // lights evaluate.
  std::string chain;
  bool dry_run = false;
  // summary: YYYY, YYYY-Qn or YYYY-MM (the current year, China time, when empty).
  std::string period;
};

// projects, issues, lights, summary.
bool IsIntakeCommand(absl::string_view command);

// The intake part of `chainctl help`.
std::string IntakeHelpText();

// Runs an intake command; the exit codes are RunCommand's (0 ok, 1 usage, 2 RPC or connection
// error, 3 partial failure: some rows of an import or a progress file failed).
int RunIntakeCommand(const CommandLine& cmd, const IntakeOptions& intake,
                     const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_INTAKE_COMMANDS_H_
