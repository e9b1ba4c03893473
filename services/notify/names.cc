#include "services/notify/names.h"

#include <vector>

#include "common/base/status_util.h"

namespace chainhub::notify {

bool IsNotifyId(absl::string_view id) {
  if (id.size() < 2 || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

absl::StatusOr<NoticeName> NoticeName::Parse(absl::string_view field, absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            MatchName(field, name, kPattern, "notice", IsNotifyId));
  return NoticeName{ids[0]};
}

absl::StatusOr<DeliveryName> DeliveryName::Parse(absl::string_view field, absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            MatchName(field, name, kPattern, "delivery", IsNotifyId));
  return DeliveryName{ids[0], ids[1]};
}

bool IsSubscriptionId(absl::string_view id) { return id.size() <= 40 && IsNotifyId(id); }

absl::StatusOr<SubscriptionName> SubscriptionName::Parse(absl::string_view field,
                                                         absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                            MatchName(field, name, kPattern, "subscription", IsSubscriptionId));
  return SubscriptionName{ids[0]};
}

}  // namespace chainhub::notify
