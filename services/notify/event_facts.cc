#include "services/notify/event_facts.h"

#include <memory>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/util/time_util.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "chainhub/assessment/v1/assessment_events.pb.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "chainhub/notify/v1/notify_events.pb.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "chainhub/support/v1/support_events.pb.h"

namespace chainhub::notify {

namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Nested messages are flattened this deep (investor.name is 2).
constexpr int kMaxDepth = 3;
// The envelope's attribute names: a payload field of one of these names is only `data.<name>`.
constexpr absl::string_view kEnvelope[] = {"type", "source", "subject", "chain", "id"};

bool IsEnvelope(absl::string_view name) {
  for (absl::string_view e : kEnvelope) {
    if (e == name) return true;
  }
  return false;
}

// "LIGHT_RED" → "RED": the value without the prefix every value of its enum shares.
std::string ShortEnumName(const EnumValueDescriptor& value) {
  const auto& type = *value.type();
  std::string prefix = type.value(0)->name();
  for (int i = 1; i < type.value_count(); ++i) {
    const std::string& n = type.value(i)->name();
    size_t k = 0;
    while (k < prefix.size() && k < n.size() && prefix[k] == n[k]) ++k;
    prefix.resize(k);
  }
  // Only whole words: back to the last '_'.
  const size_t cut = prefix.rfind('_');
  prefix = cut == std::string::npos ? "" : prefix.substr(0, cut + 1);
  return std::string(absl::StripPrefix(value.name(), prefix));
}

void Add(EventFacts* facts, const std::string& name, std::string value) {
  facts->attributes[absl::StrCat("data.", name)].push_back(value);
  if (!IsEnvelope(name)) facts->attributes[name].push_back(std::move(value));
}

void Flatten(const Message& message, const std::string& prefix, int depth, EventFacts* facts);

void AddValue(const Message& message, const FieldDescriptor& field, int index,
              const std::string& name, int depth, EventFacts* facts) {
  const Reflection& r = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      Add(facts, name,
          repeated ? r.GetRepeatedString(message, &field, index) : r.GetString(message, &field));
      return;
    case FieldDescriptor::CPPTYPE_INT32:
      Add(facts, name,
          absl::StrCat(repeated ? r.GetRepeatedInt32(message, &field, index)
                                : r.GetInt32(message, &field)));
      return;
    case FieldDescriptor::CPPTYPE_INT64:
      Add(facts, name,
          absl::StrCat(repeated ? r.GetRepeatedInt64(message, &field, index)
                                : r.GetInt64(message, &field)));
      return;
    case FieldDescriptor::CPPTYPE_UINT32:
      Add(facts, name,
          absl::StrCat(repeated ? r.GetRepeatedUInt32(message, &field, index)
                                : r.GetUInt32(message, &field)));
      return;
    case FieldDescriptor::CPPTYPE_UINT64:
      Add(facts, name,
          absl::StrCat(repeated ? r.GetRepeatedUInt64(message, &field, index)
                                : r.GetUInt64(message, &field)));
      return;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      Add(facts, name,
          absl::StrCat(repeated ? r.GetRepeatedDouble(message, &field, index)
                                : r.GetDouble(message, &field)));
      return;
    case FieldDescriptor::CPPTYPE_FLOAT:
      Add(facts, name,
          absl::StrCat(repeated ? r.GetRepeatedFloat(message, &field, index)
                                : r.GetFloat(message, &field)));
      return;
    case FieldDescriptor::CPPTYPE_BOOL: {
      const bool b =
          repeated ? r.GetRepeatedBool(message, &field, index) : r.GetBool(message, &field);
      Add(facts, name, b ? "true" : "false");
      return;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumValueDescriptor* v =
          repeated ? r.GetRepeatedEnum(message, &field, index) : r.GetEnum(message, &field);
      Add(facts, name, v->name());
      const std::string short_name = ShortEnumName(*v);
      if (short_name != v->name()) Add(facts, name, short_name);
      return;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& sub =
          repeated ? r.GetRepeatedMessage(message, &field, index) : r.GetMessage(message, &field);
      if (sub.GetDescriptor()->full_name() == "google.protobuf.Timestamp") {
        google::protobuf::Timestamp ts;
        ts.CopyFrom(sub);
        Add(facts, name, google::protobuf::util::TimeUtil::ToString(ts));
        return;
      }
      if (depth + 1 < kMaxDepth) Flatten(sub, name + ".", depth + 1, facts);
      return;
    }
  }
}

void Flatten(const Message& message, const std::string& prefix, int depth, EventFacts* facts) {
  const Reflection& r = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string name = prefix + field->name();
    if (field->is_repeated()) {
      for (int i = 0; i < r.FieldSize(message, field); ++i) {
        AddValue(message, *field, i, name, depth, facts);
      }
    } else {
      AddValue(message, *field, 0, name, depth, facts);
    }
  }
}

void FieldNames(const Descriptor& type, const std::string& prefix, int depth,
                std::set<std::string, std::less<>>* names) {
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    const std::string name = prefix + field.name();
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        field.message_type()->full_name() != "google.protobuf.Timestamp") {
      if (depth + 1 < kMaxDepth) FieldNames(*field.message_type(), name + ".", depth + 1, names);
      continue;
    }
    names->insert(absl::StrCat("data.", name));
    if (!IsEnvelope(name)) names->insert(name);
  }
}

