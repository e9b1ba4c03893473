// 政策链: policies (apply, list), items (list, import, show, match, for, payouts), claims (list,
// apply, decide, pay) and payouts figures on chainhub.support.v1.ChainSupport (docs/support.md).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

// --- policies apply
// --------------------------------------------------------------------------------

// The fields of a policy that differ from what the service holds (a policy is not changed once
// created; its items are).
std::vector<std::string> PolicyDifferences(const spv1::Policy& wanted, const spv1::Policy& stored) {
  std::vector<std::string> fields;
  if (wanted.title() != stored.title()) fields.push_back("title");
  if (wanted.document_number() != stored.document_number()) fields.push_back("document_number");
  if (wanted.department() != stored.department()) fields.push_back("department");
  if (wanted.issue_date() != stored.issue_date()) fields.push_back("issue_date");
  if (std::vector<std::string>(wanted.chains().begin(), wanted.chains().end()) !=
      std::vector<std::string>(stored.chains().begin(), stored.chains().end())) {
    fields.push_back("chains");
  }
  return fields;
}

// The policy an entry names, in `policy`: the one the service holds (FAILED_PRECONDITION when the
// file says otherwise: a policy is not updated), or a new one.
grpc::Status ApplyPolicy(SupportClient& c, const spv1::Policy& wanted, const spv1::Policy* stored,
                         spv1::Policy* policy, Applied* applied, std::ostream& out) {
  if (stored != nullptr) {
    *policy = *stored;
    *applied = Applied::kUnchanged;
    const std::vector<std::string> differ = PolicyDifferences(wanted, *stored);
    if (!differ.empty()) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          absl::StrCat(stored->name(), " differs in ", absl::StrJoin(differ, ", "),
                                       "; a policy is not changed once issued (its items are)"));
    }
    PrintApplied(out, *applied, stored->name());
    return grpc::Status::OK;
  }
  spv1::CreatePolicyRequest req;
  *req.mutable_policy() = wanted;
  req.set_request_id(ContentRequestId("policy", wanted));
  grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::CreatePolicy, req, policy);
  *applied = Applied::kCreated;
  if (s.ok()) PrintApplied(out, *applied, policy->name());
  return s;
}

grpc::Status ApplyItem(SupportClient& c, const std::string& policy, const spv1::PolicyItem& wanted,
                       const spv1::PolicyItem* stored, Applied* applied, std::ostream& out) {
  spv1::PolicyItem saved;
  if (stored == nullptr) {
    spv1::CreatePolicyItemRequest req;
    req.set_parent(policy);
    *req.mutable_item() = wanted;
    req.set_request_id(ContentRequestId("item", req));
    grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::CreatePolicyItem, req, &saved);
    *applied = Applied::kCreated;
    if (s.ok()) PrintApplied(out, *applied, saved.name());
    return s;
  }
  const std::vector<std::string> changes = PolicyItemChanges(wanted, *stored);
  if (changes.empty()) {
    *applied = Applied::kUnchanged;
    PrintApplied(out, *applied, stored->name());
    return grpc::Status::OK;
  }
  spv1::UpdatePolicyItemRequest req;
  *req.mutable_item() = wanted;
  req.mutable_item()->set_etag(stored->etag());
  for (const std::string& path : changes) req.mutable_update_mask()->add_paths(path);
  grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::UpdatePolicyItem, req, &saved);
  *applied = Applied::kUpdated;
  if (s.ok()) PrintApplied(out, *applied, saved.name(), changes);
  return s;
}

