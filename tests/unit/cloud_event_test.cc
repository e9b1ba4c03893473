#include "common/events/cloud_event.h"

#include <set>
#include <string>

#include <google/protobuf/descriptor.h>

#include "absl/time/time.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "chainhub/support/v1/support_events.pb.h"
#include "gtest/gtest.h"

namespace chainhub {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::EnumDescriptor;

TEST(EventKinds, EveryDeclaredKindHasAUniqueTypeAndAnExistingPayload) {
  std::set<std::string> types;
  for (const EnumDescriptor* kinds :
       {registry::v1::RegistryEvent_descriptor(), intake::v1::IntakeEvent_descriptor(),
        support::v1::SupportEvent_descriptor()}) {
    for (int i = 1; i < kinds->value_count(); ++i) {  // 0 is UNSPECIFIED
      SCOPED_TRACE(kinds->value(i)->full_name());
      const std::string& type = EventTypeOf(*kinds->value(i));
      const std::string& payload = EventPayloadOf(*kinds->value(i));
      // "<noun>.<verb>", lower case, as docs/events.md lists them.
      EXPECT_TRUE(!type.empty() &&
                  type.find_first_not_of("abcdefghijklmnopqrstuvwxyz_.") == std::string::npos &&
                  type.find('.') != std::string::npos)
          << type;
      EXPECT_TRUE(types.insert(type).second) << type << " is declared twice";
      EXPECT_NE(DescriptorPool::generated_pool()->FindMessageTypeByName(payload), nullptr)
          << payload;
    }
    EXPECT_EQ(EventTypesOf(*kinds).size(), static_cast<size_t>(kinds->value_count() - 1));
  }
}

TEST(EventKinds, TypeOfAKindIsItsOption) {
  EXPECT_EQ(EventType(registry::v1::REGISTRY_EVENT_CHAIN_CREATED), "chain.created");
  EXPECT_EQ(EventType(intake::v1::INTAKE_EVENT_PROJECT_STAGE_CHANGED), "project.stage_changed");
  EXPECT_EQ(EventType(registry::v1::REGISTRY_EVENT_UNSPECIFIED), "");
}

TEST(MakeCloudEvent, FillsTheEnvelopeFromTheKindAndPacksThePayload) {
  intake::v1::StageChange change;
  change.set_to_stage(intake::v1::STAGE_SIGNED);
  const absl::Time time = absl::FromUnixMicros(1780000000123456);
  CloudEvent e =
      MakeCloudEvent("intake", EventKindDescriptor(intake::v1::INTAKE_EVENT_PROJECT_STAGE_CHANGED),
                     "projects/p1", "chains/pv", time, change);
  EXPECT_EQ(e.source(), "/chainhub/intake");
  EXPECT_EQ(e.spec_version(), "1.0");
  EXPECT_EQ(e.type(), "project.stage_changed");
  EXPECT_EQ(StringAttribute(e, kSubjectAttribute), "projects/p1");
  EXPECT_EQ(StringAttribute(e, kChainAttribute), "chains/pv");
  EXPECT_EQ(TimeAttribute(e, kTimeAttribute), time);
  EXPECT_EQ(StringAttribute(e, kDataContentTypeAttribute), "application/protobuf");
  EXPECT_EQ(StringAttribute(e, kDataSchemaAttribute),
            "type.googleapis.com/chainhub.intake.v1.StageChange");
  absl::StatusOr<intake::v1::StageChange> back = UnpackPayload<intake::v1::StageChange>(e);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->to_stage(), intake::v1::STAGE_SIGNED);
  EXPECT_EQ(UnpackPayload<intake::v1::Project>(e).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MakeCloudEvent, RefusesAPayloadOtherThanTheKindDeclares) {
  registry::v1::Node node;
  CloudEvent e =
      MakeCloudEvent("registry", EventKindDescriptor(registry::v1::REGISTRY_EVENT_CHAIN_CREATED),
                     "chains/pv", "chains/pv", absl::Now(), node);
  EXPECT_TRUE(e.type().empty());  // AppendEvent refuses it
}

TEST(CloudEventAttributes, AnEmptyValueIsNotSetAndAbsentAttributesReadEmpty) {
  CloudEvent e;
  SetStringAttribute(&e, kChainAttribute, "");
  EXPECT_TRUE(e.attributes().empty());
  EXPECT_EQ(StringAttribute(e, kChainAttribute), "");
  EXPECT_FALSE(TimeAttribute(e, kTimeAttribute).has_value());
  SetTimeAttribute(&e, kTimeAttribute, absl::FromUnixNanos(-1));  // before the epoch
  EXPECT_EQ(TimeAttribute(e, kTimeAttribute), absl::FromUnixNanos(-1));
  EXPECT_EQ(StringAttribute(e, kTimeAttribute), "");  // not a string
}

}  // namespace
}  // namespace chainhub
