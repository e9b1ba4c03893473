// Notify's resource names (common/base/names.h has the shared ones).
#ifndef CHAINHUB_SERVICES_NOTIFY_NAMES_H_
#define CHAINHUB_SERVICES_NOTIFY_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/base/names.h"

namespace chainhub::notify {

// 2-64 characters of [a-z0-9-]: notice ids (UUIDv7) and delivery ids (dept-fgw, office-pv).
bool IsNotifyId(absl::string_view id);

// notices/{notice}
struct NoticeName {
  static constexpr absl::string_view kPattern = "notices/{notice}";
  std::string id;

  static absl::StatusOr<NoticeName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {id}); }
};

// notices/{notice}/deliveries/{delivery}
struct DeliveryName {
  static constexpr absl::string_view kPattern = "notices/{notice}/deliveries/{delivery}";
  std::string notice;
  std::string id;

  static absl::StatusOr<DeliveryName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {notice, id}); }
};

// 2-40 characters of [a-z0-9-]: subscription ids, chosen by their creator.
bool IsSubscriptionId(absl::string_view id);

// subscriptions/{subscription}
struct SubscriptionName {
  static constexpr absl::string_view kPattern = "subscriptions/{subscription}";
  std::string id;

  static absl::StatusOr<SubscriptionName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {id}); }
};

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_NAMES_H_