int PoliciesApply(const Call& call) {
  const std::string& path = call.operands[0];
  std::optional<std::string> text = ReadOperandFile(call, path);
  if (!text) return kExitUsage;
  absl::StatusOr<std::vector<PolicyEntry>> entries = ParsePoliciesFile(*text);
  if (!entries.ok()) return BadFile(call, path, entries.status());
  size_t total = 0;
  for (const PolicyEntry& e : *entries) total += 1 + e.items.size();
  if (call.cmd.validate_only) {
    call.out << path << ": " << entries->size() << " policies and " << total - entries->size()
             << " items, valid; nothing applied\n";
    return kExitOk;
  }
  SupportClient& c = *call.support;
  spv1::ListPoliciesResponse live;
  grpc::Status listed = FetchAll(c, &Stub::ListPolicies, spv1::ListPoliciesRequest(), &live);
  if (!listed.ok()) return call.RpcError(listed);
  std::map<std::string, const spv1::Policy*> by_key;
  for (const auto& p : live.policies()) by_key.emplace(PolicyKey(p), &p);

  ApplyCounts counts;
  int row = 0;
  bool stop = false;
  for (const PolicyEntry& entry : *entries) {
    auto it = by_key.find(PolicyKey(entry.policy));
    spv1::Policy policy;
    Applied applied = Applied::kUnchanged;
    grpc::Status s = ApplyPolicy(c, entry.policy, it == by_key.end() ? nullptr : it->second,
                                 &policy, &applied, call.out);
    // A policy that differs is still the one its items go under.
    const bool usable = s.ok() || s.error_code() == grpc::StatusCode::FAILED_PRECONDITION;
    if (!counts.Take(s, ++row, PolicyKey(entry.policy), applied)) {
      stop = true;
      break;
    }
    if (!usable) {
      counts.tally.not_sent += static_cast<int>(entry.items.size());
      row += static_cast<int>(entry.items.size());
      continue;
    }
    spv1::ListPolicyItemsRequest list;
    list.set_parent(policy.name());
    spv1::ListPolicyItemsResponse items;
    grpc::Status got = FetchAll(c, &Stub::ListPolicyItems, list, &items);
    if (!got.ok()) {
      if (!counts.Take(got, row, policy.name(), Applied::kUnchanged)) {
        stop = true;
        break;
      }
      counts.tally.not_sent += static_cast<int>(entry.items.size());
      row += static_cast<int>(entry.items.size());
      continue;
    }
    std::map<std::string, const spv1::PolicyItem*> by_name;
    for (const auto& i : items.items()) by_name.emplace(i.name(), &i);
    for (const spv1::PolicyItem& item : ItemsUnder(entry, policy.name())) {
      auto found = by_name.find(item.name());
      s = ApplyItem(c, policy.name(), item, found == by_name.end() ? nullptr : found->second,
                    &applied, call.out);
      if (!counts.Take(s, ++row, item.name(), applied)) {
        stop = true;
        break;
      }
    }
    if (stop) break;
  }
  if (stop) counts.tally.not_sent = static_cast<int>(total) - row + 1;
  return counts.Finish(path, total, "policies and items", c, call.out, call.err);
}

int PoliciesList(const Call& call) {
  SupportClient& c = *call.support;
  return ShowList(call, c.connection(), c.stub(), &Stub::ListPolicies,
                  ListRequest<spv1::ListPoliciesRequest>(call.cmd), PrintPoliciesTable);
}

// --- items
// -----------------------------------------------------------------------------------------

int ItemsList(const Call& call) {
  spv1::ListPolicyItemsRequest req = ListRequest<spv1::ListPolicyItemsRequest>(call.cmd);
  req.set_parent(call.operands.empty() ? "policies/-" : PolicyArg(call.operands[0]));
  SupportClient& c = *call.support;
  return ShowList(call, c.connection(), c.stub(), &Stub::ListPolicyItems, req, PrintItemsTable);
}

int ItemsImport(const Call& call) {
  return RunSupportImport(*call.support, &Stub::ImportPolicyItems, call.operands[0],
                          call.cmd.validate_only, call.cmd.json(), call.out, call.err);
}

int ItemsShow(const Call& call) {
  SupportClient& c = *call.support;
  spv1::GetPolicyItemRequest req;
  req.set_name(ItemArg(call.operands[0]));
  return CallAndShow(call, c.connection(), c.stub(), &Stub::GetPolicyItem, req,
                     [&](const spv1::PolicyItem& i) { PrintItem(i, call.out); });
}

int ItemsMatch(const Call& call) {
  spv1::MatchPolicyItemRequest req;
  req.set_item(ItemArg(call.operands[0]));
  req.set_as_of(call.cmd.as_of);
  req.set_page_size(call.cmd.list_page_size());
  req.set_page_token(call.cmd.page_token);
  SupportClient& c = *call.support;
  return ListAndShow(call, c.connection(), c.stub(), &Stub::MatchPolicyItem, req,
                     [&](const spv1::MatchPolicyItemResponse& m) {
                       PrintItemMatches(m, call.out);
                       PrintNextPage(m.next_page_token(), call.err);
                     });
}

