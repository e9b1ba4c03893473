// Protobuf messages as files an operator edits and keeps under version control (YAML, or JSON,
// told apart by the first character): assessment's schemes and indicators, notify's
// subscriptions. Field names are the proto's (snake_case; the JSON mapping's lowerCamelCase is
// accepted too), enums by name in full or without their type's prefix (DIRECTION_LOWER_IS_BETTER
// or LOWER_IS_BETTER), a message with no fields as an empty map (`efficacy: {}`). Output-only
// fields, which the caller names, are ignored on reading and left out on writing, so a resource
// fetched from its service can be edited and put back. Parsing checks the form only; the rules
// are the service's.
#ifndef CHAINHUB_COMMON_BASE_MESSAGE_FILE_H_
#define CHAINHUB_COMMON_BASE_MESSAGE_FILE_H_

#include <cstddef>
#include <string>

#include <google/protobuf/message.h>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace chainhub {

// Files larger than this are refused, and so are files holding more values than
// kMaxMessageFileValues (a guard against aliases that repeat one part of a file many times over).
inline constexpr size_t kMaxMessageFileBytes = 1 << 20;
inline constexpr int kMaxMessageFileValues = 100000;

// Full names of the fields a client never writes: "chainhub.assessment.v1.Scheme.etag".
using OutputOnlyFields = absl::flat_hash_set<std::string>;

// One document, a map of `message`'s fields, into `message`. Errors are INVALID_ARGUMENT
// "line L, column C: <path>: <what>", e.g. "line 12, column 7: items[2].ratio_to_target: unknown
// key 'capp' (known: cap)"; syntax errors give the parser's position and message.
absl::Status ParseMessageFile(absl::string_view text, const OutputOnlyFields& output_only,
                              google::protobuf::Message* message);

// A file of a list: the repeated message field `list_field` of `message`, written as a map holding
// only that key (`indicators:` then the list) or as the bare list. Paths in errors start with the
// field's name (subscriptions[2].kind); another key is refused as "<file_kind> holds only the key
// '<list_field>'" (file_kind: "an indicators file").
absl::Status ParseListFile(absl::string_view text, absl::string_view list_field,
                           absl::string_view file_kind, const OutputOnlyFields& output_only,
                           google::protobuf::Message* message);

// `message` as the YAML the parsers read back: fields in the proto's order, unset and output-only
// fields left out, enums by full name, numbers in plain digits that read back to the same double.
std::string MessageToYaml(const google::protobuf::Message& message,
                          const OutputOnlyFields& output_only);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_BASE_MESSAGE_FILE_H_
