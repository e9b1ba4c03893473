// Notify's SQL for subscriptions, over the Store interface (SQLite or PostgreSQL).
#ifndef CHAINHUB_SERVICES_NOTIFY_SUBSCRIPTION_STORE_H_
#define CHAINHUB_SERVICES_NOTIFY_SUBSCRIPTION_STORE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/notify/v1/notify.pb.h"
#include "common/store/filter.h"
#include "common/store/list_query.h"
#include "common/store/store.h"

namespace chainhub::notify {

// The filter fields of ListSubscriptions: event_type, disabled, digest.
const std::map<std::string, FilterField>& SubscriptionFilterFields();

class SubscriptionsTx {
 public:
  explicit SubscriptionsTx(SqlTx& tx) : tx_(tx) {}

  // ALREADY_EXISTS when the id is taken.
  absl::Status Insert(const std::string& id, const v1::Subscription& subscription, absl::Time now);
  // With etag and times; NOT_FOUND naming subscriptions/{id}.
  absl::StatusOr<v1::Subscription> Get(const std::string& id);
  // Replaces the stored subscription (a new revision).
  absl::Status Update(const std::string& id, const v1::Subscription& subscription, absl::Time now);
  absl::Status Delete(const std::string& id);
  // In id order.
  absl::StatusOr<std::vector<Keyed<v1::Subscription>>> List(const PageQuery& q);
  // The enabled subscriptions listening to `type`, in id order.
  absl::StatusOr<std::vector<v1::Subscription>> EnabledFor(const std::string& type);

 private:
  absl::Status WriteTypes(const std::string& id, const v1::Subscription& subscription);

  SqlTx& tx_;
};

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_SUBSCRIPTION_STORE_H_