int ItemsFor(const Call& call) {
  spv1::MatchEnterpriseRequest req;
  req.set_enterprise(EnterpriseArg(call.operands[0]));
  req.set_include_misses(call.cmd.misses);
  req.set_as_of(call.cmd.as_of);
  SupportClient& c = *call.support;
  return CallAndShow(
      call, c.connection(), c.stub(), &Stub::MatchEnterprise, req,
      [&](const spv1::MatchEnterpriseResponse& m) { PrintEnterpriseMatches(m, call.out); });
}

int ItemsPayouts(const Call& call) {
  spv1::GeneratePayoutsRequest req;
  req.set_item(ItemArg(call.operands[0]));
  req.set_as_of(call.cmd.as_of);
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::GeneratePayouts, req,
                     [&](const spv1::GeneratePayoutsResponse& p) { PrintPayouts(p, call.out); });
}

// --- claims
// ----------------------------------------------------------------------------------------

int ClaimsList(const Call& call) {
  spv1::ListClaimsRequest req = ListRequest<spv1::ListClaimsRequest>(call.cmd);
  req.set_parent(call.operands.empty() ? "policies/-/items/-" : ItemArg(call.operands[0]));
  SupportClient& c = *call.support;
  return ShowList(call, c.connection(), c.stub(), &Stub::ListClaims, req, PrintClaimsTable);
}

int ClaimsApply(const Call& call) {
  if (Missing(call, "enterprise", call.cmd.enterprise, "its credit code")) return kExitUsage;
  spv1::ApplyForItemRequest req;
  req.set_item(ItemArg(call.operands[0]));
  req.set_enterprise(EnterpriseArg(call.cmd.enterprise));
  req.set_note(call.cmd.note);
  // Applying again is a retry: an enterprise has one claim per item.
  req.set_request_id(ContentRequestId("claim", req));
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::ApplyForItem, req,
                     [&](const spv1::Claim& claim) { PrintClaim(claim, call.out); });
}

int ClaimsDecide(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (cmd.approve == cmd.reject) return Usage(call.err, "give one of --approve and --reject");
  if (cmd.reject && cmd.note.empty()) return Usage(call.err, "--note: required to reject (why)");
  if (cmd.reject && !cmd.amount.empty()) return Usage(call.err, "--amount: only with --approve");
  spv1::DecideClaimRequest req;
  req.set_name(ClaimArg(call.operands[0]));
  req.set_approve(cmd.approve);
  req.set_note(cmd.note);
  if (!cmd.amount.empty()) {
    absl::StatusOr<int64_t> amount = YuanArg("--amount", cmd.amount);
    if (!amount.ok()) return BadArgument(call, amount.status());
    req.set_approved_yuan(*amount);
  }
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::DecideClaim, req,
                     [&](const spv1::Claim& claim) { PrintClaim(claim, call.out); });
}

int ClaimsPay(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (Missing(call, "amount", cmd.amount, "the yuan paid")) return kExitUsage;
  absl::StatusOr<int64_t> amount = YuanArg("--amount", cmd.amount);
  if (!amount.ok()) return BadArgument(call, amount.status());
  spv1::RecordPaymentRequest req;
  req.set_name(ClaimArg(call.operands[0]));
  req.set_paid_yuan(*amount);
  req.set_paid_date(cmd.date.empty() ? Today(call) : cmd.date);
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::RecordPayment, req,
                     [&](const spv1::Claim& claim) { PrintClaim(claim, call.out); });
}

// --- payouts figures
// -------------------------------------------------------------------------------

// A policy or an item: policies/{p}, policies/{p}/items/{i}, P or P/I.
std::string ScopeArg(absl::string_view arg) {
  if (arg.empty()) return "";
  const bool item = absl::StrContains(arg, "/items/") ||
                    (!absl::StartsWith(arg, "policies/") && absl::StrContains(arg, "/"));
  return item ? ItemArg(arg) : PolicyArg(arg);
}

int PayoutsFigures(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (cmd.year <= 0) return Usage(call.err, "--year: required, e.g. --year=2026");
  spv1::SummarizePayoutsRequest req;
  req.set_year(cmd.year);
  req.set_scope(ScopeArg(cmd.scope));
  req.set_as_of(cmd.as_of);
  if (!cmd.department.empty()) req.set_department(DepartmentArg(cmd.department));
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::SummarizePayouts, req,
                     [&](const spv1::PayoutSummary& s) { PrintPayoutSummary(s, call.out); });
}

}  // namespace

