// subscriptions apply, list, show, delete: the rules that turn events into notices, kept as files
// under version control and made true in the service by `apply`.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/env_flags.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/csv_file.h"
#include "tools/chainctl/digest.h"
#include "tools/chainctl/notify_client.h"
#include "tools/chainctl/notify_files.h"
#include "tools/chainctl/notify_render.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

namespace nv1 = notify::v1;
using Stub = NotifyClient::Stub;

// Creates `wanted` when `stored` is null, updates it (with the etag read, so a change made
// meanwhile is not overwritten) when it differs, else leaves it; says which on `out`.
grpc::Status ApplyOne(NotifyClient& c, const nv1::Subscription& wanted,
                      const nv1::Subscription* stored, bool* changed, std::ostream& out) {
  nv1::Subscription saved;
  grpc::Status status;
  *changed = stored == nullptr || SubscriptionChanges(wanted, *stored);
  if (stored == nullptr) {
    nv1::CreateSubscriptionRequest req;
    *req.mutable_subscription() = wanted;
    // The same entry applied again is a retry, not a second create.
    req.set_request_id(
        absl::StrCat("subscription-", Sha256Hex(wanted.SerializeAsString()).substr(0, 32)));
    status = CallUnary(c.connection(), c.stub(), &Stub::CreateSubscription, req, &saved);
    if (status.ok()) out << "created   " << wanted.name() << "\n";
  } else if (*changed) {
    nv1::UpdateSubscriptionRequest req;
    *req.mutable_subscription() = wanted;
    req.mutable_subscription()->set_etag(stored->etag());
    status = CallUnary(c.connection(), c.stub(), &Stub::UpdateSubscription, req, &saved);
    if (status.ok()) out << "updated   " << wanted.name() << "\n";
  } else {
    out << "unchanged " << wanted.name() << "\n";
  }
  return status;
}

int SubscriptionsApply(const Call& call) {
  const std::string& path = call.operands[0];
  absl::StatusOr<std::string> bytes = ReadFlagFile(path, "FILE");
  if (!bytes.ok()) return Usage(call.err, bytes.status().message());
  absl::StatusOr<std::vector<nv1::Subscription>> wanted = ParseSubscriptionsFile(*bytes);
  if (!wanted.ok()) {
    call.err << path << ": ";
    PrintError(wanted.status(), call.err, nullptr);
    return kExitUsage;
  }
  if (call.cmd.validate_only) {
    call.out << path << ": " << wanted->size() << " subscriptions, valid; nothing applied\n";
    return kExitOk;
  }
  NotifyClient& c = *call.notify;
  nv1::ListSubscriptionsRequest list;
  list.set_page_size(1000);
  nv1::ListSubscriptionsResponse live_page;
  grpc::Status listed =
      FetchPages(c.connection(), c.stub(), &Stub::ListSubscriptions, list, true, &live_page);
  if (!listed.ok()) return call.RpcError(listed);
  std::map<std::string, const nv1::Subscription*> live;
  for (const auto& s : live_page.subscriptions()) live[s.name()] = &s;

  RowTally tally;
  int created = 0;
  for (size_t n = 0; n < wanted->size(); ++n) {
    const nv1::Subscription& s = (*wanted)[n];
    auto it = live.find(s.name());
    const nv1::Subscription* stored = it == live.end() ? nullptr : it->second;
    bool changed = false;
    grpc::Status status = ApplyOne(c, s, stored, &changed, call.out);
    if (status.ok() && stored == nullptr) ++created;
    if (!tally.Take(status, static_cast<int>(n) + 1, s.name(), changed)) {
      tally.not_sent = static_cast<int>(wanted->size() - n);
      break;
    }
  }
  const int failed = static_cast<int>(tally.failed.size()) + tally.not_sent;
  call.out << "applied " << path << ": " << wanted->size() << " subscriptions, " << created
           << " created, " << tally.changed - created << " updated, " << tally.unchanged
           << " unchanged, " << failed << " failed\n";
  return FinishRows(std::move(tally.failed), failed > 0, tally.stopped,
                    "subscriptions already applied are left as they are", c.connection().options(),
                    call.out, call.err);
}

int SubscriptionsList(const Call& call) {
  NotifyClient& c = *call.notify;
  return ShowList(call, c.connection(), c.stub(), &Stub::ListSubscriptions,
                  ListRequest<nv1::ListSubscriptionsRequest>(call.cmd), PrintSubscriptionsTable);
}

int SubscriptionsShow(const Call& call) {
  NotifyClient& c = *call.notify;
  nv1::GetSubscriptionRequest req;
  req.set_name(NotifyResourceName("subscriptions", call.operands[0]));
  return CallAndShow(call, c.connection(), c.stub(), &Stub::GetSubscription, req,
                     [&](const nv1::Subscription& s) { call.out << SubscriptionsToYaml({s}); });
}

int SubscriptionsDelete(const Call& call) {
  NotifyClient& c = *call.notify;
  nv1::DeleteSubscriptionRequest req;
  req.set_name(NotifyResourceName("subscriptions", call.operands[0]));
  return CallAndShow(
      call, c.connection(), c.stub(), &Stub::DeleteSubscription, req,
      [&](const google::protobuf::Empty&) { call.out << "deleted " << req.name() << "\n"; });
}

}  // namespace

void AddSubscriptionsVerbs(VerbTable& table) {
  table.Add({.noun = "subscriptions",
             .verb = "apply",
             .synopsis = "FILE [--validate_only]",
             .help = "creates or updates each subscription of a YAML/JSON\n"
                     "file (a list of Subscription objects, proto field\n"
                     "names); unchanged ones are left alone, one line each",
             .usage = "usage: chainctl subscriptions apply FILE [--validate_only]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kNotify,
             .run = SubscriptionsApply});
  table.Add({.noun = "subscriptions",
             .verb = "list",
             .synopsis = "[--filter='event_type = \"…\"'] [--all]",
             .help = "the rules: events, recipients, kind, digest",
             .usage = "subscriptions list takes no arguments",
             .needs = Needs::kNotify,
             .run = SubscriptionsList});
  table.Add({.noun = "subscriptions",
             .verb = "show",
             .synopsis = "SUBSCRIPTION",
             .help = "one subscription as YAML, in the form apply reads",
             .usage = "usage: chainctl subscriptions show SUBSCRIPTION",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kNotify,
             .run = SubscriptionsShow});
  table.Add({.noun = "subscriptions",
             .verb = "delete",
             .synopsis = "SUBSCRIPTION",
             .help = "deletes a subscription",
             .usage = "usage: chainctl subscriptions delete SUBSCRIPTION",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kNotify,
             .run = SubscriptionsDelete});
}

}  // namespace chainhub::chainctl
