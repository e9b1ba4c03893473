#include "services/support/names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/credit_code.h"
#include "common/base/status_util.h"
#include "services/assessment/periods.h"

namespace chainhub::support {

namespace {

// Any segment the pattern can hold; each is checked by its own rule afterwards.
bool IsSegment(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

absl::Status CheckChain(absl::string_view field, absl::string_view chain) {
  if (IsValidId(chain)) return absl::OkStatus();
  return InvalidField(field, absl::StrCat("chain id '", chain,
                                          "' must be 2-40 of [a-z0-9-] starting with a letter"));
}

}  // namespace

bool IsSupportId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

absl::StatusOr<AssignmentName> AssignmentName::Parse(absl::string_view field,
                                                     absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto ids, MatchName(field, name, kPattern, "assignment", IsSupportId));
  return AssignmentName{ids[0]};
}

absl::StatusOr<VisitName> VisitName::Parse(absl::string_view field, absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto ids, MatchName(field, name, kPattern, "visit", IsSupportId));
  return VisitName{ids[0], ids[1]};
}

absl::StatusOr<FirmPlanName> FirmPlanName::Parse(absl::string_view field, absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto ids, MatchName(field, name, kPattern, "firm plan", IsSupportId));
  return FirmPlanName{ids[0]};
}

absl::StatusOr<RequestName> RequestName::Parse(absl::string_view field, absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto ids, MatchName(field, name, kPattern, "request", IsSupportId));
  return RequestName{ids[0]};
}

absl::StatusOr<PolicyName> PolicyName::Parse(absl::string_view field, absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto ids, MatchName(field, name, kPattern, "policy", IsSupportId));
  return PolicyName{ids[0]};
}

absl::StatusOr<PolicyItemName> PolicyItemName::Parse(absl::string_view field,
                                                     absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto ids, MatchName(field, name, kPattern, "policy item", IsSupportId));
  if (ids[1].size() > 40) {
    return InvalidField(field, "the item id must be 1-40 of [a-z0-9-]");
  }
  return PolicyItemName{ids[0], ids[1]};
}

absl::StatusOr<ChainEntryName> ChainEntryName::Parse(absl::string_view field,
                                                     absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto ids, MatchName(field, name, kPattern, "chain entry", IsSupportId));
  CHAINHUB_RETURN_IF_ERROR(CheckChain(field, ids[0]));
  return ChainEntryName{ids[0], ids[1]};
}

absl::StatusOr<ChainPlanName> ChainPlanName::Parse(absl::string_view field,
                                                   absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto ids, MatchName(field, name, kPattern, "chain plan", IsSupportId));
  CHAINHUB_RETURN_IF_ERROR(CheckChain(field, ids[0]));
  return ChainPlanName{ids[0], ids[1]};
}

absl::StatusOr<ClaimName> ClaimName::Parse(absl::string_view field, absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto ids, MatchName(field, name, kPattern, "claim", IsSegment));
  if (!IsSupportId(ids[0]) || !IsSupportId(ids[1]) || ids[1].size() > 40) {
    return InvalidField(field,
                        absl::StrCat("must be a claim name ", kPattern, ", got \"", name, "\""));
  }
  CHAINHUB_RETURN_IF_ERROR(ValidateCreditCode(ids[2], field));
  return ClaimName{ids[0], ids[1], ids[2]};
}

absl::StatusOr<SpendName> SpendName::Parse(absl::string_view field, absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto ids, MatchName(field, name, kPattern, "spend report", IsSegment));
  CHAINHUB_RETURN_IF_ERROR(CheckChain(field, ids[0]));
  CHAINHUB_RETURN_IF_ERROR(ValidateCreditCode(ids[1], field));
  CHAINHUB_RETURN_IF_ERROR(assessment::Period::Parse(field, ids[2]).status());
  return SpendName{ids[0], ids[1], ids[2]};
}

absl::StatusOr<ChainTeamName> ChainTeamName::Parse(absl::string_view field,
                                                   absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto ids, MatchName(field, name, kPattern, "chain team"));
  return ChainTeamName{ids[0]};
}

}  // namespace chainhub::support
