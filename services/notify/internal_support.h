// What notify's handler files share.
#ifndef CHAINHUB_SERVICES_NOTIFY_INTERNAL_SUPPORT_H_
#define CHAINHUB_SERVICES_NOTIFY_INTERNAL_SUPPORT_H_

namespace chainhub::notify::internal {

// The CloudEvents source of notify's events.
inline constexpr char kSource[] = "notify";

}  // namespace chainhub::notify::internal

#endif  // CHAINHUB_SERVICES_NOTIFY_INTERNAL_SUPPORT_H_
