#include "tools/chainctl/notify_files.h"

#include <map>
#include <utility>

#include <google/protobuf/util/message_differencer.h>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/message_file.h"
#include "common/base/status_util.h"

namespace chainhub::chainctl {
namespace {

namespace nv1 = ::chainhub::notify::v1;
namespace pb = ::google::protobuf;

// What the service sets and a file does not: ignored on reading, left out on writing.
const OutputOnlyFields& OutputOnly() {
  static const auto* const kOutputOnly = new OutputOnlyFields{
      "chainhub.notify.v1.Subscription.etag",
      "chainhub.notify.v1.Subscription.create_time",
      "chainhub.notify.v1.Subscription.update_time",
      "chainhub.notify.v1.Endpoint.secret_set",
      "chainhub.notify.v1.Endpoint.secret_fingerprint",
      "chainhub.notify.v1.Endpoint.previous_valid_until",
      "chainhub.notify.v1.Endpoint.consecutive_failures",
      "chainhub.notify.v1.Endpoint.etag",
      "chainhub.notify.v1.Endpoint.create_time",
      "chainhub.notify.v1.Endpoint.update_time",
  };
  return *kOutputOnly;
}

absl::Status Invalid(absl::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

}  // namespace

absl::StatusOr<std::vector<nv1::Subscription>> ParseSubscriptionsFile(absl::string_view text) {
  nv1::ListSubscriptionsResponse file;
  CHAINHUB_RETURN_IF_ERROR(
      ParseListFile(text, "subscriptions", "a subscriptions file", OutputOnly(), &file));
  std::vector<nv1::Subscription> subscriptions;
  std::map<std::string, int> first_entry;
  for (int i = 0; i < file.subscriptions_size(); ++i) {
    nv1::Subscription& s = *file.mutable_subscriptions(i);
    const std::string entry = absl::StrCat("subscriptions[", i, "]");
    if (s.name().empty()) return Invalid(entry + ".name", "required (subscriptions/{id})");
    s.set_name(NotifyResourceName("subscriptions", s.name()));
    if (auto [it, added] = first_entry.emplace(s.name(), i); !added) {
      return Invalid(entry + ".name", absl::StrCat(Quoted(s.name()), " is also subscriptions[",
                                                   it->second, "]'s name"));
    }
    if (s.event_types().empty()) {
      return Invalid(entry + ".event_types", "at least one is required");
    }
    subscriptions.push_back(std::move(s));
  }
  return subscriptions;
}

std::string SubscriptionsToYaml(const std::vector<nv1::Subscription>& subscriptions) {
  nv1::ListSubscriptionsResponse file;
  for (const nv1::Subscription& s : subscriptions) *file.add_subscriptions() = s;
  return MessageToYaml(file, OutputOnly());
}

bool SubscriptionChanges(const nv1::Subscription& wanted, const nv1::Subscription& stored) {
  nv1::Subscription a = wanted;
  nv1::Subscription b = stored;
  for (nv1::Subscription* s : {&a, &b}) {
    s->clear_etag();
    s->clear_create_time();
    s->clear_update_time();
  }
  if (a.kind() == nv1::NOTICE_KIND_UNSPECIFIED) a.set_kind(b.kind());
  if (a.digest() == nv1::DIGEST_MODE_UNSPECIFIED) a.set_digest(b.digest());
  // quiet_hours left out and quiet_hours {} are the same.
  pb::util::MessageDifferencer same;
  same.set_message_field_comparison(pb::util::MessageDifferencer::EQUIVALENT);
  return !same.Compare(a, b);
}

absl::StatusOr<nv1::Endpoint> ParseEndpointFile(absl::string_view text) {
  nv1::Endpoint endpoint;
  CHAINHUB_RETURN_IF_ERROR(ParseMessageFile(text, OutputOnly(), &endpoint));
  if (!endpoint.secret().empty()) {
    return Invalid("secret",
                   "not in the file; give it with --secret_file (a file, or - for standard input)");
  }
  if (!endpoint.name().empty()) {
    endpoint.set_name(NotifyResourceName("endpoints", endpoint.name()));
  }
  return endpoint;
}

std::vector<std::string> EndpointFileFields(const nv1::Endpoint& endpoint) {
  std::vector<std::string> paths;
  const pb::Descriptor* type = endpoint.GetDescriptor();
  const pb::Reflection* r = endpoint.GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const pb::FieldDescriptor* field = type->field(i);
    if (field->name() == "name" || field->name() == "secret" ||
        OutputOnly().contains(field->full_name())) {
      continue;
    }
    const bool set =
        field->is_repeated() ? r->FieldSize(endpoint, field) > 0 : r->HasField(endpoint, field);
    if (set) paths.push_back(field->name());
  }
  return paths;
}

std::string NotifyResourceName(absl::string_view collection, absl::string_view arg) {
  if (absl::StartsWith(arg, absl::StrCat(collection, "/"))) return std::string(arg);
  return absl::StrCat(collection, "/", arg);
}

}  // namespace chainhub::chainctl
