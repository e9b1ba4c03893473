// chainctl's commands as a table: `chainctl NOUN [VERB] [operands] [flags]`, one row per verb with
// its synopsis, what it does, what a wrong command line is told, how many operands it takes, what
// it needs opened (the registry, intake) and the function that runs it. The dispatch, the operand
// checks, the usage errors and `chainctl help` are all read from the rows.
#ifndef CHAINHUB_TOOLS_CHAINCTL_VERB_TABLE_H_
#define CHAINHUB_TOOLS_CHAINCTL_VERB_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

#include <grpcpp/support/status.h>

#include "absl/strings/string_view.h"
#include "tools/chainctl/client.h"
#include "tools/chainctl/command_line.h"

namespace chainhub::chainctl {

class AssessmentClient;
class IntakeClient;
class NotifyClient;
class SupportClient;
class SyncClient;
struct Verb;

// What a verb needs opened before it runs; a verb that calls elsewhere (health on --target) or
// nowhere (token mint) needs nothing.
enum class Needs { kNothing, kRegistry, kIntake, kAssessment, kNotify, kSync, kSupport };

// One command line being run.
struct Call {
  const Verb& verb;
  const CommandLine& cmd;
  // The words after NOUN [VERB].
  const std::vector<std::string>& operands;
  std::ostream& out;
  std::ostream& err;
  // Open when the verb needs it.
  Connection* registry = nullptr;
  IntakeClient* intake = nullptr;
  AssessmentClient* assessment = nullptr;
  NotifyClient* notify = nullptr;
  SyncClient* sync = nullptr;
  SupportClient* support = nullptr;

  // Prints the verb's usage as a usage error; returns kExitUsage.
  int UsageError() const;
  // Prints a failed call's error, with hints about the service called; returns kExitRpcError.
  int RpcError(const grpc::Status& status) const;
};

using Handler = int (*)(const Call& call);

// For Verb::max_operands: the handler checks the operands itself.
inline constexpr int kAnyOperands = -1;

// A command line of a verb in `chainctl help`.
struct Form {
  absl::string_view synopsis = {};
  absl::string_view help = {};
};

struct Verb {
  absl::string_view noun = {};
  // Empty for a noun that is a command by itself (`map CHAIN`).
  absl::string_view verb = {};
  // The rest of the synopsis in `chainctl help`; a '\n' wraps it, the next line starting under
  // the first operand.
  absl::string_view synopsis = {};
  // What it does, in `chainctl help`; '\n' separates lines.
  absl::string_view help = {};
  // Other command lines of the verb, each listed in `chainctl help` on its own.
  std::vector<Form> more_forms = {};
  // What a wrong command line of this verb is told (the wrong number of operands, a missing flag).
  absl::string_view usage = {};
  int min_operands = 0;
  int max_operands = 0;
  Needs needs = Needs::kNothing;
  Handler run = nullptr;
};

// The fixed text of `chainctl help` around the verbs' lines. The verbs that need intake, and those
// that need assessment, are listed apart, each under their own heading.
struct HelpFrame {
  absl::string_view head = {};
  absl::string_view general_tail = {};
  absl::string_view intake_head = {};
  absl::string_view intake_tail = {};
  absl::string_view assessment_head = {};
  absl::string_view assessment_tail = {};
  absl::string_view notify_head = {};
  absl::string_view notify_tail = {};
  absl::string_view sync_head = {};
  absl::string_view sync_tail = {};
  absl::string_view support_head = {};
  absl::string_view support_tail = {};
};

class VerbTable {
 public:
  explicit VerbTable(HelpFrame frame) : frame_(frame) {}

  // Verbs are listed in `chainctl help` in the order they are added.
  void Add(Verb verb) { verbs_.push_back(verb); }

  const Verb* Find(absl::string_view noun, absl::string_view verb) const;
  const std::vector<Verb>& verbs() const { return verbs_; }

  // Every verb, its synopsis and help in two columns, inside the frame.
  std::string HelpText() const;
  // The head, the verbs that need neither intake nor assessment, and the general tail: what a
  // missing or unknown command is shown.
  std::string GeneralHelpText() const;

  // Runs the command `args` names (the positional arguments, without the program name) and
  // returns the process exit code: 0 ok, 1 usage, 2 RPC or connection error, 3 partial failure.
  // A wrong command line is refused before anything is opened.
  int Run(const CommandLine& cmd, const std::vector<std::string>& args, std::ostream& out,
          std::ostream& err) const;

 private:
  // The lines of the verbs listed under one heading: those needing `service` (kIntake,
  // kAssessment), or with kNothing the general ones.
  std::string Lines(Needs service) const;
  int Dispatch(const Verb& verb, const CommandLine& cmd, const std::vector<std::string>& operands,
               std::ostream& out, std::ostream& err) const;

  HelpFrame frame_;
  std::vector<Verb> verbs_;
};

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_VERB_TABLE_H_
