// The rules of a notice as sent (docs/notify.md, Notices): what SendNotice accepts and how it
// normalises it. Pure: no store; the time is given.
#ifndef CHAINHUB_SERVICES_NOTIFY_NOTICES_H_
#define CHAINHUB_SERVICES_NOTIFY_NOTICES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/notify/v1/notify.pb.h"
#include "services/notify/recipients.h"

namespace chainhub::notify {

inline constexpr size_t kMaxTitleChars = 200;
inline constexpr size_t kMaxBodyChars = 20000;
inline constexpr int kMaxRecipients = 1000;
inline constexpr size_t kMaxNoteChars = 2000;

struct CheckedNotice {
  // The notice to store: chain as chains/{chain}, SUPERVISION with receipt_required set.
  v1::Notice notice;
  // Its recipients, parsed, in the order given.
  std::vector<Recipient> recipients;
};

// Whether a notice may be about `about`: a projects/, issues/, tasks/, runs/ or chains/ name.
bool IsAbout(absl::string_view about);

// Every rule broken by `notice` (fields named "notice.…"), as one INVALID_ARGUMENT: kind given;
// title one line, 1-200 characters; body multi-line, at most 20,000; 1-1,000 recipients in the four
// forms, none repeated; about empty or projects/…, issues/…, tasks/…, runs/…, chains/…; chain
// empty or a chain name; a receipt deadline after `now` when a receipt is required (always for
// SUPERVISION), none otherwise.
absl::StatusOr<CheckedNotice> CheckNotice(const v1::Notice& notice, absl::Time now);

// The notice's fields every one of its deliveries repeats: kind, title, body, sender, about,
// chain, whether a receipt is required and by when.
void CopyNoticeInto(const v1::Notice& notice, v1::Delivery* delivery);

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_NOTICES_H_
