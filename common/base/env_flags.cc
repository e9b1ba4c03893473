#include "common/base/env_flags.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"

extern char** environ;

namespace chainhub {

std::vector<char*> ParseFlagsWithEnv(int argc, char** argv, const char* usage) {
  absl::SetProgramUsageMessage(usage);
  // Environment values go first so that the same flag on the command line, parsed later, wins.
  static std::vector<std::string> env_args;
  for (char** env = environ; env && *env; ++env) {
    absl::string_view entry(*env);
    if (!absl::StartsWith(entry, "CHAINHUB_")) continue;
    const size_t eq = entry.find('=');
    if (eq == absl::string_view::npos) continue;
    std::string name = absl::AsciiStrToLower(entry.substr(9, eq - 9));
    if (absl::FindCommandLineFlag(name) == nullptr) continue;
    env_args.push_back(absl::StrCat("--", name, "=", entry.substr(eq + 1)));
  }
  std::vector<char*> args;
  args.push_back(argv[0]);
  for (auto& a : env_args) args.push_back(a.data());
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  return absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
}

absl::StatusOr<std::string> ReadFlagFile(const std::string& path, absl::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidField(flag, absl::StrCat("cannot read ", path));
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace chainhub
