// The request tables (migrations/0002_requests.sql): each request a blob of the whole resource
// beside the columns lists, the sweep and the figures select on, all rewritten from the resource
// on every write; its tags; and the calendar and deadline rules an admin put (request_settings.h
// reads those).
#ifndef CHAINHUB_SERVICES_SUPPORT_REQUEST_STORE_H_
#define CHAINHUB_SERVICES_SUPPORT_REQUEST_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/support/v1/support.pb.h"
#include "common/store/list_query.h"
#include "common/store/store.h"

namespace chainhub::support {

// What the figures read of one request, straight from the columns (microseconds; 0: not yet).
struct RequestFigureRow {
  std::string assignee;
  std::string chain;  // chain id, "" when none
  int64_t accept_us = 0;
  int64_t contact_us = 0;
  int64_t close_us = 0;
  int64_t close_deadline_us = 0;
  int64_t revisit_us = 0;
  int satisfaction = 0;
};

class RequestStore {
 public:
  explicit RequestStore(SqlTx& tx) : tx_(tx) {}

  // Stores requests/{id} (`request` complete but for its name, etag and times) and its tags;
  // `input_digest` is the digest of what it was accepted with (ImportRequests compares it).
  // ALREADY_EXISTS when another request holds its external id.
  absl::Status Insert(const std::string& id, const v1::Request& request,
                      const std::string& input_digest, absl::Time now);
  // Rewrites it (a new revision, so a new etag).
  absl::Status Update(const std::string& id, const v1::Request& request, absl::Time now);
  // The request with its etag, times and the enterprise's display name; NOT_FOUND naming it.
  absl::StatusOr<v1::Request> Get(const std::string& id);

  // The request holding `external_id`, if any: its id and input digest.
  struct External {
    std::string id;
    std::string input_digest;
  };
  absl::StatusOr<std::optional<External>> FindExternal(const std::string& external_id);

  // A page; `extra` conditions (their parameters already in `params` after the filter's) narrow
  // it (visibility). The sort key is the order's columns.
  absl::StatusOr<std::vector<Keyed<v1::Request>>> List(const PageQuery& q,
                                                       std::vector<SqlValue> params,
                                                       const std::vector<std::string>& extra);

  // The ids of at most `limit` requests with a milestone neither met nor escalated whose deadline
  // is before `now`, earliest first (a range scan of the next-deadline index).
  absl::StatusOr<std::vector<std::string>> DueBefore(absl::Time now, int limit);

  // The figure columns of every request accepted in [from_us, to_us), on `chain_id` when set (a
  // range scan of the accept-time index, which holds every column read).
  absl::StatusOr<std::vector<RequestFigureRow>> FigureRows(int64_t from_us, int64_t to_us,
                                                           const std::string& chain_id);

 private:
  absl::StatusOr<v1::Request> RequestOf(const SqlRow& row);

  SqlTx& tx_;
};

// The filter fields of ListRequests: state, channel, tier, assignee (and its alias department),
// chain, enterprise, tag, urgent, common_to_chain, overdue, escalation_level, accept_date.
const std::map<std::string, FilterField>& RequestFilterFields();

// ListRequests' order_by: "accept_time" or "close_deadline", optionally " asc" or " desc"; empty:
// accept_time newest first.
absl::StatusOr<OrderSpec> RequestOrder(absl::string_view order_by);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_REQUEST_STORE_H_
