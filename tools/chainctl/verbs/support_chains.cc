// 多链协同 and 本地配套率: chain-keyed entries (apply, list, match) and supplier spend (import,
// list, rate) on chainhub.support.v1.ChainSupport (docs/support.md).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/chainctl/support_arguments.h"
#include "tools/chainctl/support_cli.h"
#include "tools/chainctl/support_files.h"
#include "tools/chainctl/support_import.h"
#include "tools/chainctl/support_render.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

using Stub = SupportStub;

// chains/{chain} of an entry's name (chains/pv/entries/x → chains/pv).
std::string ParentOf(const std::string& name) {
  const size_t entries = name.find("/entries/");
  return entries == std::string::npos ? "" : name.substr(0, entries);
}

grpc::Status ApplyEntry(SupportClient& c, const EntryOnChain& wanted,
                        const spv1::ChainEntry* stored, Applied* applied, std::ostream& out) {
  spv1::ChainEntry saved;
  if (stored == nullptr) {
    spv1::CreateChainEntryRequest req;
    req.set_parent(wanted.parent);
    *req.mutable_entry() = wanted.entry;
    req.set_request_id(ContentRequestId("entry", req));
    grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::CreateChainEntry, req, &saved);
    *applied = Applied::kCreated;
    if (s.ok()) PrintApplied(out, *applied, saved.name());
    return s;
  }
  const std::vector<std::string> changes = EntryChanges(wanted.entry, *stored);
  if (changes.empty()) {
    *applied = Applied::kUnchanged;
    PrintApplied(out, *applied, stored->name());
    return grpc::Status::OK;
  }
  spv1::UpdateChainEntryRequest req;
  *req.mutable_entry() = wanted.entry;
  req.mutable_entry()->set_name(stored->name());
  req.mutable_entry()->set_etag(stored->etag());
  for (const std::string& path : changes) req.mutable_update_mask()->add_paths(path);
  grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::UpdateChainEntry, req, &saved);
  *applied = Applied::kUpdated;
  if (s.ok()) PrintApplied(out, *applied, saved.name(), changes);
  return s;
}

// entries apply [CHAIN] FILE: the chain operand, when given, is the default chain as --chain is.
int EntriesApply(const Call& call) {
  const std::string& path = call.operands.back();
  const std::string& chain = call.operands.size() == 2 ? call.operands[0] : call.cmd.chain;
  std::optional<std::string> text = ReadOperandFile(call, path);
  if (!text) return kExitUsage;
  absl::StatusOr<std::vector<EntryOnChain>> wanted = ParseEntriesFile(*text, chain);
  if (!wanted.ok()) return BadFile(call, path, wanted.status());
  if (call.cmd.validate_only) {
    call.out << path << ": " << wanted->size() << " entries, valid; nothing applied\n";
    return kExitOk;
  }
  SupportClient& c = *call.support;
  spv1::ListChainEntriesRequest list;
  list.set_parent("chains/-");
  spv1::ListChainEntriesResponse live;
  grpc::Status listed = FetchAll(c, &Stub::ListChainEntries, list, &live);
  if (!listed.ok()) return call.RpcError(listed);
  std::map<std::string, const spv1::ChainEntry*> by_key;
  for (const auto& e : live.entries()) by_key.emplace(EntryKey(ParentOf(e.name()), e), &e);
  ApplyCounts counts;
  for (size_t n = 0; n < wanted->size(); ++n) {
    const EntryOnChain& e = (*wanted)[n];
    const std::string key = EntryKey(e.parent, e.entry);
    auto it = by_key.find(key);
    Applied applied = Applied::kUnchanged;
    grpc::Status s =
        ApplyEntry(c, e, it == by_key.end() ? nullptr : it->second, &applied, call.out);
    if (!counts.Take(s, static_cast<int>(n) + 1, absl::StrCat(e.parent, " ", e.entry.title()),
                     applied)) {
      counts.tally.not_sent = static_cast<int>(wanted->size() - n);
      break;
    }
  }
  return counts.Finish(path, wanted->size(), "entries", c, call.out, call.err);
}

int EntriesList(const Call& call) {
  spv1::ListChainEntriesRequest req = ListRequest<spv1::ListChainEntriesRequest>(call.cmd);
  req.set_parent(call.cmd.chain.empty() ? "chains/-" : ChainArg(call.cmd.chain));
  SupportClient& c = *call.support;
  return ShowList(call, c.connection(), c.stub(), &Stub::ListChainEntries, req, PrintEntriesTable);
}

