// The principal a service acts and is audited as when no caller asks it to: a scheduler, a
// sweeper, a periodic pass ("systems/assessment", "systems/notify", "systems/intake"). Admin,
// since what it does is the service's own work, every step still checked and audited.
#ifndef CHAINHUB_COMMON_RPC_SYSTEM_PRINCIPAL_H_
#define CHAINHUB_COMMON_RPC_SYSTEM_PRINCIPAL_H_

#include <string>

#include "common/rpc/auth.h"

namespace chainhub {

inline Principal SystemPrincipal(std::string subject) {
  Principal p;
  p.subject = std::move(subject);
  p.roles.insert(std::string(roles::kAdmin));
  return p;
}

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_RPC_SYSTEM_PRINCIPAL_H_
