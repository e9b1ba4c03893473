// What operators type for the support commands, turned into what requests carry: short names
// completed to resource names ("fgw" → departments/fgw, a credit code → enterprises/{code},
// "pv/0193…" → chains/pv/entries/0193…), enum words in English or Chinese (hotline / 热线,
// closed / 办结), a person as DEPT:PERSON[:TITLE], a plan's actual as indicators/KEY=VALUE and a
// task's progress as NUMBER:PERCENT[:done]. Pure functions, tested without a server
// (tests/unit/chainctl_support_arguments_test.cc).
#ifndef CHAINHUB_TOOLS_CHAINCTL_SUPPORT_ARGUMENTS_H_
#define CHAINHUB_TOOLS_CHAINCTL_SUPPORT_ARGUMENTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/support/v1/support.pb.h"

namespace chainhub::chainctl {

namespace spv1 = ::chainhub::support::v1;

// --- Names ---------------------------------------------------------------------------------------
// None is checked beyond its shape: the service answers for an id that does not exist.

// A credit code or enterprises/{code} → enterprises/{code}.
std::string EnterpriseArg(absl::string_view arg);
// "pv" or chains/pv → chains/pv.
std::string ChainArg(absl::string_view arg);
// "fgw" or departments/fgw → departments/fgw.
std::string DepartmentArg(absl::string_view arg);
// Where a request is routed: departments/… and chains/{chain}/team as they are; a bare id is a
// department ("fgw" → departments/fgw).
std::string AssigneeArg(absl::string_view arg);
// An assignment, firm plan, request or policy: its id or its name.
std::string AssignmentArg(absl::string_view arg);
std::string FirmPlanArg(absl::string_view arg);
std::string RequestArg(absl::string_view arg);
std::string PolicyArg(absl::string_view arg);
// An item: policies/{policy}/items/{item}, or POLICY/ITEM.
std::string ItemArg(absl::string_view arg);
// A claim: policies/{policy}/items/{item}/claims/{code}, or POLICY/ITEM/CODE.
std::string ClaimArg(absl::string_view arg);
// A chain entry: chains/{chain}/entries/{id}, or CHAIN/ID.
std::string EntryArg(absl::string_view arg);
// A chain plan with an optional version: chains/{chain}/plans/{id}[@N], or CHAIN/ID[@N] → the
// name and N (0: the latest). INVALID_ARGUMENT on `field` for a version that is not a whole
// number ≥ 1.
absl::StatusOr<std::pair<std::string, int>> PlanArg(absl::string_view field, absl::string_view arg);

// --- Enum words: the English word in any case (with or without its type's prefix) or the
// Chinese one; nullopt for anything else ---------------------------------------------------------

// visit / 走访, hotline / 热线, system / 系统, letter / 来信.
std::optional<spv1::Channel> ParseChannel(absl::string_view text);
// city / 市级, county / 县级.
std::optional<spv1::Tier> ParseTier(absl::string_view text);
// accepted / 受理, assigned / 交办, handling / 办理, closed / 办结, revisited / 回访.
std::optional<spv1::RequestState> ParseRequestState(absl::string_view text);
// department / 部门, chain / 产业链; "" is one row for everything (GROUPING_UNSPECIFIED).
std::optional<spv1::Grouping> ParseGrouping(absl::string_view text);
// city / 市内, province / 省内, region / 区域 (IN_CITY, IN_PROVINCE, IN_REGION); "" → IN_CITY.
std::optional<spv1::LocalScope> ParseLocalScope(absl::string_view text);

// --- Values --------------------------------------------------------------------------------------

// DEPT:PERSON[:TITLE] → an Official ("jxj:李娜:服务专员"; DEPT completed as DepartmentArg; a
// full-width colon works too). INVALID_ARGUMENT on `field` when a part is missing.
absl::StatusOr<spv1::Official> ParseOfficial(absl::string_view field, absl::string_view text);

// indicators/KEY=VALUE or KEY=VALUE → (indicators/KEY, VALUE). INVALID_ARGUMENT on `field`.
absl::StatusOr<std::pair<std::string, double>> ParseActual(absl::string_view field,
                                                           absl::string_view text);

// NUMBER:PERCENT[:done] (PERCENT 0-100, a trailing % allowed; "done" or 完成 marks it done) → a
// task report. INVALID_ARGUMENT on `field`.
absl::StatusOr<spv1::TaskReport> ParseTaskReport(absl::string_view field, absl::string_view text);

// Tags separated by ';' (or '；'), each trimmed, empty ones skipped.
std::vector<std::string> SplitTags(absl::string_view text);

// A whole, non-negative number of yuan: "800000", "12.5万", "1亿" (exact). INVALID_ARGUMENT on
// `field` otherwise.
absl::StatusOr<int64_t> YuanArg(absl::string_view field, absl::string_view text);

// A request id derived from what is sent: "<prefix>-" and the first 32 hex digits of the SHA-256
// of `message`'s deterministic serialization, so that the same command run again is a retry the
// service replays, not a second write.
std::string ContentRequestId(absl::string_view prefix, const google::protobuf::Message& message);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_SUPPORT_ARGUMENTS_H_
