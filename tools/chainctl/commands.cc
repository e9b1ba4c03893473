#include "tools/chainctl/commands.h"

#include <iostream>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/rpc/auth.h"
#include "common/base/credit_code.h"
#include "common/base/status_util.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/health.h"
#include "tools/chainctl/import.h"
#include "tools/chainctl/render.h"
#include "tools/chainctl/seed.h"
#include "tools/chainctl/text_table.h"

namespace chainhub::chainctl {
namespace {

namespace rv1 = registry::v1;

constexpr char kHelp[] = R"(chainctl — the operator's client for chainhub

usage: chainctl [global flags] COMMAND [args] [flags]

commands:
  help                                   this text
  token mint --secret_file=FILE --sub=SUBJECT --roles=ROLE[,ROLE]
             [--chains=ID[,ID]] [--ttl=24h]
                                         print a bearer token signed with the HS256 secret
                                         (roles: admin, chain_office, department, assessor,
                                         province, viewer; --chains: chains a chain office writes)
  health [SERVICE]                       grpc.health.v1 Check on --target; exit 0 when SERVING,
                                         1 otherwise (for container healthchecks)
  seed [--data=DIR]                      load DIR (default ./data): departments, chains,
                                         province lists, province mapping, maps/*.json nodes,
                                         enterprises.csv; idempotent, one summary line per kind
  chains list [--filter=…] [--order_by=…] [--all]
                                         id, 名称, english, status, 链长, 牵头部门, target
  chains get CHAIN                       every field of a chain (CHAIN: pv or chains/pv)
  map CHAIN                              the chain map as a tree, upstream → downstream, with
                                         ✗ 缺链 missing / △ 薄弱 weak / ✓ 强 strong and counts
  gaps CHAIN                             the gap analysis: gaps and the 招引清单 (attraction list)
  enterprises import FILE.csv [--batch_size=500] [--validate_only]
                                         CSV (RFC 4180) → BatchUpsertEnterprises; columns
                                         credit_code, display_name (required), county, park,
                                         labels, annual_output_yuan, memberships,
                                         province_category_override, synthetic
  enterprises list [--filter=…] [--order_by=…] [--page_size=N] [--page_token=T] [--all]
                                         e.g. --filter='chain = "pv" AND label = "CHAIN_OWNER"'
  enterprises get CODE                   one enterprise by 统一社会信用代码
  departments list [--all]
  province resolve SUBJECT [--date=YYYY-MM-DD]
                                         provincial categories of chains/x, chains/x/nodes/y or
                                         enterprises/CODE (a bare chain id or credit code works)
  audit list [--filter=…] [--page_size=N] [--all]
                                         the audit trail (admins only), newest first

global flags (each also read from the environment as CHAINHUB_<FLAG>; the flag wins):
  --target=HOST:PORT        service address (default 127.0.0.1:50051)
  --registry_target=H:P     registry address, wins over --target for registry calls
  --token=JWT               bearer token (CHAINHUB_TOKEN)
  --output=table|json       json prints the response as protobuf JSON, one object
  --timeout=10s             deadline of each RPC
  --tls_ca_file=FILE        TLS with this CA bundle (plaintext when unset)
  --tls_client_cert_file=FILE, --tls_client_key_file=FILE
                            client certificate for mutual TLS

exit codes: 0 ok; 1 usage error (or unusable input file); 2 RPC or connection error;
            3 partial failure (some rows or objects failed)
)";

// A missing or unknown command gets the whole help text (Usage gives one problem).
int FullUsage(std::ostream& err, absl::string_view problem) {
  err << "chainctl: " << problem << "\n\n" << kHelp;
  return kExitUsage;
}

bool Json(const CommandLine& cmd) { return cmd.client.output == OutputFormat::kJson; }

int TokenMint(const CommandLine& cmd, std::ostream& out, std::ostream& err) {
  if (cmd.secret_file.empty()) return Usage(err, "token mint needs --secret_file");
  if (cmd.sub.empty()) return Usage(err, "token mint needs --sub (e.g. systems/ops)");
  Principal p;
  p.subject = cmd.sub;
  for (absl::string_view role : absl::StrSplit(cmd.roles, ',', absl::SkipWhitespace())) {
    role = absl::StripAsciiWhitespace(role);
    if (!IsKnownRole(role)) return Usage(err, absl::StrCat("unknown role \"", role, "\""));
    p.roles.emplace(role);
  }
  if (p.roles.empty()) return Usage(err, "token mint needs --roles (e.g. admin)");
  for (absl::string_view chain : absl::StrSplit(cmd.chains, ',', absl::SkipWhitespace())) {
    chain = absl::StripAsciiWhitespace(chain);
    absl::ConsumePrefix(&chain, "chains/");
    p.chains.emplace(chain);
  }
  if (cmd.ttl <= absl::ZeroDuration()) return Usage(err, "--ttl must be positive");
  absl::StatusOr<std::string> secret = ReadSecretFile(cmd.secret_file);
  if (!secret.ok()) {
    PrintError(secret.status(), err, nullptr);
    return kExitUsage;
  }
  absl::StatusOr<std::string> token = MintToken(*secret, p, absl::Now(), cmd.ttl);
  if (!token.ok()) {
    PrintError(token.status(), err, nullptr);
    return kExitUsage;
  }
  out << *token << "\n";
  return kExitOk;
}

int Health(const CommandLine& cmd, const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err) {
  if (args.size() > 2) return Usage(err, "health takes at most one SERVICE argument");
  auto conn = Connection::Open(cmd.client, cmd.client.target);
  if (!conn.ok()) {
    PrintError(conn.status(), err, nullptr);
    return kExitUsage;
  }
  absl::StatusOr<ServingStatus> status = CheckHealth(**conn, args.size() == 2 ? args[1] : "");
  if (!status.ok()) {
    PrintError(status.status(), err, &cmd.client);
    return 1;  // healthchecks want one "unhealthy" code, whatever the cause
  }
  const absl::string_view name = ServingStatusName(*status);
  if (Json(cmd)) {
    out << "{\n  \"status\": \"" << name << "\"\n}\n";
  } else {
    out << name << "\n";
  }
  return *status == ServingStatus::kServing ? kExitOk : 1;
}

int ChainsCommand(const CommandLine& cmd, const std::vector<std::string>& args, Connection& c,
                  std::ostream& out, std::ostream& err) {
  if (args.size() >= 2 && args[1] == "list") {
    if (args.size() != 2) return Usage(err, "chains list takes no arguments");
    rv1::ListChainsRequest req;
    req.set_filter(cmd.filter);
    req.set_order_by(cmd.order_by);
    req.set_page_size(cmd.page_size > 0 ? cmd.page_size : (cmd.all ? 1000 : 0));
    req.set_page_token(cmd.page_token);
    rv1::ListChainsResponse resp;
    grpc::Status status = FetchPages(
        c, req, cmd.all, &resp,
        [&](auto* ctx, const auto& r, auto* o) { return c.registry().ListChains(ctx, r, o); });
    if (!status.ok()) return ReportRpcError(status, err, cmd.client);
    if (Json(cmd)) {
      out << ToJson(resp);
    } else {
      PrintChainsTable(resp, LoadDepartmentNames(c), out);
      PrintNextPage(resp.next_page_token(), err);
    }
    return kExitOk;
  }
  if (args.size() >= 2 && args[1] == "get") {
    if (args.size() != 3) return Usage(err, "usage: chainctl chains get CHAIN");
    rv1::GetChainRequest req;
    req.set_name(ChainName(args[2]));
    rv1::Chain chain;
    grpc::ClientContext ctx;
    c.Prepare(&ctx);
    grpc::Status status = c.registry().GetChain(&ctx, req, &chain);
    if (!status.ok()) return ReportRpcError(status, err, cmd.client);
    if (Json(cmd)) {
      out << ToJson(chain);
    } else {
      PrintChain(chain, LoadDepartmentNames(c), out);
    }
    return kExitOk;
  }
  return Usage(err, "usage: chainctl chains list|get");
}

int MapCommand(const CommandLine& cmd, const std::vector<std::string>& args, Connection& c,
               std::ostream& out, std::ostream& err) {
  if (args.size() != 2) return Usage(err, "usage: chainctl map CHAIN");
  rv1::GetChainMapRequest req;
  req.set_name(ChainName(args[1]));
  rv1::ChainMap map;
  grpc::ClientContext ctx;
  c.Prepare(&ctx);
  grpc::Status status = c.registry().GetChainMap(&ctx, req, &map);
  if (!status.ok()) return ReportRpcError(status, err, cmd.client);
  if (Json(cmd)) {
    out << ToJson(map);
  } else {
    PrintChainMap(map, out);
  }
  return kExitOk;
}

int GapsCommand(const CommandLine& cmd, const std::vector<std::string>& args, Connection& c,
                std::ostream& out, std::ostream& err) {
  if (args.size() != 2) return Usage(err, "usage: chainctl gaps CHAIN");
  rv1::AnalyzeGapsRequest req;
  req.set_name(ChainName(args[1]));
  rv1::GapReport report;
  grpc::ClientContext ctx;
  c.Prepare(&ctx);
  grpc::Status status = c.registry().AnalyzeGaps(&ctx, req, &report);
  if (!status.ok()) return ReportRpcError(status, err, cmd.client);
  if (Json(cmd)) {
    out << ToJson(report);
  } else {
    PrintGapReport(report, out);
  }
  return kExitOk;
}

int EnterprisesCommand(const CommandLine& cmd, const std::vector<std::string>& args, Connection& c,
                       std::ostream& out, std::ostream& err) {
  const std::string verb = args.size() >= 2 ? args[1] : "";
  if (verb == "import") {
    if (args.size() != 3) {
      return Usage(err,
                   "usage: chainctl enterprises import FILE.csv [--batch_size=N] "
                   "[--validate_only]");
    }
    ImportOptions options;
    options.batch_size = cmd.batch_size;
    options.validate_only = cmd.validate_only;
    return RunImport(c, args[2], options, out, err);
  }
  if (verb == "list") {
    if (args.size() != 2) return Usage(err, "enterprises list takes no arguments");
    rv1::ListEnterprisesRequest req;
    req.set_filter(cmd.filter);
    req.set_order_by(cmd.order_by);
    req.set_page_size(cmd.page_size > 0 ? cmd.page_size : (cmd.all ? 1000 : 0));
    req.set_page_token(cmd.page_token);
    rv1::ListEnterprisesResponse resp;
    grpc::Status status = FetchPages(
        c, req, cmd.all, &resp,
        [&](auto* ctx, const auto& r, auto* o) { return c.registry().ListEnterprises(ctx, r, o); });
    if (!status.ok()) return ReportRpcError(status, err, cmd.client);
    if (Json(cmd)) {
      out << ToJson(resp);
    } else {
      PrintEnterprisesTable(resp, out);
      err << resp.enterprises_size() << " enterprises\n";
      PrintNextPage(resp.next_page_token(), err);
    }
    return kExitOk;
  }
  if (verb == "get") {
    if (args.size() != 3) return Usage(err, "usage: chainctl enterprises get CODE");
    rv1::GetEnterpriseRequest req;
    req.set_name(absl::StartsWith(args[2], "enterprises/") ? args[2]
                                                           : absl::StrCat("enterprises/", args[2]));
    rv1::Enterprise e;
    grpc::ClientContext ctx;
    c.Prepare(&ctx);
    grpc::Status status = c.registry().GetEnterprise(&ctx, req, &e);
    if (!status.ok()) return ReportRpcError(status, err, cmd.client);
    if (Json(cmd)) {
      out << ToJson(e);
    } else {
      PrintEnterprise(e, out);
    }
    return kExitOk;
  }
  return Usage(err, "usage: chainctl enterprises import|list|get");
}

int DepartmentsCommand(const CommandLine& cmd, const std::vector<std::string>& args, Connection& c,
                       std::ostream& out, std::ostream& err) {
  if (args.size() != 2 || args[1] != "list") return Usage(err, "usage: chainctl departments list");
  rv1::ListDepartmentsRequest req;
  req.set_filter(cmd.filter);
  req.set_page_size(cmd.page_size > 0 ? cmd.page_size : (cmd.all ? 1000 : 0));
  req.set_page_token(cmd.page_token);
  rv1::ListDepartmentsResponse resp;
  grpc::Status status = FetchPages(c, req, cmd.all, &resp, [&](auto* ctx, const auto& r, auto* o) {
    return c.registry().ListDepartments(ctx, r, o);
  });
  if (!status.ok()) return ReportRpcError(status, err, cmd.client);
  if (Json(cmd)) {
    out << ToJson(resp);
    return kExitOk;
  }
  TextTable table({"id", "名称", "简称", "contact"});
  for (const auto& d : resp.departments()) {
    table.AddRow({ShortId(d.name()), d.display_name(),
                  d.short_name().empty() ? "-" : d.short_name(),
                  d.has_contact() ? PersonText(d.contact()) : "-"});
  }
  table.Print(out);
  PrintNextPage(resp.next_page_token(), err);
  return kExitOk;
}

// A bare argument is a credit code when it checks out as one, otherwise a chain id.
std::string ProvinceSubject(const std::string& arg) {
  if (arg.find('/') != std::string::npos) return arg;
  if (ValidateCreditCode(arg).ok()) return absl::StrCat("enterprises/", arg);
  return absl::StrCat("chains/", arg);
}

int ProvinceCommand(const CommandLine& cmd, const std::vector<std::string>& args, Connection& c,
                    std::ostream& out, std::ostream& err) {
  if (args.size() != 3 || args[1] != "resolve") {
    return Usage(err, "usage: chainctl province resolve SUBJECT [--date=YYYY-MM-DD]");
  }
  rv1::ResolveProvinceCategoriesRequest req;
  req.set_subject(ProvinceSubject(args[2]));
  req.set_date(cmd.date);
  rv1::ResolveProvinceCategoriesResponse resp;
  grpc::ClientContext ctx;
  c.Prepare(&ctx);
  grpc::Status status = c.registry().ResolveProvinceCategories(&ctx, req, &resp);
  if (!status.ok()) return ReportRpcError(status, err, cmd.client);
  if (Json(cmd)) {
    out << ToJson(resp);
    return kExitOk;
  }
  out << req.subject() << " on " << (cmd.date.empty() ? "today" : cmd.date) << ": province list "
      << resp.version() << " (" << resp.source() << ")\n";
  if (resp.categories_size() == 0) {
    out << "(no provincial category)\n";
    return kExitOk;
  }
  TextTable table({"id", "名称", "version"});
  for (const auto& pc : resp.categories()) table.AddRow({pc.id(), pc.display_name(), pc.version()});
  table.Print(out);
  return kExitOk;
}

int AuditCommand(const CommandLine& cmd, const std::vector<std::string>& args, Connection& c,
                 std::ostream& out, std::ostream& err) {
  if (args.size() != 2 || args[1] != "list") return Usage(err, "usage: chainctl audit list");
  common::v1::ListAuditEventsRequest req;
  req.set_filter(cmd.filter);
  req.set_page_size(cmd.page_size > 0 ? cmd.page_size : (cmd.all ? 1000 : 0));
  req.set_page_token(cmd.page_token);
  common::v1::ListAuditEventsResponse resp;
  grpc::Status status = FetchPages(c, req, cmd.all, &resp, [&](auto* ctx, const auto& r, auto* o) {
    return c.registry().ListAuditEvents(ctx, r, o);
  });
  if (!status.ok()) return ReportRpcError(status, err, cmd.client);
  if (Json(cmd)) {
    out << ToJson(resp);
    return kExitOk;
  }
  TextTable table({"time", "principal", "method", "resource", "request_id", "detail"});
  for (const auto& e : resp.audit_events()) {
    table.AddRow({FormatTimestamp(e.time()), e.principal(), ShortId(e.method()), e.resource(),
                  e.request_id().empty() ? "-" : e.request_id(),
                  e.detail().empty() ? "-" : e.detail()});
  }
  table.Print(out);
  PrintNextPage(resp.next_page_token(), err);
  return kExitOk;
}

}  // namespace

std::string HelpText() { return kHelp; }

int RunCommand(const CommandLine& cmd, const std::vector<std::string>& args, std::ostream& out,
               std::ostream& err) {
  if (args.empty()) return FullUsage(err, "no command given");
  const std::string& command = args[0];
  if (command == "help") {
    out << kHelp;
    return kExitOk;
  }
  if (command == "token") {
    if (args.size() != 2 || args[1] != "mint") return Usage(err, "usage: chainctl token mint …");
    return TokenMint(cmd, out, err);
  }
  if (command == "health") return Health(cmd, args, out, err);

  using Handler = int (*)(const CommandLine&, const std::vector<std::string>&, Connection&,
                          std::ostream&, std::ostream&);
  Handler handler = nullptr;
  if (command == "chains") handler = ChainsCommand;
  if (command == "map") handler = MapCommand;
  if (command == "gaps") handler = GapsCommand;
  if (command == "enterprises") handler = EnterprisesCommand;
  if (command == "departments") handler = DepartmentsCommand;
  if (command == "province") handler = ProvinceCommand;
  if (command == "audit") handler = AuditCommand;
  const bool seed = command == "seed";
  if (handler == nullptr && !seed) {
    return FullUsage(err, absl::StrCat("unknown command \"", command, "\""));
  }
  if (seed && args.size() != 1) return Usage(err, "seed takes no arguments (use --data=DIR)");

  absl::StatusOr<std::unique_ptr<Connection>> conn = OpenRegistry(cmd);
  if (!conn.ok()) {
    PrintError(conn.status(), err, nullptr);
    return kExitUsage;
  }
  if (seed) {
    SeedOptions options;
    options.data_dir = cmd.data_dir;
    options.batch_size = cmd.batch_size;
    return RunSeed(**conn, options, out, err);
  }
  return handler(cmd, args, **conn, out, err);
}

}  // namespace chainhub::chainctl
