// chainctl: flags → CommandLine → RunCommand. Every flag can also come from the environment as
// CHAINHUB_<FLAG> (e.g. CHAINHUB_TOKEN); the command line wins.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "common/flags.h"
#include "tools/chainctl/commands.h"

// Global.
ABSL_FLAG(std::string, target, "127.0.0.1:50051", "Service address HOST:PORT");
ABSL_FLAG(std::string, registry_target, "",
          "Registry address; wins over --target for registry calls");
ABSL_FLAG(std::string, token, "", "Bearer token (JWT); also CHAINHUB_TOKEN");
ABSL_FLAG(std::string, output, "table", "table or json");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "Deadline of each RPC");
ABSL_FLAG(std::string, tls_ca_file, "", "PEM CA bundle: use TLS (plaintext when unset)");
ABSL_FLAG(std::string, tls_client_cert_file, "", "PEM client certificate for mutual TLS");
ABSL_FLAG(std::string, tls_client_key_file, "", "PEM client key for mutual TLS");
// token mint.
ABSL_FLAG(std::string, secret_file, "", "token mint: file holding the HS256 secret");
ABSL_FLAG(std::string, sub, "", "token mint: subject, e.g. systems/ops or departments/fgw");
ABSL_FLAG(std::string, roles, "", "token mint: comma-separated roles, e.g. admin,viewer");
ABSL_FLAG(std::string, chains, "", "token mint: comma-separated chain ids a chain office writes");
ABSL_FLAG(absl::Duration, ttl, absl::Hours(24), "token mint: lifetime of the token");
// seed, import.
ABSL_FLAG(std::string, data, "data", "seed: the seed data directory");
ABSL_FLAG(int, batch_size, 500,
          "enterprises import / seed: rows per BatchUpsertEnterprises (1-1000)");
ABSL_FLAG(bool, validate_only, false, "enterprises import: validate every row, write nothing");
// list commands.
ABSL_FLAG(std::string, filter, "", "list: filter expression (docs/filter.md)");
ABSL_FLAG(std::string, order_by, "", "list: ordering, e.g. \"annual_output_yuan desc\"");
ABSL_FLAG(int, page_size, 0, "list: results per page (server default when 0)");
ABSL_FLAG(std::string, page_token, "", "list: continue from this page token");
ABSL_FLAG(bool, all, false, "list: fetch every page");
// province resolve.
ABSL_FLAG(std::string, date, "", "province resolve: YYYY-MM-DD (today when empty)");

int main(int argc, char** argv) {
  std::vector<char*> positional = chainhub::ParseFlagsWithEnv(
      argc, argv, "chainctl [flags] COMMAND [args]; `chainctl help` lists the commands");

  chainhub::chainctl::CommandLine cmd;
  cmd.client.target = absl::GetFlag(FLAGS_target);
  cmd.client.registry_target = absl::GetFlag(FLAGS_registry_target);
  cmd.client.token = absl::GetFlag(FLAGS_token);
  cmd.client.timeout = absl::GetFlag(FLAGS_timeout);
  cmd.client.tls_ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  cmd.client.tls_client_cert_file = absl::GetFlag(FLAGS_tls_client_cert_file);
  cmd.client.tls_client_key_file = absl::GetFlag(FLAGS_tls_client_key_file);
  const std::string output = absl::GetFlag(FLAGS_output);
  if (output == "json") {
    cmd.client.output = chainhub::chainctl::OutputFormat::kJson;
  } else if (output != "table") {
    std::cerr << "chainctl: --output must be table or json\n";
    return chainhub::chainctl::kExitUsage;
  }
  if (cmd.client.timeout <= absl::ZeroDuration()) {
    std::cerr << "chainctl: --timeout must be positive\n";
    return chainhub::chainctl::kExitUsage;
  }
  cmd.secret_file = absl::GetFlag(FLAGS_secret_file);
  cmd.sub = absl::GetFlag(FLAGS_sub);
  cmd.roles = absl::GetFlag(FLAGS_roles);
  cmd.chains = absl::GetFlag(FLAGS_chains);
  cmd.ttl = absl::GetFlag(FLAGS_ttl);
  cmd.data_dir = absl::GetFlag(FLAGS_data);
  cmd.batch_size = absl::GetFlag(FLAGS_batch_size);
  cmd.validate_only = absl::GetFlag(FLAGS_validate_only);
  cmd.filter = absl::GetFlag(FLAGS_filter);
  cmd.order_by = absl::GetFlag(FLAGS_order_by);
  cmd.page_size = absl::GetFlag(FLAGS_page_size);
  cmd.page_token = absl::GetFlag(FLAGS_page_token);
  cmd.all = absl::GetFlag(FLAGS_all);
  cmd.date = absl::GetFlag(FLAGS_date);

  std::vector<std::string> args(positional.begin() + 1, positional.end());
  return chainhub::chainctl::RunCommand(cmd, args, std::cout, std::cerr);
}
