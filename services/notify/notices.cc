#include "services/notify/notices.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "common/base/status_util.h"

namespace chainhub::notify {

namespace {

constexpr absl::string_view kAboutPrefixes[] = {"projects/", "issues/", "tasks/", "runs/",
                                                "chains/"};

}  // namespace

bool IsAbout(absl::string_view about) {
  for (absl::string_view prefix : kAboutPrefixes) {
    if (absl::StartsWith(about, prefix) && about.size() > prefix.size()) return true;
  }
  return false;
}

absl::StatusOr<CheckedNotice> CheckNotice(const v1::Notice& notice, absl::Time now) {
  CheckedNotice out;
  out.notice = notice;
  std::vector<FieldViolation> v;
  if (!v1::NoticeKind_IsValid(notice.kind()) || notice.kind() == v1::NOTICE_KIND_UNSPECIFIED) {
    v.push_back({"notice.kind", "must be NOTICE, REMINDER, ALERT or SUPERVISION"});
  }
  CheckOneLineText(&v, "notice.title", notice.title(), true, kMaxTitleChars);
  CheckMultiLineText(&v, "notice.body", notice.body(), false, kMaxBodyChars);
  if (notice.recipients().empty()) {
    v.push_back({"notice.recipients", "must name at least one recipient"});
  } else if (notice.recipients_size() > kMaxRecipients) {
    v.push_back({"notice.recipients", absl::StrCat("must name at most ", kMaxRecipients)});
  }
  std::set<std::string> seen;
  for (int i = 0; i < notice.recipients_size() && i < kMaxRecipients; ++i) {
    const std::string field = absl::StrCat("notice.recipients[", i, "]");
    auto recipient = Recipient::Parse(field, notice.recipients(i));
    if (!recipient.ok()) {
      v.push_back({field, std::string(recipient.status().message())});
      continue;
    }
    if (!seen.insert(recipient->String()).second) {
      v.push_back({field, absl::StrCat("repeats ", Quoted(recipient->String()))});
      continue;
    }
    out.recipients.push_back(*recipient);
  }
  CheckOneLineText(&v, "notice.about", notice.about(), false, 200);
  if (!notice.about().empty() && !IsAbout(notice.about())) {
    v.push_back({"notice.about", "must be a projects/, issues/, tasks/, runs/ or chains/ name"});
  }
  if (!notice.chain().empty()) {
    auto chain = ChainName::ParseOrId("notice.chain", notice.chain());
    if (chain.ok()) {
      out.notice.set_chain(chain->String());
    } else {
      v.push_back({"notice.chain", std::string(chain.status().message())});
    }
  }
  if (notice.kind() == v1::SUPERVISION) out.notice.set_receipt_required(true);
  if (out.notice.receipt_required()) {
    if (!notice.has_receipt_deadline()) {
      v.push_back({"notice.receipt_deadline",
                   "must be set when a receipt is required (always for SUPERVISION)"});
    } else if (absl::FromUnixSeconds(notice.receipt_deadline().seconds()) <= now) {
      v.push_back({"notice.receipt_deadline", "must be in the future"});
    }
  } else if (notice.has_receipt_deadline()) {
    v.push_back({"notice.receipt_deadline", "must be empty when no receipt is required"});
  }
  CHAINHUB_RETURN_IF_ERROR(ToStatus(v));
  return out;
}

void CopyNoticeInto(const v1::Notice& notice, v1::Delivery* d) {
  d->set_kind(notice.kind());
  d->set_title(notice.title());
  d->set_body(notice.body());
  d->set_sender(notice.sender());
  d->set_about(notice.about());
  d->set_chain(notice.chain());
  d->set_receipt_required(notice.receipt_required());
  if (notice.has_receipt_deadline()) *d->mutable_receipt_deadline() = notice.receipt_deadline();
}

}  // namespace chainhub::notify
