// 多链协同: the rules of an entry on a chain-keyed list (人才链 shortage posts, 创新链 technology
// challenges, 资金链 finance partners, 供应链 supply and purchase opportunities). An entry's kind
// is fixed at create and decides which detail it carries; the handlers (chain_entry_handlers.cc)
// add who may write and what the store holds.
#ifndef CHAINHUB_SERVICES_SUPPORT_CHAIN_ENTRIES_H_
#define CHAINHUB_SERVICES_SUPPORT_CHAIN_ENTRIES_H_

#include <cstddef>
#include <string>
#include <vector>

#include <google/protobuf/field_mask.pb.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/support/v1/support.pb.h"
#include "common/base/status_util.h"

namespace chainhub::support {

inline constexpr size_t kMaxEntryTitleChars = 200;
inline constexpr size_t kMaxEntryShortTextChars = 200;
inline constexpr size_t kMaxEntryLongTextChars = 4000;
inline constexpr int kMaxShortageIndex = 5;

// The detail field (talent, challenge, finance, opportunity) an entry of `kind` carries; "" for
// an unspecified or unknown kind.
absl::string_view DetailFieldOf(v1::EntryKind kind);

// Supply and purchase opportunities: the kinds MatchOpportunity answers.
bool IsOpportunity(v1::EntryKind kind);

// Every rule `entry` breaks as an entry of the chain `chain_id`, its fields named under `prefix`
// ("entry.title"): kind set; title 1-200 characters of one line; node, when set, a node of that
// chain; owner enterprises/{credit_code} or departments/{dept}; valid_from and valid_to dates,
// valid_to not before valid_from; status a defined value (UNSPECIFIED is filled in as OPEN before
// this); the detail present and the one the kind carries, with its own fields' rules; contact
// one line of at most 200 characters. Output-only fields are not looked at.
void CheckChainEntry(const v1::ChainEntry& entry, absl::string_view chain_id,
                     const std::string& prefix, std::vector<FieldViolation>* violations);

// The fields UpdateChainEntry may change: title, node, valid_from, valid_to, status, contact and
// the detail, named "detail" or by its member ("talent", "challenge", "finance", "opportunity").
const std::vector<std::string>& ChainEntryWritableFields();

// Applies an update: the fields `mask` names (every writable one when it is empty or "*") are
// taken from `update`; the detail, named in any of its ways, is replaced as a whole by the member
// `update` sets (cleared when it sets none). INVALID_ARGUMENT naming "update_mask" for a path
// that is not writable.
absl::Status ApplyChainEntryUpdate(const v1::ChainEntry& update,
                                   const google::protobuf::FieldMask& mask,
                                   v1::ChainEntry* current);

// Whether the entry's validity holds on `date` (YYYY-MM-DD): from and to both included, an empty
// bound open.
bool ValidOn(const v1::ChainEntry& entry, absl::string_view date);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_CHAIN_ENTRIES_H_
