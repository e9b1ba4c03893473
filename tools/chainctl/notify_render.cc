#include "tools/chainctl/notify_render.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/chainctl/render.h"
#include "tools/chainctl/text_table.h"

namespace chainhub::chainctl {
namespace {

namespace nv1 = ::chainhub::notify::v1;

std::string Dash(const std::string& text) { return text.empty() ? "-" : text; }

std::string Time(const google::protobuf::Timestamp& ts) { return Dash(FormatTimestamp(ts)); }

std::string Kinds(const google::protobuf::RepeatedField<int>& kinds) {
  std::vector<std::string> names;
  for (int k : kinds) names.push_back(nv1::NoticeKind_Name(static_cast<nv1::NoticeKind>(k)));
  return names.empty() ? "all" : absl::StrJoin(names, ",");
}

std::string Recipients(const nv1::Subscription& s) {
  std::vector<std::string> names;
  for (int source : s.recipient_sources()) {
    if (source == nv1::FIXED) continue;
    names.push_back(nv1::RecipientSource_Name(static_cast<nv1::RecipientSource>(source)));
  }
  for (const std::string& r : s.recipients()) names.push_back(r);
  return Dash(absl::StrJoin(names, ","));
}

std::string Secret(const nv1::Endpoint& e) {
  return e.secret_set() ? absl::StrCat("set, fingerprint ", e.secret_fingerprint()) : "not set";
}

}  // namespace

void PrintSubscriptionsTable(const nv1::ListSubscriptionsResponse& page, std::ostream& out) {
  TextTable table({"name", "名称", "event types", "recipients", "kind", "digest", "disabled"});
  for (const nv1::Subscription& s : page.subscriptions()) {
    table.AddRow({s.name(), Dash(s.display_name()), absl::StrJoin(s.event_types(), ","),
                  Recipients(s), nv1::NoticeKind_Name(s.kind()), nv1::DigestMode_Name(s.digest()),
                  s.disabled() ? "disabled" : ""});
  }
  table.Print(out);
}

void PrintEndpointsTable(const nv1::ListEndpointsResponse& page, std::ostream& out) {
  TextTable table({"name", "recipient", "channel", "state", "failures", "kinds", "secret"});
  for (const nv1::Endpoint& e : page.endpoints()) {
    table.AddRow({e.name(), e.recipient(), nv1::Channel_Name(e.channel()),
                  nv1::EndpointState_Name(e.state()), absl::StrCat(e.consecutive_failures()),
                  Kinds(e.kinds()), e.secret_set() ? e.secret_fingerprint() : "-"});
  }
  table.Print(out);
}

void PrintEndpoint(const nv1::Endpoint& e, std::ostream& out) {
  KeyValueList kv;
  kv.Add("name", e.name());
  kv.Add("名称", Dash(e.display_name()));
  kv.Add("recipient", e.recipient());
  kv.Add("channel", nv1::Channel_Name(e.channel()));
  if (!e.url().empty()) kv.Add("url", e.url());
  if (!e.email_to().empty()) kv.Add("email to", e.email_to());
  if (!e.email_from().empty()) kv.Add("email from", e.email_from());
  kv.Add("secret", Secret(e));
  if (e.has_previous_valid_until()) kv.Add("previous secret until", Time(e.previous_valid_until()));
  kv.Add("rate per minute", absl::StrCat(e.rate_per_minute()));
  kv.Add("pause after failures", absl::StrCat(e.pause_after_failures()));
  kv.Add("kinds", Kinds(e.kinds()));
  kv.Add("state", nv1::EndpointState_Name(e.state()));
  kv.Add("consecutive failures", absl::StrCat(e.consecutive_failures()));
  kv.Add("created", Time(e.create_time()));
  kv.Add("updated", Time(e.update_time()));
  kv.Print(out);
}

void PrintDispatchesTable(const nv1::ListDispatchesResponse& page, std::ostream& out) {
  TextTable table({"name", "endpoint", "channel", "state", "attempts", "next attempt", "created"});
  for (const nv1::Dispatch& d : page.dispatches()) {
    table.AddRow({d.name(), d.endpoint(), nv1::Channel_Name(d.channel()),
                  nv1::DispatchState_Name(d.state()), absl::StrCat(d.attempt_count()),
                  d.state() == nv1::QUEUED ? Time(d.next_attempt_time()) : "-",
                  Time(d.create_time())});
  }
  table.Print(out);
}

void PrintDispatch(const nv1::Dispatch& d, std::ostream& out) {
  KeyValueList kv;
  kv.Add("name", d.name());
  kv.Add("endpoint", d.endpoint());
  kv.Add("channel", nv1::Channel_Name(d.channel()));
  kv.Add("state", nv1::DispatchState_Name(d.state()));
  kv.Add("deliveries", absl::StrJoin(d.deliveries(), "\n"));
  kv.Add("attempts", absl::StrCat(d.attempt_count()));
  if (d.state() == nv1::QUEUED) kv.Add("next attempt", Time(d.next_attempt_time()));
  kv.Add("created", Time(d.create_time()));
  kv.Add("sent", Time(d.sent_time()));
  kv.Print(out);
  if (d.attempts().empty()) return;
  out << "\n";
  TextTable attempts({"time", "status", "latency ms", "response"});
  for (const nv1::Attempt& a : d.attempts()) {
    attempts.AddRow({Time(a.time()), absl::StrCat(a.status()), absl::StrCat(a.latency_ms()),
                     Dash(a.response())});
  }
  attempts.Print(out);
}

}  // namespace chainhub::chainctl
