// Command-line flags with environment overrides, for every chainhub binary (services and tools):
// CHAINHUB_<FLAG>=value stands for --<flag>=value, and the command line wins.
#ifndef CHAINHUB_COMMON_BASE_ENV_FLAGS_H_
#define CHAINHUB_COMMON_BASE_ENV_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace chainhub {

// Parses argv after putting CHAINHUB_<FLAG> environment values in front of it (so the command line
// wins), for every environment variable that names a defined flag. Returns positional arguments.
std::vector<char*> ParseFlagsWithEnv(int argc, char** argv, const char* usage);

// The contents of the file `flag` names; INVALID_ARGUMENT naming the flag when unreadable.
absl::StatusOr<std::string> ReadFlagFile(const std::string& path, absl::string_view flag);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_BASE_ENV_FLAGS_H_