void AddSupportPolicyVerbs(VerbTable& table) {
  table.Add({.noun = "policies",
             .verb = "apply",
             .synopsis = "FILE [--validate_only]",
             .help = "policies (matched by 文号, else title) and their\n"
                     "`items:` from a YAML/JSON file: new ones created,\n"
                     "changed items updated, one line each",
             .usage = "usage: chainctl policies apply FILE [--validate_only]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = PoliciesApply});
  table.Add({.noun = "policies",
             .verb = "list",
             .synopsis = "[--filter=…] [--all]",
             .help = "e.g. --filter='chain = \"pv\"'",
             .usage = "policies list takes no arguments",
             .needs = Needs::kSupport,
             .run = PoliciesList});
  table.Add({.noun = "items",
             .verb = "list",
             .synopsis = "[POLICY] [--filter=…] [--all]",
             .help = "claimable items (可申兑事项), e.g. --filter='open = true'",
             .usage = "usage: chainctl items list [POLICY]",
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = ItemsList});
  table.Add({.noun = "items",
             .verb = "import",
             .synopsis = "FILE.csv [--validate_only]",
             .help = "CSV → ImportPolicyItems (columns policy, item, title,\n"
                     "eligibility, …, docs/support.md); all rows or none",
             .usage = "usage: chainctl items import FILE.csv [--validate_only]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = ItemsImport});
  table.Add({.noun = "items",
             .verb = "show",
             .synopsis = "ITEM",
             .help = "the rule, amounts, window and lane",
             .usage = "usage: chainctl items show ITEM",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = ItemsShow});
  table.Add({.noun = "items",
             .verb = "match",
             .synopsis = "ITEM [--as_of=YYYY-MM-DD] [--all]",
             .help = "the enterprises that qualify, with amount and reasons,\n"
                     "then how many and the total",
             .usage = "usage: chainctl items match ITEM [--as_of=YYYY-MM-DD]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = ItemsMatch});
  table.Add({.noun = "items",
             .verb = "for",
             .synopsis = "ENTERPRISE [--misses] [--as_of=YYYY-MM-DD]",
             .help = "the items an enterprise qualifies for; --misses: also\n"
                     "the others, with the conditions that failed",
             .usage = "usage: chainctl items for ENTERPRISE [--misses]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = ItemsFor});
  table.Add({.noun = "items",
             .verb = "payouts",
             .synopsis = "ITEM [--as_of=YYYY-MM-DD]",
             .help = "免申即享: approved claims for every qualifying\n"
                     "enterprise without one; the payout list and total",
             .usage = "usage: chainctl items payouts ITEM",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = ItemsPayouts});
  table.Add({.noun = "claims",
             .verb = "list",
             .synopsis = "[ITEM] [--filter='state = \"APPLIED\"'] [--all]",
             .help = "the ledger: computed, approved and paid amounts",
             .usage = "usage: chainctl claims list [ITEM]",
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = ClaimsList});
  table.Add({.noun = "claims",
             .verb = "apply",
             .synopsis = "ITEM --enterprise=CODE [--note=…]",
             .help = "an enterprise's claim on an item (申报)",
             .usage = "usage: chainctl claims apply ITEM --enterprise=CODE",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = ClaimsApply});
  table.Add({.noun = "claims",
             .verb = "decide",
             .synopsis = "CLAIM --approve [--amount=YUAN] | --reject --note=…",
             .help = "approves (the computed amount unless --amount) or\n"
                     "rejects a claim",
             .usage = "usage: chainctl claims decide CLAIM --approve|--reject [--amount=YUAN] "
                      "[--note=…]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = ClaimsDecide});
  table.Add({.noun = "claims",
             .verb = "pay",
             .synopsis = "CLAIM --amount=YUAN [--date=YYYY-MM-DD]",
             .help = "records the payment (today when no --date)",
             .usage = "usage: chainctl claims pay CLAIM --amount=YUAN [--date=YYYY-MM-DD]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = ClaimsPay});
  table.Add({.noun = "payouts",
             .verb = "figures",
             .synopsis = "--year=2026 [--scope=POLICY|ITEM] [--department=DEPT]\n"
                         "[--as_of=YYYY-MM-DD]",
             .help = "paid against budget and against 序时, days to pay,\n"
                     "qualified but unpaid",
             .usage = "usage: chainctl payouts figures --year=YYYY [--scope=…]",
             .needs = Needs::kSupport,
             .run = PayoutsFigures});
}

}  // namespace chainhub::chainctl
