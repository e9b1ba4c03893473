// health: grpc.health.v1 Check on --target, for container healthchecks.
#include "tools/chainctl/health.h"

#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

// Healthchecks want one "unhealthy" code, whatever the cause.
constexpr int kExitUnhealthy = 1;

int Health(const Call& call) {
  auto conn = Connection::Open(call.cmd.client, call.cmd.client.target);
  if (!conn.ok()) {
    PrintError(conn.status(), call.err, nullptr);
    return kExitUsage;
  }
  absl::StatusOr<ServingStatus> status =
      CheckHealth(**conn, call.operands.empty() ? "" : call.operands[0]);
  if (!status.ok()) {
    PrintError(status.status(), call.err, &call.cmd.client);
    return kExitUnhealthy;
  }
  const absl::string_view name = ServingStatusName(*status);
  if (call.cmd.json()) {
    call.out << "{\n  \"status\": \"" << name << "\"\n}\n";
  } else {
    call.out << name << "\n";
  }
  return *status == ServingStatus::kServing ? kExitOk : kExitUnhealthy;
}

}  // namespace

void AddHealthVerbs(VerbTable& table) {
  table.Add({.noun = "health",
             .synopsis = "[SERVICE]",
             .help = "grpc.health.v1 Check on --target; exit 0 when SERVING,\n"
                     "1 otherwise (for container healthchecks)",
             .usage = "health takes at most one SERVICE argument",
             .max_operands = 1,
             .run = Health});
}

}  // namespace chainhub::chainctl
