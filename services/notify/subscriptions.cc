#include "services/notify/subscriptions.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "chainhub/notify/v1/notify_events.pb.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/store/filter.h"
#include "services/notify/names.h"
#include "services/notify/notices.h"
#include "services/notify/templates.h"

namespace chainhub::notify {

namespace {

// "HH:MM" → minutes after midnight.
std::optional<int> MinutesOf(absl::string_view text) {
  int h = 0;
  int m = 0;
  if (text.size() != 5 || text[2] != ':' || !absl::SimpleAtoi(text.substr(0, 2), &h) ||
      !absl::SimpleAtoi(text.substr(3, 2), &m) || h < 0 || h > 23 || m < 0 || m > 59) {
    return std::nullopt;
  }
  return h * 60 + m;
}

// The filter's compared fields, depth first.
void FilterFields(const FilterNode* node, std::vector<std::string>* out) {
  if (node == nullptr) return;
  if (node->kind == FilterNode::Kind::kCompare) out->push_back(node->field);
  for (const auto& child : node->children) FilterFields(child.get(), out);
}

void CheckEventTypesAndFilter(const v1::Subscription& s, std::vector<FieldViolation>* v) {
  if (s.event_types().empty()) {
    v->push_back({"subscription.event_types", "must name at least one event type"});
  } else if (s.event_types_size() > kMaxEventTypes) {
    v->push_back({"subscription.event_types", absl::StrCat("must name at most ", kMaxEventTypes)});
  }
  std::set<std::string> seen;
  std::vector<std::string> known;
  for (int i = 0; i < s.event_types_size() && i < kMaxEventTypes; ++i) {
    const std::string field = absl::StrCat("subscription.event_types[", i, "]");
    const std::string& type = s.event_types(i);
    if (type == EventType(v1::NOTIFY_EVENT_NOTICE_SENT)) {
      v->push_back({field, "must not be notify.notice_sent: a rule on its own notices never ends"});
    } else if (!PublishedEventTypes().contains(type)) {
      v->push_back({field, absl::StrCat("must be an event type chainhub publishes "
                                        "(docs/events.md), got ",
                                        Quoted(type))});
    } else if (!seen.insert(type).second) {
      v->push_back({field, absl::StrCat("repeats ", Quoted(type))});
    } else {
      known.push_back(type);
    }
  }
  if (s.filter().empty()) return;
  auto parsed = ParseFilter(s.filter());
  if (!parsed.ok()) {
    v->push_back({"subscription.filter", std::string(parsed.status().message())});
    return;
  }
  std::vector<std::string> fields;
  FilterFields(parsed->get(), &fields);
  for (const std::string& type : known) {
    const auto names = AttributeNamesOf(type);
    for (const std::string& field : fields) {
      if (!names.contains(field)) {
        v->push_back({"subscription.filter",
                      absl::StrCat("field ", Quoted(field), " is not an attribute of ", type,
                                   " events (docs/notify.md, Rules on events)")});
        return;
      }
    }
  }
}

void CheckRecipients(const v1::Subscription& s, std::vector<FieldViolation>* v) {
  bool fixed = false;
  if (s.recipient_sources().empty()) {
    v->push_back({"subscription.recipient_sources", "must name at least one source"});
  }
  for (int i = 0; i < s.recipient_sources_size(); ++i) {
    const int source = s.recipient_sources(i);
    if (!v1::RecipientSource_IsValid(source) || source == v1::RECIPIENT_SOURCE_UNSPECIFIED) {
      v->push_back({absl::StrCat("subscription.recipient_sources[", i, "]"),
                    "must be FIXED, RESPONSIBLE_DEPARTMENT, OWNER_DEPARTMENT, CHAIN_OFFICE, "
                    "CHAIN_LEADER or EVERY_CHAIN_OFFICE"});
    }
    if (source == v1::FIXED) fixed = true;
  }
  if (fixed && s.recipients().empty()) {
    v->push_back({"subscription.recipients", "must name at least one recipient with FIXED"});
  } else if (!fixed && !s.recipients().empty()) {
    v->push_back({"subscription.recipients", "must be empty unless FIXED is a source"});
  } else if (s.recipients_size() > kMaxSubscriptionRecipients) {
    v->push_back({"subscription.recipients",
                  absl::StrCat("must name at most ", kMaxSubscriptionRecipients)});
  }
  for (int i = 0; i < s.recipients_size() && i < kMaxSubscriptionRecipients; ++i) {
    const std::string field = absl::StrCat("subscription.recipients[", i, "]");
    auto recipient = Recipient::Parse(field, s.recipients(i));
    if (!recipient.ok()) v->push_back({field, std::string(recipient.status().message())});
  }
}

void CheckDelivery(const v1::Subscription& s, std::vector<FieldViolation>* v) {
  if (!v1::NoticeKind_IsValid(s.kind()) || s.kind() == v1::NOTICE_KIND_UNSPECIFIED) {
    v->push_back({"subscription.kind", "must be NOTICE, REMINDER, ALERT or SUPERVISION"});
  }
  CheckOneLineText(v, "subscription.template", s.template_(), false, 100);
  if (!s.template_().empty() && !ShippedTemplates().contains(s.template_())) {
    std::vector<std::string> names;
    for (const auto& [name, text] : ShippedTemplates()) names.push_back(name);
    v->push_back({"subscription.template",
                  absl::StrCat("must be a shipped template (", absl::StrJoin(names, ", "), ")")});
  }
  const bool receipt = s.receipt_required() || s.kind() == v1::SUPERVISION;
  if (receipt && (s.receipt_hours() < 1 || s.receipt_hours() > kMaxReceiptHours)) {
    v->push_back({"subscription.receipt_hours",
                  absl::StrCat("must be 1-", kMaxReceiptHours,
                               " when a receipt is required (always for SUPERVISION)")});
  } else if (!receipt && s.receipt_hours() != 0) {
    v->push_back({"subscription.receipt_hours", "must be 0 when no receipt is required"});
  }
  const auto& q = s.quiet_hours();
  if (!q.start().empty() || !q.end().empty()) {
    const auto start = MinutesOf(q.start());
    const auto end = MinutesOf(q.end());
    if (!start) v->push_back({"subscription.quiet_hours.start", "must be HH:MM (00:00-23:59)"});
    if (!end) v->push_back({"subscription.quiet_hours.end", "must be HH:MM (00:00-23:59)"});
    if (start && end && *start == *end) {
      v->push_back({"subscription.quiet_hours", "start and end must differ"});
    }
  }
  if (!v1::DigestMode_IsValid(s.digest())) {
    v->push_back({"subscription.digest", "must be DIGEST_NONE, DIGEST_HOURLY or DIGEST_DAILY"});
  }
  if (s.digest() == v1::DIGEST_DAILY) {
    if (!MinutesOf(s.digest_time())) {
      v->push_back({"subscription.digest_time", "must be HH:MM (00:00-23:59) for DIGEST_DAILY"});
    }
  } else if (!s.digest_time().empty()) {
    v->push_back({"subscription.digest_time", "must be empty unless digest is DIGEST_DAILY"});
  }
}

}  // namespace

const std::vector<std::string>& SubscriptionWritableFields() {
  static const auto* fields = new std::vector<std::string>{
      "display_name", "event_types", "filter",           "recipient_sources", "recipients",
      "kind",         "template",    "receipt_required", "receipt_hours",     "digest",
      "digest_time",  "quiet_hours", "disabled"};
  return *fields;
}

void ApplySubscriptionDefaults(v1::Subscription* s) {
  if (s->kind() == v1::NOTICE_KIND_UNSPECIFIED) s->set_kind(v1::NOTICE);
  if (s->digest() == v1::DIGEST_MODE_UNSPECIFIED) s->set_digest(v1::DIGEST_NONE);
  if (s->kind() == v1::SUPERVISION) s->set_receipt_required(true);
}

absl::Status CheckSubscription(const v1::Subscription& s) {
  std::vector<FieldViolation> v;
  auto name = SubscriptionName::Parse("subscription.name", s.name());
  if (!name.ok()) v.push_back({"subscription.name", std::string(name.status().message())});
  CheckOneLineText(&v, "subscription.display_name", s.display_name(), false, kMaxTitleChars);
  CheckEventTypesAndFilter(s, &v);
  CheckRecipients(s, &v);
  CheckDelivery(s, &v);
  return ToStatus(v);
}

std::vector<Recipient> RecipientsFor(const v1::Subscription& s, const EventFacts& facts) {
  std::vector<std::string> texts;
  const std::string chain_id(absl::StripPrefix(facts.chain, "chains/"));
  for (int source : s.recipient_sources()) {
    switch (source) {
      case v1::FIXED:
        texts.insert(texts.end(), s.recipients().begin(), s.recipients().end());
        break;
      case v1::RESPONSIBLE_DEPARTMENT:
        texts.push_back(facts.First("responsible_department"));
        break;
      case v1::OWNER_DEPARTMENT:
        texts.push_back(facts.First("owner_department"));
        break;
      case v1::CHAIN_OFFICE:
        if (!chain_id.empty()) texts.push_back(absl::StrCat("chains/", chain_id, "/office"));
        break;
      case v1::CHAIN_LEADER:
        if (!chain_id.empty()) texts.push_back(absl::StrCat("chains/", chain_id, "/leader"));
        break;
      case v1::EVERY_CHAIN_OFFICE:
        if (!chain_id.empty()) texts.push_back(absl::StrCat("chains/", chain_id, "/office"));
        for (const std::string& subject : facts.All("results.subject")) {
          if (absl::StartsWith(subject, "chains/")) texts.push_back(subject + "/office");
        }
        break;
      default:
        break;
    }
  }
  std::vector<Recipient> out;
  std::set<std::string> seen;
  for (const std::string& text : texts) {
    auto recipient = Recipient::Parse("recipient", text);
    if (!recipient.ok() || !seen.insert(recipient->String()).second) continue;
    out.push_back(*std::move(recipient));
  }
  return out;
}

std::optional<absl::Time> QuietUntil(const v1::QuietHours& quiet, absl::Time now) {
  const auto start = MinutesOf(quiet.start());
  const auto end = MinutesOf(quiet.end());
  if (!start || !end || *start == *end) return std::nullopt;
  const absl::TimeZone kBeijing = ChinaTimeZone();
  const absl::CivilMinute civil = absl::ToCivilMinute(now, kBeijing);
  const int minute = civil.hour() * 60 + civil.minute();
  const bool quiet_now =
      *start < *end ? (minute >= *start && minute < *end) : (minute >= *start || minute < *end);
  if (!quiet_now) return std::nullopt;
  absl::CivilDay day = absl::CivilDay(civil);
  if (minute >= *end) day += 1;  // spans midnight: the end is tomorrow
  return absl::FromCivil(
      absl::CivilMinute(day.year(), day.month(), day.day(), *end / 60, *end % 60), kBeijing);
}

absl::Time DigestWindowEnd(const v1::Subscription& s, absl::Time now) {
  const absl::TimeZone beijing = ChinaTimeZone();
  if (s.digest() == v1::DIGEST_DAILY) {
    const int at = MinutesOf(s.digest_time()).value_or(0);
    const absl::CivilMinute civil = absl::ToCivilMinute(now, beijing);
    absl::CivilDay day = absl::CivilDay(civil);
    if (civil.hour() * 60 + civil.minute() >= at) day += 1;
    return absl::FromCivil(absl::CivilMinute(day.year(), day.month(), day.day(), at / 60, at % 60),
                           beijing);
  }
  return absl::FromCivil(absl::ToCivilHour(now, beijing) + 1, beijing);
}

}  // namespace chainhub::notify

