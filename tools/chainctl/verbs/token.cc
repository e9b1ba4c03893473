// token mint: a bearer token signed with the services' HS256 secret.
#include "absl/time/time.h"
#include "common/rpc/auth.h"
#include "tools/chainctl/arguments.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

int Mint(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (cmd.secret_file.empty()) return Usage(call.err, "token mint needs --secret_file");
  if (cmd.sub.empty()) return Usage(call.err, "token mint needs --sub (e.g. systems/ops)");
  absl::StatusOr<Principal> principal = TokenPrincipal(cmd.sub, cmd.roles, cmd.chains);
  if (!principal.ok()) return Usage(call.err, principal.status().message());
  if (cmd.ttl <= absl::ZeroDuration()) return Usage(call.err, "--ttl must be positive");
  absl::StatusOr<std::string> secret = ReadSecretFile(cmd.secret_file);
  if (!secret.ok()) {
    PrintError(secret.status(), call.err, nullptr);
    return kExitUsage;
  }
  absl::StatusOr<std::string> token = MintToken(*secret, *principal, cmd.clock->Now(), cmd.ttl);
  if (!token.ok()) {
    PrintError(token.status(), call.err, nullptr);
    return kExitUsage;
  }
  call.out << *token << "\n";
  return kExitOk;
}

}  // namespace

void AddTokenVerbs(VerbTable& table) {
  table.Add({.noun = "token",
             .verb = "mint",
             .synopsis = "--secret_file=FILE --sub=SUBJECT --roles=ROLE[,ROLE]\n"
                         "[--chains=ID[,ID]] [--ttl=24h]",
             .help = "print a bearer token signed with the HS256 secret\n"
                     "(roles: admin, chain_office, department, assessor,\n"
                     "province, viewer; --chains: chains a chain office writes)",
             .usage = "usage: chainctl token mint …",
             .run = Mint});
}

}  // namespace chainhub::chainctl
