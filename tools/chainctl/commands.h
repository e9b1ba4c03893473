// chainctl's subcommands and their dispatch. main.cc only parses the flags into a CommandLine and
// calls RunCommand, so every command can be driven (and tested) without a process of its own.
#ifndef CHAINHUB_TOOLS_CHAINCTL_COMMANDS_H_
#define CHAINHUB_TOOLS_CHAINCTL_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tools/chainctl/client.h"

namespace chainhub::chainctl {

// The parsed flags: global ones in `client`, the rest used by one subcommand or another.
struct CommandLine {
  ClientOptions client;
  // token mint
  std::string secret_file;
  std::string sub;
  std::string roles;
  std::string chains;
  absl::Duration ttl = absl::Hours(24);
  // seed
  std::string data_dir = "data";
  // enterprises import (and seed)
  int batch_size = 500;
  bool validate_only = false;
  // list commands
  std::string filter;
  std::string order_by;
  std::string page_token;
  int page_size = 0;
  bool all = false;
  // province resolve
  std::string date;
};

// The text of `chainctl help`: every command, flag and exit code.
std::string HelpText();

// Runs the subcommand named by `args` (the positional arguments, without the program name) and
// returns the process exit code: 0 ok, 1 usage, 2 RPC or connection error, 3 partial failure.
int RunCommand(const CommandLine& cmd, const std::vector<std::string>& args, std::ostream& out,
               std::ostream& err);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_COMMANDS_H_
