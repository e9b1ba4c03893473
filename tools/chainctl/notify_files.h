// The files chainctl's notify verbs read, in the form of common/base/message_file.h (YAML or JSON,
// the proto's field and enum names): a subscriptions file, the list `subscriptions apply` makes
// true, and an endpoint file, one endpoint for `endpoints create` and `update`. Errors name the
// entry and the field: "line 9, column 11: subscriptions[1].kind: must be one of …".
#ifndef CHAINHUB_TOOLS_CHAINCTL_NOTIFY_FILES_H_
#define CHAINHUB_TOOLS_CHAINCTL_NOTIFY_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/notify/v1/notify.pb.h"

namespace chainhub::chainctl {

// A list of subscriptions, bare or under the key `subscriptions:`. Each needs a name
// (subscriptions/{id}, or the bare id) and at least one event type, and no two share a name.
// Output-only fields (etag, create_time, update_time) are ignored, so what `subscriptions show`
// prints applies back.
absl::StatusOr<std::vector<notify::v1::Subscription>> ParseSubscriptionsFile(
    absl::string_view text);

// The file `subscriptions show` prints: `subscriptions:` and the list, output-only fields left
// out.
std::string SubscriptionsToYaml(const std::vector<notify::v1::Subscription>& subscriptions);

// Whether storing `wanted` (as a file has it) would change `stored` (as the service returns it).
// Output-only fields are not compared; a kind or digest the file leaves out is the service's
// default, no change.
bool SubscriptionChanges(const notify::v1::Subscription& wanted,
                         const notify::v1::Subscription& stored);

// One endpoint. The secret is refused in the file (it comes from --secret_file, kept out of files
// under version control); output-only fields are ignored.
absl::StatusOr<notify::v1::Endpoint> ParseEndpointFile(absl::string_view text);

// The fields an endpoint file sets (name and secret aside), as UpdateEndpoint's mask paths: an
// update changes those and keeps the rest.
std::vector<std::string> EndpointFileFields(const notify::v1::Endpoint& endpoint);

// `collection`/{id} for a bare id ("red-light" → "subscriptions/red-light"); a full name as it is.
std::string NotifyResourceName(absl::string_view collection, absl::string_view arg);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_NOTIFY_FILES_H_
