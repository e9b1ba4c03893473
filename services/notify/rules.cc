// Rules on events: the `notify` consumer group's handler. Each enabled subscription of the event's
// type whose filter matches makes one notice, in the consumer's transaction (so with its inbox row:
// an event never makes two notices, whatever crashes when), or, for a digest, collects the event
// for its window (digests.h).
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "chainhub/notify/v1/notify_events.pb.h"
#include "common/base/ids.h"
#include "common/base/log.h"
#include "common/base/metrics.h"
#include "common/service/resource.h"
#include "common/store/filter.h"
#include "services/notify/digests.h"
#include "services/notify/event_facts.h"
#include "services/notify/internal_support.h"
#include "services/notify/names.h"
#include "services/notify/notices.h"
#include "services/notify/notify_service.h"
#include "services/notify/subscription_store.h"
#include "services/notify/subscriptions.h"
#include "services/notify/templates.h"

namespace chainhub::notify {

using internal::kSource;

namespace {

constexpr absl::string_view kMethod = "notify.rules";
constexpr absl::string_view kNoticesMade = "chainhub_notify_rule_notices_total";
constexpr absl::string_view kRuleSkipped = "chainhub_notify_rule_skipped_total";
constexpr absl::string_view kDigestCollected = "chainhub_notify_digest_events_total";

void DescribeMetrics() {
  static absl::once_flag once;
  absl::call_once(once, [] {
    MetricsRegistry& m = MetricsRegistry::Global();
    m.Describe(kNoticesMade, "counter", "Notices made by subscriptions, by subscription.");
    m.Describe(kDigestCollected, "counter",
               "Matching events a digest subscription collected for its next window, by "
               "subscription.");
    m.Describe(kRuleSkipped, "counter",
               "Matching events a subscription made no notice of (no recipient, or a notice the "
               "rules refuse), by subscription and reason.");
  });
}

void Skipped(const v1::Subscription& s, const EventFacts& facts, absl::string_view reason,
             absl::string_view detail) {
  MetricsRegistry::Global().Add(kRuleSkipped,
                                {{"subscription", s.name()}, {"reason", std::string(reason)}});
  LogWarn("notify: a rule made no notice", {{"subscription", s.name()},
                                            {"event", facts.id},
                                            {"type", facts.type},
                                            {"reason", std::string(reason)},
                                            {"detail", std::string(detail)}});
}

// What a notice made by `s` for `facts` holds before its checks.
v1::Notice NoticeFor(const v1::Subscription& s, const EventFacts& facts,
                     const std::vector<Recipient>& recipients, absl::Time now) {
  const RenderedText text = RenderTemplate(TemplateFor(s.template_(), facts.type), facts);
  v1::Notice n;
  n.set_kind(s.kind());
  n.set_title(text.title);
  n.set_body(text.body);
  for (const Recipient& r : recipients) n.add_recipients(r.String());
  if (IsAbout(facts.subject)) n.set_about(facts.subject);
  n.set_chain(facts.chain);
  n.set_receipt_required(s.receipt_required());
  if (s.receipt_required()) {
    SetTimestamp(n.mutable_receipt_deadline(), Micros(now + absl::Hours(s.receipt_hours())));
  }
  return n;
}

}  // namespace

absl::Status NotifyService::ApplyEvent(SqlTx& tx, const CloudEvent& event) {
  DescribeMetrics();
  SubscriptionsTx subscriptions(tx);
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<v1::Subscription> rules,
                            subscriptions.EnabledFor(event.type()));
  if (rules.empty()) return absl::OkStatus();
  CHAINHUB_ASSIGN_OR_RETURN(EventFacts facts, FactsOf(event));
  NotifyTx db(tx);
  const absl::Time now = clock_.Now();
  for (const v1::Subscription& s : rules) {
    auto filter = ParseFilter(s.filter());
    if (!filter.ok()) {
      Skipped(s, facts, "filter", filter.status().message());
      continue;
    }
    if (!MatchesFilter(filter->get(), facts)) continue;
    const std::vector<Recipient> recipients = RecipientsFor(s, facts);
    if (recipients.empty()) {
      Skipped(s, facts, "no_recipient", "the event names none of its recipient sources");
      continue;
    }
    auto checked = CheckNotice(NoticeFor(s, facts, recipients, now), now);
    if (!checked.ok()) {
      Skipped(s, facts, "refused", checked.status().message());
      continue;
    }
    if (s.digest() != v1::DIGEST_NONE) {
      CHAINHUB_RETURN_IF_ERROR(CollectForDigest(
          tx, s, facts.id, checked->notice.chain(),
          {checked->notice.title(), checked->notice.body()}, checked->recipients, now));
      MetricsRegistry::Global().Add(kDigestCollected, {{"subscription", s.name()}});
      continue;
    }
    const std::string id = NewUuidV7(now);
    v1::Notice notice = checked->notice;
    notice.set_name(NoticeName{id}.String());
    notice.set_sender(s.name());
    notice.set_source_event(facts.id);
    const absl::Time not_before = QuietUntil(s.quiet_hours(), now).value_or(absl::InfinitePast());
    CHAINHUB_ASSIGN_OR_RETURN(v1::Notice made,
                              MakeNotice(tx, db, id, notice, checked->recipients, now, not_before));
    Principal rule;
    rule.subject = s.name();
    const std::string method(kMethod);
    const AuthorizedCall call{rule, facts.id, method};
    const std::string chain_id(absl::StripPrefix(made.chain(), "chains/"));
    CHAINHUB_RETURN_IF_ERROR(RecordMutation(
        tx, call,
        NewEvent(kSource, call, v1::NOTIFY_EVENT_NOTICE_SENT, made.name(), chain_id, now, made),
        absl::StrCat("event=", facts.id), now));
    MetricsRegistry::Global().Add(kNoticesMade, {{"subscription", s.name()}});
  }
  return absl::OkStatus();
}

EventHandlers NotifyService::RuleHandlers() {
  EventHandlers handlers;
  for (const auto& [type, payload] : PublishedEventTypes()) {
    handlers[type] = [this](SqlTx& tx, const CloudEvent& event) { return ApplyEvent(tx, event); };
  }
  return handlers;
}

}  // namespace chainhub::notify
