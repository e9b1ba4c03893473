// Notify's SQL: notices and their deliveries, over the Store interface (SQLite or PostgreSQL).
// A Delivery is put together from its row and its notice (title, body and the rest are stored
// once, on the notice).
#ifndef CHAINHUB_SERVICES_NOTIFY_NOTIFY_STORE_H_
#define CHAINHUB_SERVICES_NOTIFY_NOTIFY_STORE_H_

#include <cstdint>
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

// The filter fields of ListInbox and ListDeliveries, over the deliveries table.
const std::map<std::string, FilterField>& DeliveryFilterFields();
// The filter fields of ListNotices.
const std::map<std::string, FilterField>& NoticeFilterFields();

// What a state change writes on a delivery.
struct DeliveryChange {
  v1::DeliveryState state = v1::DELIVERY_STATE_UNSPECIFIED;
  int64_t read_us = 0;
  int64_t acknowledge_us = 0;
  std::string acknowledged_by;
  std::string acknowledge_note;
  bool late = false;
};

class NotifyTx {
 public:
  explicit NotifyTx(SqlTx& tx) : tx_(tx) {}

  // --- Notices ---
  absl::Status InsertNotice(const std::string& id, const v1::Notice& notice, absl::Time now);
  // With its counts; NOT_FOUND naming notices/{id}.
  absl::StatusOr<v1::Notice> GetNotice(const std::string& id);
  // Newest first; `sender` empty: every sender.
  absl::StatusOr<std::vector<Keyed<v1::Notice>>> ListNotices(const std::string& sender,
                                                             const PageQuery& q);

  // --- Deliveries ---
  // Reserves `n` inbox positions (see the migration) and returns the first.
  absl::StatusOr<int64_t> ReserveSeqs(int n);
  // A DELIVERED delivery of `notice` (already inserted) to `recipient`, at `seq`.
  absl::Status InsertDelivery(const std::string& notice_id, const std::string& id,
                              const std::string& recipient, int64_t seq, const v1::Notice& notice,
                              absl::Time now);
  // NOT_FOUND naming the delivery.
  absl::StatusOr<v1::Delivery> GetDelivery(const std::string& notice_id, const std::string& id);
  absl::Status UpdateDelivery(const std::string& notice_id, const std::string& id,
                              const DeliveryChange& change, absl::Time now);
  // One notice's deliveries in recipient order.
  absl::StatusOr<std::vector<Keyed<v1::Delivery>>> ListDeliveries(const std::string& notice_id,
                                                                  const PageQuery& q);
  // Deliveries of one notice by state name (every state, zero included).
  absl::StatusOr<std::map<std::string, int32_t>> StateCounts(const std::string& notice_id);
  // Deliveries to any of `recipients` (none: every recipient), newest first.
  absl::StatusOr<std::vector<Keyed<v1::Delivery>>> ListInbox(
      const std::vector<std::string>& recipients, const PageQuery& q);
  // DELIVERED (unread) deliveries to any of `recipients` (none: every recipient).
  absl::StatusOr<int32_t> UnreadCount(const std::vector<std::string>& recipients);

  // --- Watching (WatchInbox) ---
  // The newest inbox position taken (0: none yet). Every delivery at or below it is committed:
  // positions are taken in commit order (see the migration).
  absl::StatusOr<int64_t> LastSeq();
  // At most `limit` deliveries after inbox position `after_seq` to any of `recipients` (none:
  // every recipient), oldest first.
  absl::StatusOr<std::vector<v1::Delivery>> DeliveriesAfter(
      int64_t after_seq, const std::vector<std::string>& recipients, int limit);

 private:
  absl::StatusOr<std::vector<Keyed<v1::Delivery>>> QueryDeliveries(
      const std::vector<std::string>& conditions, std::vector<SqlValue> params, const PageQuery& q,
      const std::vector<bool>& numeric);

  SqlTx& tx_;
};

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_NOTIFY_STORE_H_
