#include "services/support/chain_entries.h"

#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "services/registry/names.h"

namespace chainhub::support {
namespace {

constexpr absl::string_view kDetailPath = "detail";

std::string Path(const std::string& prefix, absl::string_view field) {
  return prefix.empty() ? std::string(field) : absl::StrCat(prefix, ".", field);
}

void CheckDate(std::vector<FieldViolation>* v, const std::string& field, const std::string& date) {
  if (!date.empty() && !IsValidDate(date)) {
    v->push_back({field, absl::StrCat("must be a date YYYY-MM-DD, got ", Quoted(date))});
  }
}

void CheckNotNegative(std::vector<FieldViolation>* v, const std::string& field, int64_t value) {
  if (value < 0) v->push_back({field, "must not be negative"});
}

void CheckOwner(std::vector<FieldViolation>* v, const std::string& field,
                const std::string& owner) {
  if (owner.empty()) {
    v->push_back({field, "must not be empty"});
    return;
  }
  if (registry::EnterpriseName::Parse(field, owner).ok() ||
      DepartmentName::Parse(field, owner).ok()) {
    return;
  }
  v->push_back({field, absl::StrCat("must be enterprises/{credit_code} (a valid credit code) or "
                                    "departments/{dept}, got ",
                                    Quoted(owner))});
}

void CheckDetail(const v1::ChainEntry& e, const std::string& prefix,
                 std::vector<FieldViolation>* v) {
  const absl::string_view wanted = DetailFieldOf(e.kind());
  if (wanted.empty()) return;  // the kind's own violation says it
  if (e.detail_case() == v1::ChainEntry::DETAIL_NOT_SET) {
    v->push_back({Path(prefix, wanted),
                  absl::StrCat("must be set: an entry of kind ", v1::EntryKind_Name(e.kind()),
                               " carries its ", wanted)});
    return;
  }
  const google::protobuf::FieldDescriptor* set =
      v1::ChainEntry::descriptor()->FindFieldByNumber(static_cast<int>(e.detail_case()));
  if (set != nullptr && set->name() != wanted) {
    v->push_back({Path(prefix, set->name()),
                  absl::StrCat("does not go with kind ", v1::EntryKind_Name(e.kind()),
                               ", whose detail is ", wanted)});
    return;
  }
  switch (e.detail_case()) {
    case v1::ChainEntry::kTalent: {
      const std::string p = Path(prefix, "talent");
      const v1::TalentDemand& t = e.talent();
      CheckOneLineText(v, Path(p, "post"), t.post(), true, kMaxEntryShortTextChars);
      if (t.headcount() < 0) v->push_back({Path(p, "headcount"), "must not be negative"});
      if (t.shortage_index() < 0 || t.shortage_index() > kMaxShortageIndex) {
        v->push_back({Path(p, "shortage_index"),
                      absl::StrCat("must be 1-", kMaxShortageIndex, " (★), or 0 when not rated")});
      }
      CheckMultiLineText(v, Path(p, "qualification"), t.qualification(), false,
                         kMaxEntryLongTextChars);
      break;
    }
    case v1::ChainEntry::kChallenge: {
      const std::string p = Path(prefix, "challenge");
      const v1::TechChallenge& c = e.challenge();
      CheckMultiLineText(v, Path(p, "challenge"), c.challenge(), true, kMaxEntryLongTextChars);
      CheckNotNegative(v, Path(p, "bounty_yuan"), c.bounty_yuan());
      CheckDate(v, Path(p, "deadline"), c.deadline());
      break;
    }
    case v1::ChainEntry::kFinance: {
      const std::string p = Path(prefix, "finance");
      const v1::FinancePartner& f = e.finance();
      CheckOneLineText(v, Path(p, "institution"), f.institution(), true, kMaxEntryShortTextChars);
      CheckNotNegative(v, Path(p, "credit_line_yuan"), f.credit_line_yuan());
      CheckMultiLineText(v, Path(p, "products"), f.products(), false, kMaxEntryLongTextChars);
      break;
    }
    case v1::ChainEntry::kOpportunity: {
      const std::string p = Path(prefix, "opportunity");
      const v1::Opportunity& o = e.opportunity();
      CheckOneLineText(v, Path(p, "product"), o.product(), true, kMaxEntryShortTextChars);
      CheckOneLineText(v, Path(p, "quantity"), o.quantity(), false, kMaxEntryShortTextChars);
      CheckNotNegative(v, Path(p, "amount_yuan"), o.amount_yuan());
      break;
    }
    case v1::ChainEntry::DETAIL_NOT_SET:
      break;
  }
}

}  // namespace

absl::string_view DetailFieldOf(v1::EntryKind kind) {
  switch (kind) {
    case v1::TALENT_DEMAND:
      return "talent";
    case v1::TECH_CHALLENGE:
      return "challenge";
    case v1::FINANCE_PARTNER:
      return "finance";
    case v1::SUPPLY_OPPORTUNITY:
    case v1::PURCHASE_OPPORTUNITY:
      return "opportunity";
    default:
      return "";
  }
}

bool IsOpportunity(v1::EntryKind kind) {
  return kind == v1::SUPPLY_OPPORTUNITY || kind == v1::PURCHASE_OPPORTUNITY;
}

void CheckChainEntry(const v1::ChainEntry& e, absl::string_view chain_id, const std::string& prefix,
                     std::vector<FieldViolation>* v) {
  if (e.kind() == v1::ENTRY_KIND_UNSPECIFIED || !v1::EntryKind_IsValid(e.kind())) {
    v->push_back({Path(prefix, "kind"),
                  "must be one of TALENT_DEMAND, TECH_CHALLENGE, FINANCE_PARTNER, "
                  "SUPPLY_OPPORTUNITY, PURCHASE_OPPORTUNITY"});
  }
  CheckOneLineText(v, Path(prefix, "title"), e.title(), true, kMaxEntryTitleChars);
  if (!e.node().empty()) {
    const std::string field = Path(prefix, "node");
    absl::StatusOr<NodeName> node = NodeName::Parse(field, e.node());
    if (!node.ok()) {
      v->push_back({field, absl::StrCat("must be a node name chains/{chain}/nodes/{node}, got ",
                                        Quoted(e.node()))});
    } else if (node->chain != chain_id) {
      v->push_back(
          {field, absl::StrCat("must be a node of chains/", chain_id, ", got ", Quoted(e.node()))});
    }
  }
  CheckOwner(v, Path(prefix, "owner"), e.owner());
  CheckDate(v, Path(prefix, "valid_from"), e.valid_from());
  CheckDate(v, Path(prefix, "valid_to"), e.valid_to());
  if (IsValidDate(e.valid_from()) && IsValidDate(e.valid_to()) && e.valid_to() < e.valid_from()) {
    v->push_back(
        {Path(prefix, "valid_to"), absl::StrCat("must not be before valid_from ", e.valid_from())});
  }
  if (e.status() == v1::ENTRY_STATUS_UNSPECIFIED || !v1::EntryStatus_IsValid(e.status())) {
    v->push_back(
        {Path(prefix, "status"), "must be one of ENTRY_OPEN, ENTRY_MATCHED, ENTRY_CLOSED"});
  }
  CheckDetail(e, prefix, v);
  CheckOneLineText(v, Path(prefix, "contact"), e.contact(), false, kMaxEntryShortTextChars);
}

const std::vector<std::string>& ChainEntryWritableFields() {
  static const auto* fields = new std::vector<std::string>{
      "title",  "node",      "valid_from", "valid_to",    "status", "detail",
      "talent", "challenge", "finance",    "opportunity", "contact"};
  return *fields;
}

namespace {

bool IsDetailMember(absl::string_view field) {
  return field == "talent" || field == "challenge" || field == "finance" || field == "opportunity";
}

}  // namespace

absl::Status ApplyChainEntryUpdate(const v1::ChainEntry& update,
                                   const google::protobuf::FieldMask& mask,
                                   v1::ChainEntry* current) {
  const bool all = mask.paths().empty() || (mask.paths_size() == 1 && mask.paths(0) == "*");
  bool detail = all;
  google::protobuf::FieldMask rest;
  if (all) {
    for (const std::string& f : ChainEntryWritableFields()) {
      if (f != kDetailPath && !IsDetailMember(f)) rest.add_paths(f);
    }
  } else {
    for (const std::string& path : mask.paths()) {
      if (path == kDetailPath || IsDetailMember(path)) {
        detail = true;
      } else {
        rest.add_paths(path);
      }
    }
  }
  if (!rest.paths().empty()) {
    CHAINHUB_RETURN_IF_ERROR(ApplyUpdateMask(update, rest, ChainEntryWritableFields(), current));
  }
  // The detail is replaced as a whole, whichever of its names the mask uses: by the member the
  // update sets, or by nothing (and the entry then fails its kind's rule).
  if (detail) {
    switch (update.detail_case()) {
      case v1::ChainEntry::kTalent:
        *current->mutable_talent() = update.talent();
        break;
      case v1::ChainEntry::kChallenge:
        *current->mutable_challenge() = update.challenge();
        break;
      case v1::ChainEntry::kFinance:
        *current->mutable_finance() = update.finance();
        break;
      case v1::ChainEntry::kOpportunity:
        *current->mutable_opportunity() = update.opportunity();
        break;
      case v1::ChainEntry::DETAIL_NOT_SET:
        current->clear_detail();
        break;
    }
  }
  return absl::OkStatus();
}

bool ValidOn(const v1::ChainEntry& entry, absl::string_view date) {
  if (!entry.valid_from().empty() && date < entry.valid_from()) return false;
  if (!entry.valid_to().empty() && date > entry.valid_to()) return false;
  return true;
}

}  // namespace chainhub::support