const Descriptor* PayloadType(absl::string_view full_name) {
  return google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
      std::string(full_name));
}

// Numbers compare as numbers, anything else as text.
int Compare(const std::string& a, const std::string& b) {
  double x = 0;
  double y = 0;
  if (absl::SimpleAtod(a, &x) && absl::SimpleAtod(b, &y)) return x < y ? -1 : (x > y ? 1 : 0);
  return a.compare(b);
}

bool CompareHolds(FilterOp op, const std::string& value, const std::string& operand) {
  switch (op) {
    case FilterOp::kEq:
      return value == operand;
    case FilterOp::kNe:
      return value != operand;
    case FilterOp::kLt:
      return Compare(value, operand) < 0;
    case FilterOp::kLe:
      return Compare(value, operand) <= 0;
    case FilterOp::kGt:
      return Compare(value, operand) > 0;
    case FilterOp::kGe:
      return Compare(value, operand) >= 0;
    case FilterOp::kHas:
      return absl::StrContains(value, operand);
  }
  return false;
}

}  // namespace

std::string EventFacts::First(absl::string_view name) const {
  auto it = attributes.find(name);
  return it == attributes.end() || it->second.empty() ? "" : it->second.front();
}

const std::vector<std::string>& EventFacts::All(absl::string_view name) const {
  static const auto* none = new std::vector<std::string>();
  auto it = attributes.find(name);
  return it == attributes.end() ? *none : it->second;
}

absl::StatusOr<EventFacts> FactsOf(const CloudEvent& event) {
  EventFacts facts;
  facts.type = event.type();
  facts.id = event.id();
  facts.subject = StringAttribute(event, kSubjectAttribute);
  facts.chain = StringAttribute(event, kChainAttribute);
  facts.time = TimeAttribute(event, kTimeAttribute).value_or(absl::InfinitePast());
  facts.attributes["type"] = {facts.type};
  facts.attributes["id"] = {facts.id};
  facts.attributes["source"] = {event.source()};
  if (!facts.subject.empty()) facts.attributes["subject"] = {facts.subject};
  if (!facts.chain.empty()) {
    facts.attributes["chain"] = {std::string(absl::StripPrefix(facts.chain, "chains/")),
                                 facts.chain};
  }
  if (!event.has_proto_data()) return facts;
  const std::string& url = event.proto_data().type_url();
  const Descriptor* type = PayloadType(url.substr(url.rfind('/') + 1));
  if (type == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(event.type(), " event ", event.id(), " carries an unknown payload ", url));
  }
  std::unique_ptr<Message> payload(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
  if (!payload->ParseFromString(event.proto_data().value())) {
    return absl::InvalidArgumentError(
        absl::StrCat(event.type(), " event ", event.id(), ": its payload does not decode"));
  }
  Flatten(*payload, "", 0, &facts);
  return facts;
}

bool MatchesFilter(const FilterNode* node, const EventFacts& facts) {
  if (node == nullptr) return true;
  switch (node->kind) {
    case FilterNode::Kind::kAnd:
      for (const auto& child : node->children) {
        if (!MatchesFilter(child.get(), facts)) return false;
      }
      return true;
    case FilterNode::Kind::kOr:
      for (const auto& child : node->children) {
        if (MatchesFilter(child.get(), facts)) return true;
      }
      return false;
    case FilterNode::Kind::kNot:
      return !MatchesFilter(node->children[0].get(), facts);
    case FilterNode::Kind::kCompare:
      break;
  }
  const std::vector<std::string>& values = facts.All(node->field);
  if (node->op == FilterOp::kNe) {
    for (const std::string& v : values) {
      if (v == node->value) return false;
    }
    return true;
  }
  for (const std::string& v : values) {
    if (CompareHolds(node->op, v, node->value)) return true;
  }
  return false;
}

const std::map<std::string, std::string, std::less<>>& PublishedEventTypes() {
  static const auto* types = [] {
    auto* m = new std::map<std::string, std::string, std::less<>>();
    for (const google::protobuf::EnumDescriptor* kinds :
         {registry::v1::RegistryEvent_descriptor(), intake::v1::IntakeEvent_descriptor(),
          assessment::v1::AssessmentEvent_descriptor(), v1::NotifyEvent_descriptor(),
          support::v1::SupportEvent_descriptor()}) {
      for (int i = 0; i < kinds->value_count(); ++i) {
        const EnumValueDescriptor& kind = *kinds->value(i);
        if (!EventTypeOf(kind).empty()) (*m)[EventTypeOf(kind)] = EventPayloadOf(kind);
      }
    }
    return m;
  }();
  return *types;
}

std::set<std::string, std::less<>> AttributeNamesOf(absl::string_view type) {
  std::set<std::string, std::less<>> names;
  auto it = PublishedEventTypes().find(type);
  if (it == PublishedEventTypes().end()) return names;
  for (absl::string_view e : kEnvelope) names.insert(std::string(e));
  if (const Descriptor* payload = PayloadType(it->second)) FieldNames(*payload, "", 0, &names);
  return names;
}

}  // namespace chainhub::notify
