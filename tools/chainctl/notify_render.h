// How chainctl shows notify's subscriptions, endpoints and dispatches: a table per list, one
// "key  value" line per field of one. No secret is ever printed: the service returns only whether
// one is set and its fingerprint.
#ifndef CHAINHUB_TOOLS_CHAINCTL_NOTIFY_RENDER_H_
#define CHAINHUB_TOOLS_CHAINCTL_NOTIFY_RENDER_H_

#include <ostream>

#include "chainhub/notify/v1/notify.pb.h"

namespace chainhub::chainctl {

// name, 名称, event types, recipients (the sources, FIXED's recipients), kind, digest, disabled.
void PrintSubscriptionsTable(const notify::v1::ListSubscriptionsResponse& page, std::ostream& out);

// name, recipient, channel, state, failures, kinds, secret (its fingerprint).
void PrintEndpointsTable(const notify::v1::ListEndpointsResponse& page, std::ostream& out);
// Every field of one endpoint but the secret, which shows as set (with its fingerprint) or not.
void PrintEndpoint(const notify::v1::Endpoint& endpoint, std::ostream& out);

// name, endpoint, channel, state, attempts, next attempt, created.
void PrintDispatchesTable(const notify::v1::ListDispatchesResponse& page, std::ostream& out);
// One dispatch, then its attempts, newest first.
void PrintDispatch(const notify::v1::Dispatch& dispatch, std::ostream& out);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_NOTIFY_RENDER_H_
