// 多链协同: the chain-keyed lists (CreateChainEntry, GetChainEntry, ListChainEntries,
// UpdateChainEntry) and MatchOpportunity, which finds the local enterprises that could answer a
// supply or purchase opportunity. Admins and the chain's office write; every role reads.
#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/ids.h"
#include "common/base/page_token.h"
#include "common/base/status_util.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/registry/names.h"
#include "services/support/chain_entries.h"
#include "services/support/chain_entry_store.h"
#include "services/support/enterprises.h"
#include "services/support/local_rate.h"
#include "services/support/names.h"
#include "services/support/support_service.h"

namespace chainhub::support {
namespace {

// The entry as it is checked and stored: output-only fields cleared, OPEN when no status.
v1::ChainEntry Normalized(v1::ChainEntry e) {
  e.clear_name();
  e.clear_etag();
  e.clear_create_time();
  e.clear_update_time();
  if (e.status() == v1::ENTRY_STATUS_UNSPECIFIED) e.set_status(v1::ENTRY_OPEN);
  return e;
}

absl::Status CheckedEntry(const v1::ChainEntry& e, absl::string_view chain_id) {
  std::vector<FieldViolation> violations;
  CheckChainEntry(e, chain_id, "entry", &violations);
  return ToStatus(violations);
}

// chains/{chain} → that chain; chains/- → every chain (nullopt).
absl::StatusOr<std::optional<std::string>> ListParent(absl::string_view parent) {
  if (parent == "chains/-") return std::optional<std::string>();
  CHAINHUB_ASSIGN_OR_RETURN(ChainName chain, ChainName::Parse("parent", parent));
  return std::optional<std::string>(chain.chain);
}

// A local enterprise that could answer an opportunity, and how it ranks.
struct Candidate {
  bool on_node = false;
  EnterpriseFacts facts;
};

bool Ranks(const Candidate& a, const Candidate& b) {
  if (a.on_node != b.on_node) return a.on_node;
  if (a.facts.annual_output_yuan != b.facts.annual_output_yuan) {
    return a.facts.annual_output_yuan > b.facts.annual_output_yuan;
  }
  return a.facts.credit_code < b.facts.credit_code;
}

// Registered in the city (滁州, 3411xx by its credit code) with a county the registry knows.
bool InTheCity(const EnterpriseFacts& e) {
  if (e.county.empty()) return false;
  absl::StatusOr<std::string> division = DivisionOfCreditCode(e.credit_code);
  return division.ok() && IsLocal(*division, LocalityParams{});
}

}  // namespace

grpc::ServerUnaryReactor* SupportService::CreateChainEntry(Ctx* ctx,
                                                           const v1::CreateChainEntryRequest* req,
                                                           v1::ChainEntry* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(ChainName chain, ChainName::Parse("parent", req->parent()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, chain.chain));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    const v1::ChainEntry entry = Normalized(req->entry());
    CHAINHUB_RETURN_IF_ERROR(CheckedEntry(entry, chain.chain));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          auto replay, ReplayIdempotent<v1::ChainEntry>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      const absl::Time now = clock_.Now();
      const ChainEntryName name{chain.chain, NewUuidV7(now)};
      ChainEntriesTx db(tx);
      CHAINHUB_RETURN_IF_ERROR(db.Insert(name, entry, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.Get(name));
      CHAINHUB_RETURN_IF_ERROR(
          AppendAudit(tx, call, name.String(), CreateDetail(req->request_id()), now));
      return RememberResponse(tx, call, req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::GetChainEntry(Ctx* ctx,
                                                        const v1::GetChainEntryRequest* req,
                                                        v1::ChainEntry* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(ChainEntryName name, ChainEntryName::Parse("name", req->name()));
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, ChainEntriesTx(tx).Get(name));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::ListChainEntries(Ctx* ctx,
                                                           const v1::ListChainEntriesRequest* req,
                                                           v1::ListChainEntriesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(std::optional<std::string> chain, ListParent(req->parent()));
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      ChainEntriesTx db(tx);
      std::vector<v1::ChainEntry> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::ChainEntry>(
          absl::StrCat("ListChainEntries:", req->parent()), req->page_size(), req->page_token(),
          req->filter(), "", ChainEntryFilterFields(), OrderSpec{{"e.id"}, false},
          [&](const PageQuery& q) { return db.List(chain, q); }, &page, &next));
      for (auto& e : page) *resp->add_entries() = std::move(e);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::UpdateChainEntry(Ctx* ctx,
                                                           const v1::UpdateChainEntryRequest* req,
                                                           v1::ChainEntry* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(ChainEntryName name,
                              ChainEntryName::Parse("entry.name", req->entry().name()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, name.chain));
    return Mutate([&](SqlTx& tx) -> absl::Status {
      ChainEntriesTx db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(v1::ChainEntry current, db.Get(name));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->entry().etag(), current.etag(), name.String()));
      v1::ChainEntry merged = Normalized(current);
      CHAINHUB_RETURN_IF_ERROR(ApplyChainEntryUpdate(req->entry(), req->update_mask(), &merged));
      merged = Normalized(std::move(merged));
      CHAINHUB_RETURN_IF_ERROR(CheckedEntry(merged, name.chain));
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.Update(name, merged, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.Get(name));
      return AppendAudit(tx, call, name.String(), MaskText(req->update_mask()), now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::MatchOpportunity(Ctx* ctx,
                                                           const v1::MatchOpportunityRequest* req,
                                                           v1::MatchOpportunityResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(ChainEntryName name, ChainEntryName::Parse("entry", req->entry()));
    CHAINHUB_ASSIGN_OR_RETURN(int page_size, EffectivePageSize(req->page_size()));
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::ChainEntry entry, ChainEntriesTx(tx).Get(name));
      if (!IsOpportunity(entry.kind())) {
        return FailedPrecondition(name.String(),
                                  absl::StrCat("is a ", v1::EntryKind_Name(entry.kind()),
                                               " entry: only SUPPLY_OPPORTUNITY and "
                                               "PURCHASE_OPPORTUNITY entries are matched"));
      }
      std::string owner_code;
      if (auto owner = registry::EnterpriseName::Parse("owner", entry.owner()); owner.ok()) {
        owner_code = owner->credit_code;
      }
      std::vector<Candidate> candidates;
      CHAINHUB_RETURN_IF_ERROR(
          EnterpriseCopy(tx).ForEach(name.chain, [&](const EnterpriseFacts& e) -> absl::Status {
            if (e.credit_code == owner_code || !InTheCity(e)) return absl::OkStatus();
            Candidate c;
            c.on_node = !entry.node().empty() &&
                        std::find(e.nodes.begin(), e.nodes.end(), entry.node()) != e.nodes.end();
            c.facts = e;
            candidates.push_back(std::move(c));
            return absl::OkStatus();
          }));
      std::sort(candidates.begin(), candidates.end(), Ranks);
      if (static_cast<int>(candidates.size()) > page_size) candidates.resize(page_size);
      for (const Candidate& c : candidates) {
        auto* out = resp->add_candidates();
        out->set_enterprise(c.facts.Name());
        out->set_display_name(c.facts.display_name);
        out->set_county(c.facts.county);
        if (c.on_node) out->set_node(entry.node());
        out->set_annual_output_yuan(c.facts.annual_output_yuan);
      }
      return absl::OkStatus();
    });
  });
}

}  // namespace chainhub::support
