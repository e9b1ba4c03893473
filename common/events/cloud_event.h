// The CloudEvents 1.0 envelope (protobuf format) of every event on `chainhub:events`: how common/
// builds and reads it, and the bridge to the event types the services declare once, as enum
// values carrying the (chainhub.events.v1.event_type) and (event_payload) options in their own
// `<service>_events.proto`. Nothing here knows a service. The contract is docs/events.md.
#ifndef CHAINHUB_COMMON_CLOUD_EVENT_H_
#define CHAINHUB_COMMON_CLOUD_EVENT_H_

#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>
#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "io/cloudevents/v1/cloudevents.pb.h"

namespace chainhub {

using CloudEvent = io::cloudevents::v1::CloudEvent;

inline constexpr absl::string_view kCloudEventsSpecVersion = "1.0";

// Attribute names (CloudEvents names are lower-case letters and digits only). The first four are
// the spec's optional attributes; the last three are chainhub's extensions.
inline constexpr absl::string_view kSubjectAttribute = "subject";
inline constexpr absl::string_view kTimeAttribute = "time";
inline constexpr absl::string_view kDataContentTypeAttribute = "datacontenttype";
inline constexpr absl::string_view kDataSchemaAttribute = "dataschema";
// The chain the event belongs to ("chains/pv"), absent when it belongs to none.
inline constexpr absl::string_view kChainAttribute = "chain";
// The request id of the call that caused the event.
inline constexpr absl::string_view kRequestIdAttribute = "requestid";
// The authenticated subject of that call ("users/…", "systems/…").
inline constexpr absl::string_view kPrincipalAttribute = "principal";

// The datacontenttype of a protobuf `proto_data`.
inline constexpr absl::string_view kProtobufContentType = "application/protobuf";

// The CloudEvents `source` of a service's events: "/chainhub/<service>".
std::string EventSource(absl::string_view service);

// The (chainhub.events.v1.event_type) / (event_payload) option of an event kind; empty when the
// value carries none.
const std::string& EventTypeOf(const google::protobuf::EnumValueDescriptor& kind);
const std::string& EventPayloadOf(const google::protobuf::EnumValueDescriptor& kind);

// The descriptor of a value of a generated enum.
template <typename Kind>
const google::protobuf::EnumValueDescriptor& EventKindDescriptor(Kind kind) {
  return *google::protobuf::GetEnumDescriptor<Kind>()->FindValueByNumber(kind);
}

// The CloudEvents type of an event kind, e.g. EventType(intake::v1::INTAKE_EVENT_PROJECT_CREATED)
// is "project.created".
template <typename Kind>
const std::string& EventType(Kind kind) {
  return EventTypeOf(EventKindDescriptor(kind));
}

// Every type an event enum declares, in declaration order (values without the option skipped).
std::vector<std::string> EventTypesOf(const google::protobuf::EnumDescriptor& kinds);

// Sets an attribute (a ce_string / ce_uri / ce_timestamp value); an empty string is not set.
void SetStringAttribute(CloudEvent* event, absl::string_view name, absl::string_view value);
void SetUriAttribute(CloudEvent* event, absl::string_view name, absl::string_view value);
void SetTimeAttribute(CloudEvent* event, absl::string_view name, absl::Time value);

// A string, URI or URI-reference attribute; empty when absent or of another type.
std::string StringAttribute(const CloudEvent& event, absl::string_view name);
// A timestamp attribute; nullopt when absent or of another type.
std::optional<absl::Time> TimeAttribute(const CloudEvent& event, absl::string_view name);

// An event of `kind`: source EventSource(service), spec_version, the type and payload bound to
// `kind`, the subject, the chain extension when `chain` is set, the time, and `payload` as
// proto_data with its datacontenttype and dataschema. The id is left to AppendEvent (a UUIDv7 of
// the moment it is appended, so ids follow commit order even under an injected clock). A payload
// other than the one `kind` declares is a programming error: the event comes back without a type,
// which AppendEvent refuses.
CloudEvent MakeCloudEvent(absl::string_view service,
                          const google::protobuf::EnumValueDescriptor& kind,
                          absl::string_view subject, absl::string_view chain, absl::Time time,
                          const google::protobuf::Message& payload);

// The event's proto_data as a T; INVALID_ARGUMENT (an event no consumer can ever apply) when it
// carries no protobuf data or another message.
template <typename T>
absl::StatusOr<T> UnpackPayload(const CloudEvent& event) {
  T payload;
  if (!event.has_proto_data() || !event.proto_data().UnpackTo(&payload)) {
    return absl::InvalidArgumentError(absl::StrCat(
        event.type(), " event ", event.id(), " does not carry a ", T::descriptor()->full_name(),
        " (proto_data type ", event.proto_data().type_url(), ")"));
  }
  return payload;
}

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_CLOUD_EVENT_H_
