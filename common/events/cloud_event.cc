#include "common/events/cloud_event.h"

#include "chainhub/events/v1/events.pb.h"
#include "common/base/log.h"

namespace chainhub {
namespace {

using AttributeValue = CloudEvent::CloudEventAttributeValue;

AttributeValue* Attribute(CloudEvent* event, absl::string_view name) {
  return &(*event->mutable_attributes())[std::string(name)];
}

}  // namespace

std::string EventSource(absl::string_view service) { return absl::StrCat("/chainhub/", service); }

const std::string& EventTypeOf(const google::protobuf::EnumValueDescriptor& kind) {
  return kind.options().GetExtension(events::v1::event_type);
}

const std::string& EventPayloadOf(const google::protobuf::EnumValueDescriptor& kind) {
  return kind.options().GetExtension(events::v1::event_payload);
}

std::vector<std::string> EventTypesOf(const google::protobuf::EnumDescriptor& kinds) {
  std::vector<std::string> types;
  for (int i = 0; i < kinds.value_count(); ++i) {
    const std::string& type = EventTypeOf(*kinds.value(i));
    if (!type.empty()) types.push_back(type);
  }
  return types;
}

void SetStringAttribute(CloudEvent* event, absl::string_view name, absl::string_view value) {
  if (!value.empty()) Attribute(event, name)->set_ce_string(std::string(value));
}

void SetUriAttribute(CloudEvent* event, absl::string_view name, absl::string_view value) {
  if (!value.empty()) Attribute(event, name)->set_ce_uri(std::string(value));
}

void SetTimeAttribute(CloudEvent* event, absl::string_view name, absl::Time value) {
  const absl::Duration since_epoch = value - absl::UnixEpoch();
  const int64_t seconds = absl::ToInt64Seconds(absl::Floor(since_epoch, absl::Seconds(1)));
  const int64_t nanos =
      absl::ToInt64Nanoseconds(since_epoch - absl::Seconds(seconds));  // in [0, 1e9)
  google::protobuf::Timestamp* ts = Attribute(event, name)->mutable_ce_timestamp();
  ts->set_seconds(seconds);
  ts->set_nanos(static_cast<int32_t>(nanos));
}

std::string StringAttribute(const CloudEvent& event, absl::string_view name) {
  auto it = event.attributes().find(std::string(name));
  if (it == event.attributes().end()) return "";
  switch (it->second.attr_case()) {
    case AttributeValue::kCeString:
      return it->second.ce_string();
    case AttributeValue::kCeUri:
      return it->second.ce_uri();
    case AttributeValue::kCeUriRef:
      return it->second.ce_uri_ref();
    default:
      return "";
  }
}

std::optional<absl::Time> TimeAttribute(const CloudEvent& event, absl::string_view name) {
  auto it = event.attributes().find(std::string(name));
  if (it == event.attributes().end() || !it->second.has_ce_timestamp()) return std::nullopt;
  const google::protobuf::Timestamp& ts = it->second.ce_timestamp();
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

CloudEvent MakeCloudEvent(absl::string_view service,
                          const google::protobuf::EnumValueDescriptor& kind,
                          absl::string_view subject, absl::string_view chain, absl::Time time,
                          const google::protobuf::Message& payload) {
  CloudEvent event;
  const std::string& type = EventTypeOf(kind);
  const std::string& declared = EventPayloadOf(kind);
  if (type.empty() || declared != payload.GetDescriptor()->full_name()) {
    LogError("event kind and payload disagree; the event is refused",
             {{"kind", kind.full_name()},
              {"declared_payload", declared},
              {"payload", payload.GetDescriptor()->full_name()}});
    return event;
  }
  event.set_source(EventSource(service));
  event.set_spec_version(std::string(kCloudEventsSpecVersion));
  event.set_type(type);
  SetStringAttribute(&event, kSubjectAttribute, subject);
  SetStringAttribute(&event, kChainAttribute, chain);
  SetTimeAttribute(&event, kTimeAttribute, time);
  event.mutable_proto_data()->PackFrom(payload);
  SetStringAttribute(&event, kDataContentTypeAttribute, kProtobufContentType);
  SetUriAttribute(&event, kDataSchemaAttribute, event.proto_data().type_url());
  return event;
}

}  // namespace chainhub
