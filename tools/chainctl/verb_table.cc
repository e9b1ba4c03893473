#include "tools/chainctl/verb_table.h"

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tools/chainctl/assessment_client.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/intake_client.h"
#include "tools/chainctl/notify_client.h"
#include "tools/chainctl/support_client.h"
#include "tools/chainctl/sync_client.h"
#include "tools/chainctl/text_table.h"

namespace chainhub::chainctl {
namespace {

// Where the help column of `chainctl help` starts; a synopsis too wide to leave two spaces before
// it puts its help on the lines below.
constexpr int kHelpColumn = 41;
constexpr int kIndent = 2;

// "chains list", or "map" for a noun that is a command by itself.
std::string Command(const Verb& verb) {
  return verb.verb.empty() ? std::string(verb.noun) : absl::StrCat(verb.noun, " ", verb.verb);
}

// One form's lines in `chainctl help`: "  noun verb synopsis", a wrapped synopsis going on under
// the first operand, and the help beside it from kHelpColumn, or below it when the synopsis is
// too wide.
void AppendLines(const Verb& verb, const Form& form, std::string& text) {
  const std::string command = Command(verb);
  const std::string indent(kIndent, ' ');
  const std::string under_operands(kIndent + DisplayWidth(command) + 1, ' ');
  std::vector<std::string> lines;
  for (absl::string_view part : absl::StrSplit(form.synopsis, '\n', absl::SkipEmpty())) {
    lines.push_back(lines.empty() ? absl::StrCat(indent, command, " ", part)
                                  : absl::StrCat(under_operands, part));
  }
  if (lines.empty()) lines.push_back(absl::StrCat(indent, command));
  const std::string help_column(kHelpColumn, ' ');
  bool first = true;
  for (absl::string_view help : absl::StrSplit(form.help, '\n', absl::SkipEmpty())) {
    if (first && DisplayWidth(lines.back()) + 2 <= kHelpColumn) {
      lines.back() = absl::StrCat(PadRight(lines.back(), kHelpColumn), help);
    } else {
      lines.push_back(absl::StrCat(help_column, help));
    }
    first = false;
  }
  for (const std::string& line : lines) absl::StrAppend(&text, line, "\n");
}

// A missing or unknown command gets the general help (Usage gives one problem).
int FullUsage(const VerbTable& table, std::ostream& err, absl::string_view problem) {
  err << "chainctl: " << problem << "\n\n" << table.GeneralHelpText();
  return kExitUsage;
}

// The heading a verb is listed under in `chainctl help`: its service's, or the general one.
Needs Heading(const Verb& verb) {
  return verb.needs == Needs::kRegistry ? Needs::kNothing : verb.needs;
}

// An opened client kept in `held` for the call and lent to it through `lent`; the error otherwise.
template <typename Client>
absl::Status Hold(absl::StatusOr<std::unique_ptr<Client>> opened, std::unique_ptr<Client>& held,
                  Client*& lent) {
  if (!opened.ok()) return opened.status();
  held = *std::move(opened);
  lent = held.get();
  return absl::OkStatus();
}

bool Fits(const Verb& verb, size_t operands) {
  if (static_cast<int>(operands) < verb.min_operands) return false;
  return verb.max_operands == kAnyOperands || static_cast<int>(operands) <= verb.max_operands;
}

}  // namespace

int Call::UsageError() const { return Usage(err, verb.usage); }

int Call::RpcError(const grpc::Status& status) const {
  if (intake != nullptr) return ReportRpcError(status, err, intake->options());
  if (assessment != nullptr) return ReportRpcError(status, err, assessment->options());
  if (notify != nullptr) return ReportRpcError(status, err, notify->connection().options());
  if (sync != nullptr) return ReportRpcError(status, err, sync->connection().options());
  if (support != nullptr) return ReportRpcError(status, err, support->connection().options());
  if (registry != nullptr) return ReportRpcError(status, err, registry->options());
  return ReportRpcError(status, err, cmd.client);
}

const Verb* VerbTable::Find(absl::string_view noun, absl::string_view verb) const {
  for (const Verb& v : verbs_) {
    if (v.noun == noun && v.verb == verb) return &v;
  }
  return nullptr;
}

std::string VerbTable::Lines(Needs service) const {
  std::string text;
  for (const Verb& verb : verbs_) {
    if (Heading(verb) != service) continue;
    AppendLines(verb, {verb.synopsis, verb.help}, text);
    for (const Form& form : verb.more_forms) AppendLines(verb, form, text);
  }
  return text;
}

std::string VerbTable::GeneralHelpText() const {
  return absl::StrCat(frame_.head, Lines(Needs::kNothing), frame_.general_tail);
}

std::string VerbTable::HelpText() const {
  return absl::StrCat(GeneralHelpText(), frame_.intake_head, Lines(Needs::kIntake),
                      frame_.intake_tail, frame_.assessment_head, Lines(Needs::kAssessment),
                      frame_.assessment_tail, frame_.notify_head, Lines(Needs::kNotify),
                      frame_.notify_tail, frame_.sync_head, Lines(Needs::kSync),
                      frame_.sync_tail, frame_.support_head, Lines(Needs::kSupport),
                      frame_.support_tail);
}

int VerbTable::Run(const CommandLine& cmd, const std::vector<std::string>& args, std::ostream& out,
                   std::ostream& err) const {
  if (args.empty()) return FullUsage(*this, err, "no command given");
  const std::string& noun = args[0];
  std::vector<const Verb*> of_noun;
  for (const Verb& v : verbs_) {
    if (v.noun == noun) of_noun.push_back(&v);
  }
  if (of_noun.empty()) return FullUsage(*this, err, absl::StrCat("unknown command \"", noun, "\""));

  // A noun that is a command by itself takes every word after it as an operand.
  const bool whole = of_noun.front()->verb.empty();
  const Verb* verb = whole ? of_noun.front() : Find(noun, args.size() >= 2 ? args[1] : "");
  if (verb == nullptr) {
    if (of_noun.size() == 1) return Usage(err, of_noun.front()->usage);
    std::vector<absl::string_view> names;
    for (const Verb* v : of_noun) names.push_back(v->verb);
    return Usage(err, absl::StrCat("usage: chainctl ", noun, " ", absl::StrJoin(names, "|")));
  }
  const std::vector<std::string> operands(args.begin() + (whole ? 1 : 2), args.end());
  if (!Fits(*verb, operands.size())) return Usage(err, verb->usage);
  return Dispatch(*verb, cmd, operands, out, err);
}

int VerbTable::Dispatch(const Verb& verb, const CommandLine& cmd,
                        const std::vector<std::string>& operands, std::ostream& out,
                        std::ostream& err) const {
  Call call{verb, cmd, operands, out, err};
  std::unique_ptr<Connection> registry;
  std::unique_ptr<IntakeClient> intake;
  std::unique_ptr<AssessmentClient> assessment;
  std::unique_ptr<NotifyClient> notify;
  std::unique_ptr<SyncClient> sync;
  std::unique_ptr<SupportClient> support;
  absl::Status opened;
  if (verb.needs == Needs::kRegistry) {
    opened = Hold(OpenRegistry(cmd), registry, call.registry);
  } else if (verb.needs == Needs::kIntake) {
    opened = Hold(IntakeClient::Open(cmd), intake, call.intake);
  } else if (verb.needs == Needs::kAssessment) {
    opened = Hold(AssessmentClient::Open(cmd), assessment, call.assessment);
  } else if (verb.needs == Needs::kNotify) {
    opened = Hold(NotifyClient::Open(cmd), notify, call.notify);
  } else if (verb.needs == Needs::kSync) {
    opened = Hold(SyncClient::Open(cmd), sync, call.sync);
  } else if (verb.needs == Needs::kSupport) {
    opened = Hold(SupportClient::Open(cmd), support, call.support);
  }
  if (!opened.ok()) {
    PrintError(opened, err, nullptr);
    return kExitUsage;
  }
  return verb.run(call);
}

}  // namespace chainhub::chainctl
