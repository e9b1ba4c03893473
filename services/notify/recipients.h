// Who a notice goes to and who may act for them (docs/notify.md, Recipients): the four recipient
// forms, parsed and formatted in one place, and the rules of who may read a recipient's inbox and
// who may address a recipient. Pure: no store, no clock.
#ifndef CHAINHUB_SERVICES_NOTIFY_RECIPIENTS_H_
#define CHAINHUB_SERVICES_NOTIFY_RECIPIENTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/rpc/auth.h"

namespace chainhub::notify {

struct Recipient {
  enum class Kind { kDepartment, kChainOffice, kChainLeader, kRole };
  Kind kind = Kind::kDepartment;
  // The department id, chain id or role name.
  std::string id;

  // departments/{dept}, chains/{chain}/office, chains/{chain}/leader or roles/{role}; anything
  // else is INVALID_ARGUMENT on `field` naming the four forms.
  static absl::StatusOr<Recipient> Parse(absl::string_view field, absl::string_view text);
  std::string String() const;
  // The chain id of a chain office or leader's office; empty otherwise.
  std::string chain() const;
  friend bool operator==(const Recipient& a, const Recipient& b) {
    return a.kind == b.kind && a.id == b.id;
  }
};

// The id of a recipient's delivery within a notice: dept-{dept}, office-{chain}, leader-{chain},
// role-{role}.
std::string DeliveryIdOf(const Recipient& recipient);

// Whether `principal` reads and signs for `recipient`'s deliveries: its own subject, the offices
// and leader's offices of its chains when it holds chain_office, every role it holds; admin acts
// for everyone.
bool ActsFor(const Principal& principal, const Recipient& recipient);

// The recipients a non-admin principal acts for, as strings (its inbox).
std::vector<std::string> RecipientsActedFor(const Principal& principal);

// OK when `principal` may send to `recipient`: admin to anyone; chain_office to any department,
// to roles other than admin, and to the offices and leader's offices of its own chains. Otherwise
// PERMISSION_DENIED naming the recipient.
absl::Status RequireMaySendTo(const Principal& principal, const Recipient& recipient);

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_RECIPIENTS_H_
