// Digests (digests.h): collecting matching events per window, and flushing ended windows into
// notices (NotifyService::FlushDigests).
#include "services/notify/digests.h"

#include <tuple>
#include <utility>

#include "absl/base/call_once.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "chainhub/notify/v1/notify_events.pb.h"
#include "common/base/fields.h"
#include "common/base/ids.h"
#include "common/base/log.h"
#include "common/base/metrics.h"
#include "common/base/utf8.h"
#include "common/service/resource.h"
#include "services/notify/internal_support.h"
#include "services/notify/names.h"
#include "services/notify/notices.h"
#include "services/notify/notify_service.h"
#include "services/notify/outgoing.h"
#include "services/notify/subscription_store.h"
#include "services/notify/subscriptions.h"

namespace chainhub::notify {

using internal::kSource;

namespace {

// One item's section is cut to this many characters, so a digest part holds several.
constexpr size_t kMaxItemChars = 4000;
// Room kept in a part's body for its heading.
constexpr size_t kHeadingChars = 400;
constexpr absl::string_view kDigestRefused = "chainhub_notify_digest_refused_total";

std::string Section(size_t number, const DigestItem& item) {
  return Utf8Prefix(absl::StrCat("---\n\n### ", number, ". ", item.title, "\n\n", item.body,
                                 "\n\n时间：", BeijingTime(item.time), "\n\n"),
                    kMaxItemChars);
}

}  // namespace

std::vector<v1::Notice> DigestNotices(const std::string& display_name, v1::DigestMode mode,
                                      absl::Time window_end,
                                      const std::vector<DigestItem>& items) {
  // The sections, cut into parts that fit the body limit.
  std::vector<std::vector<std::string>> parts;
  size_t used = kMaxBodyChars;  // start a part at the first section
  for (size_t i = 0; i < items.size(); ++i) {
    std::string section = Section(i + 1, items[i]);
    const size_t chars = CodePoints(section);
    if (used + chars > kMaxBodyChars - kHeadingChars) {
      parts.emplace_back();
      used = 0;
    }
    parts.back().push_back(std::move(section));
    used += chars;
  }
  const bool daily = mode == v1::DIGEST_DAILY;
  const std::string window =
      daily ? absl::StrCat("截至 ", BeijingTime(window_end))
            : absl::StrCat(BeijingTime(window_end - absl::Hours(1)), " 至 ",
                           absl::FormatTime("%H:%M", window_end, ChinaTimeZone()));
  std::string chain = items.empty() ? "" : items.front().chain;
  for (const DigestItem& item : items) {
    if (item.chain != chain) chain.clear();
  }
  std::vector<v1::Notice> notices;
  for (size_t p = 0; p < parts.size(); ++p) {
    const std::string part =
        parts.size() > 1 ? absl::StrCat("（第", p + 1, "/", parts.size(), "部分）") : "";
    v1::Notice n;
    n.set_title(Utf8Prefix(absl::StrCat(daily ? "【每日汇总】" : "【每小时汇总】", display_name,
                                        "（", items.size(), "条）", part),
                           kMaxTitleChars));
    std::string body = absl::StrCat("**", display_name, "**：", window, "（北京时间）共 ",
                                    items.size(), " 条", part, "。\n\n");
    for (const std::string& section : parts[p]) absl::StrAppend(&body, section);
    n.set_body(Utf8Prefix(body, kMaxBodyChars));
    n.set_chain(chain);
    notices.push_back(std::move(n));
  }
  return notices;
}

absl::Status CollectForDigest(SqlTx& tx, const v1::Subscription& subscription,
                              const std::string& event_id, const std::string& chain,
                              const RenderedText& text, const std::vector<Recipient>& recipients,
                              absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(SubscriptionName name,
                            SubscriptionName::Parse("subscription.name", subscription.name()));
  const int64_t window_end = Micros(DigestWindowEnd(subscription, now));
  for (const Recipient& r : recipients) {
    CHAINHUB_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO digest_items (subscription, recipient, event_id, window_end_us, "
                "chain, title, body, create_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                "ON CONFLICT (subscription, recipient, event_id) DO NOTHING",
                {name.id, r.String(), event_id, window_end, chain, text.title, text.body,
                 Micros(now)})
            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<int> NotifyService::FlushDigests(int batch) {
  static absl::once_flag described;
  absl::call_once(described, [] {
    MetricsRegistry::Global().Describe(
        kDigestRefused, "counter",
        "Digest notices the notice rules refused (logged with their window), by subscription.");
  });
  int made_count = 0;
  const std::string method = "notify.digest";
  CHAINHUB_RETURN_IF_ERROR(Mutate([&](SqlTx& tx, NotifyTx& db) -> absl::Status {
    made_count = 0;
    const absl::Time now = clock_.Now();
    CHAINHUB_ASSIGN_OR_RETURN(
        auto windows,
        tx.Query("SELECT DISTINCT window_end_us, subscription, recipient FROM digest_items "
                 "WHERE window_end_us <= $1 ORDER BY window_end_us, subscription, recipient "
                 "LIMIT $2",
                 {Micros(now), int64_t{batch}}));
    SubscriptionsTx subscriptions(tx);
    for (const SqlRow& w : windows) {
      const int64_t window_end = w.Int(0);
      const std::string subscription_id = w.Text(1);
      const std::string recipient_text = w.Text(2);
      const std::vector<SqlValue> key{subscription_id, recipient_text, window_end};
      CHAINHUB_ASSIGN_OR_RETURN(
          auto rows, tx.Query("SELECT chain, title, body, create_us FROM digest_items WHERE "
                              "subscription = $1 AND recipient = $2 AND window_end_us = $3 "
                              "ORDER BY create_us, event_id",
                              key));
      // Another sweeper flushed this window since the query above: it made the notices.
      CHAINHUB_ASSIGN_OR_RETURN(
          int64_t deleted, tx.Exec("DELETE FROM digest_items WHERE subscription = $1 AND "
                                   "recipient = $2 AND window_end_us = $3",
                                   key));
      if (rows.empty() || deleted != static_cast<int64_t>(rows.size())) continue;
      std::vector<DigestItem> items;
      for (const SqlRow& r : rows) {
        items.push_back({r.Text(0), r.Text(1), r.Text(2), absl::FromUnixMicros(r.Int(3))});
      }
      // The subscription as it is now; a deleted one still delivers what it collected.
      const std::string sender = SubscriptionName{subscription_id}.String();
      v1::Subscription s;
      if (auto current = subscriptions.Get(subscription_id); current.ok()) {
        s = *std::move(current);
      } else if (absl::IsNotFound(current.status())) {
        s.set_display_name(sender);
        s.set_kind(v1::NOTICE);
        s.set_digest(v1::DIGEST_HOURLY);
      } else {
        return current.status();
      }
      CHAINHUB_ASSIGN_OR_RETURN(Recipient recipient, Recipient::Parse("recipient", recipient_text));
      const absl::Time not_before =
          QuietUntil(s.quiet_hours(), now).value_or(absl::InfinitePast());
      for (v1::Notice n : DigestNotices(s.display_name(), s.digest(),
                                        absl::FromUnixMicros(window_end), items)) {
        n.set_kind(s.kind());
        n.add_recipients(recipient.String());
        n.set_receipt_required(s.receipt_required());
        if (s.receipt_required()) {
          SetTimestamp(n.mutable_receipt_deadline(), Micros(now + absl::Hours(s.receipt_hours())));
        }
        // Each item passed the notice rules when collected; a digest of them can only break
        // them through the subscription as changed since (kept out of the way of every other
        // window by being logged and counted, not retried).
        absl::StatusOr<CheckedNotice> checked = CheckNotice(n, now);
        if (!checked.ok()) {
          MetricsRegistry::Global().Add(kDigestRefused, {{"subscription", sender}});
          LogWarn("notify: a digest was refused by the notice rules",
                  {{"subscription", sender},
                   {"recipient", recipient_text},
                   {"events", static_cast<int64_t>(items.size())},
                   {"error", std::string(checked.status().message())}});
          continue;
        }
        const std::string id = NewUuidV7(now);
        v1::Notice notice = std::move(checked->notice);
        notice.set_name(NoticeName{id}.String());
        notice.set_sender(sender);
        CHAINHUB_ASSIGN_OR_RETURN(
            v1::Notice made, MakeNotice(tx, db, id, notice, checked->recipients, now, not_before));
        Principal rule;
        rule.subject = sender;
        const AuthorizedCall call{rule, made.name(), method};
        const std::string chain_id(absl::StripPrefix(made.chain(), "chains/"));
        CHAINHUB_RETURN_IF_ERROR(RecordMutation(
            tx, call,
            NewEvent(kSource, call, v1::NOTIFY_EVENT_NOTICE_SENT, made.name(), chain_id, now, made),
            absl::StrCat("digest of ", items.size(), " event(s)"), now));
        ++made_count;
      }
    }
    return absl::OkStatus();
  }));
  return made_count;
}

}  // namespace chainhub::notify