int EntriesMatch(const Call& call) {
  spv1::MatchOpportunityRequest req;
  req.set_entry(EntryArg(call.operands[0]));
  req.set_page_size(call.cmd.page_size);
  SupportClient& c = *call.support;
  return CallAndShow(
      call, c.connection(), c.stub(), &Stub::MatchOpportunity, req,
      [&](const spv1::MatchOpportunityResponse& m) { PrintOpportunityMatches(m, call.out); });
}

// --- spend ---------------------------------------------------------------------------------------

int SpendImport(const Call& call) {
  return RunSupportImport(*call.support, &Stub::ImportSupplierSpend, call.operands[0],
                          call.cmd.validate_only, call.cmd.json(), call.out, call.err);
}

int SpendList(const Call& call) {
  if (Missing(call, "chain", call.cmd.chain, "e.g. pv")) return kExitUsage;
  spv1::ListSupplierSpendRequest req = ListRequest<spv1::ListSupplierSpendRequest>(call.cmd);
  req.set_parent(ChainArg(call.cmd.chain));
  SupportClient& c = *call.support;
  return ShowList(call, c.connection(), c.stub(), &Stub::ListSupplierSpend, req, PrintSpendTable);
}

int SpendRate(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (Missing(call, "chain", cmd.chain, "e.g. pv") ||
      Missing(call, "period", cmd.period, "2026, 2026-Q2 or 2026-05")) {
    return kExitUsage;
  }
  std::optional<spv1::LocalScope> scope = ParseLocalScope(cmd.scope);
  if (!scope) {
    return Usage(call.err, absl::StrCat("--scope: must be city, province or region (市内, 省内, "
                                        "区域), got \"",
                                        cmd.scope, "\""));
  }
  spv1::ComputeLocalRateRequest req;
  req.set_chain(ChainArg(cmd.chain));
  req.set_period(cmd.period);
  req.set_scope(*scope);
  for (absl::string_view r : absl::StrSplit(cmd.reporters, ',', absl::SkipWhitespace())) {
    req.add_reporters(EnterpriseArg(r));
  }
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::ComputeLocalRate, req,
                     [&](const spv1::LocalRateResponse& r) { PrintLocalRate(r, call.out); });
}

}  // namespace

void AddSupportChainVerbs(VerbTable& table) {
  table.Add({.noun = "entries",
             .verb = "apply",
             .synopsis = "[CHAIN] FILE [--chain=pv] [--validate_only]",
             .help = "chain-keyed entries (人才, 揭榜挂帅, 金融, 供需) from a\n"
                     "YAML/JSON file, each with `chain:` (else CHAIN or\n"
                     "--chain), matched by chain, kind and title",
             .usage = "usage: chainctl entries apply [CHAIN] FILE [--validate_only]",
             .min_operands = 1,
             .max_operands = 2,
             .needs = Needs::kSupport,
             .run = EntriesApply});
  table.Add({.noun = "entries",
             .verb = "list",
             .synopsis = "[--chain=pv] [--filter='kind = \"TALENT_DEMAND\"'] [--all]",
             .help = "a chain's entries (every chain's without --chain)",
             .usage = "entries list takes no arguments",
             .needs = Needs::kSupport,
             .run = EntriesList});
  table.Add({.noun = "entries",
             .verb = "match",
             .synopsis = "ENTRY [--page_size=N]",
             .help = "local enterprises that could answer a supply or\n"
                     "purchase opportunity",
             .usage = "usage: chainctl entries match ENTRY",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = EntriesMatch});
  table.Add({.noun = "spend",
             .verb = "import",
             .synopsis = "FILE.csv [--validate_only]",
             .help = "supplier spend → ImportSupplierSpend; columns chain,\n"
                     "reporter, period, supplier_credit_code, supplier_name,\n"
                     "supplier_division, amount_yuan; a report re-sent\n"
                     "replaces it; all rows or none",
             .usage = "usage: chainctl spend import FILE.csv [--validate_only]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = SpendImport});
  table.Add({.noun = "spend",
             .verb = "list",
             .synopsis = "--chain=pv [--filter='period = \"2026\"'] [--all]",
             .help = "the spend reports of a chain's firms",
             .usage = "usage: chainctl spend list --chain=CHAIN",
             .needs = Needs::kSupport,
             .run = SpendList});
  table.Add({.noun = "spend",
             .verb = "rate",
             .synopsis = "--chain=pv --period=2026 [--scope=city|province|region]\n"
                         "[--reporters=CODE,…]",
             .help = "本地配套率: local purchases ÷ all purchases of the\n"
                     "reporting firms, overall and per firm",
             .usage = "usage: chainctl spend rate --chain=CHAIN --period=PERIOD [--scope=…]",
             .needs = Needs::kSupport,
             .run = SpendRate});
}

}  // namespace chainhub::chainctl
