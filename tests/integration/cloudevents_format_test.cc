// Reads the event stream as any CloudEvents consumer would: the CloudEvents protobuf definition is
// loaded at run time from the spec's text (testdata/cloudevents_spec.proto) with the protobuf
// compiler's Importer and decoded with dynamic messages, never with the project's generated
// classes. Every entry the registry publishes must carry every attribute docs/events.md promises.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/dynamic_message.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"

namespace chainhub::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

class CollectErrors : public google::protobuf::compiler::MultiFileErrorCollector {
 public:
  void AddError(const std::string& file, int line, int column,
                const std::string& message) override {
    errors.push_back(absl::StrCat(file, ":", line, ":", column, ": ", message));
  }
  std::vector<std::string> errors;
};

// An attribute as the spec's CloudEventAttributeValue carries it: which member of `attr` is set,
// and its value (strings as is, a timestamp as its seconds).
struct Attribute {
  std::string kind;
  std::string text;
  int64_t seconds = 0;
};

// One stream entry decoded with the spec's definition.
struct SpecEvent {
  std::string id, source, spec_version, type;
  std::map<std::string, Attribute> attributes;
  std::string data_case;  // the member of the `data` oneof that is set
  std::string type_url;   // proto_data's
  std::string value;      // proto_data's
};

class CloudEventsFormat : public OwnRegistryTest {
 protected:
  void SetUp() override {
    OwnRegistryTest::SetUp();
    if (HasFatalFailure()) return;
    tree_.MapPath("", std::string(CHAINHUB_SOURCE_DIR) + "/tests/integration/testdata");
    tree_.MapPath("google/protobuf", "/usr/include/google/protobuf");
    importer_ = std::make_unique<google::protobuf::compiler::Importer>(&tree_, &errors_);
    ASSERT_NE(importer_->Import("cloudevents_spec.proto"), nullptr)
        << absl::StrJoin(errors_.errors, "\n");
    cloud_event_ = importer_->pool()->FindMessageTypeByName("io.cloudevents.v1.CloudEvent");
    ASSERT_NE(cloud_event_, nullptr);
    // Not the generated pool's descriptor: the decoding below owes nothing to protos/.
    ASSERT_NE(cloud_event_->file()->pool(), google::protobuf::DescriptorPool::generated_pool());
  }

  SpecEvent Decode(const std::string& bytes) {
    std::unique_ptr<Message> msg(factory_.GetPrototype(cloud_event_)->New());
    EXPECT_TRUE(msg->ParseFromString(bytes));
    const Reflection* r = msg->GetReflection();
    auto field = [&](const Descriptor* d, const char* name) {
      const FieldDescriptor* f = d->FindFieldByName(name);
      EXPECT_NE(f, nullptr) << name;
      return f;
    };
    SpecEvent out;
    out.id = r->GetString(*msg, field(cloud_event_, "id"));
    out.source = r->GetString(*msg, field(cloud_event_, "source"));
    out.spec_version = r->GetString(*msg, field(cloud_event_, "spec_version"));
    out.type = r->GetString(*msg, field(cloud_event_, "type"));
    const FieldDescriptor* attributes = field(cloud_event_, "attributes");
    for (int i = 0; i < r->FieldSize(*msg, attributes); ++i) {
      const Message& entry = r->GetRepeatedMessage(*msg, attributes, i);
      const Reflection* er = entry.GetReflection();
      const std::string key = er->GetString(entry, field(entry.GetDescriptor(), "key"));
      const Message& value = er->GetMessage(entry, field(entry.GetDescriptor(), "value"));
      const Reflection* vr = value.GetReflection();
      const FieldDescriptor* set =
          vr->GetOneofFieldDescriptor(value, value.GetDescriptor()->FindOneofByName("attr"));
      Attribute a;
      if (set != nullptr) {
        a.kind = set->name();
        if (set->cpp_type() == FieldDescriptor::CPPTYPE_STRING) a.text = vr->GetString(value, set);
        if (set->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          const Message& ts = vr->GetMessage(value, set);
          a.seconds = ts.GetReflection()->GetInt64(ts, field(ts.GetDescriptor(), "seconds"));
        }
      }
      out.attributes[key] = a;
    }
    const FieldDescriptor* data =
        r->GetOneofFieldDescriptor(*msg, cloud_event_->FindOneofByName("data"));
    if (data != nullptr) {
      out.data_case = data->name();
      if (data->name() == "proto_data") {
        const Message& any = r->GetMessage(*msg, data);
        const Reflection* ar = any.GetReflection();
        out.type_url = ar->GetString(any, field(any.GetDescriptor(), "type_url"));
        out.value = ar->GetString(any, field(any.GetDescriptor(), "value"));
      }
    }
    return out;
  }

  // The raw `event` field of every stream entry, once at least `n` are there.
  std::vector<std::string> RawEvents(size_t n) {
    RedisClient redis(fx().redis().ClientOptions());
    WaitForStream(redis, [n](const auto& e) { return e.size() >= n; });
    std::vector<std::string> out;
    auto reply = redis.Command({"XRANGE", std::string(kEventStream), "-", "+"});
    EXPECT_TRUE(reply.ok()) << reply.status();
    if (!reply.ok()) return out;
    for (const auto& entry : reply->elements) {
      const auto& fields = entry.elements.at(1).elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str == "event") out.push_back(fields[i + 1].str);
      }
    }
    return out;
  }

  google::protobuf::compiler::DiskSourceTree tree_;
  CollectErrors errors_;
  std::unique_ptr<google::protobuf::compiler::Importer> importer_;
  google::protobuf::DynamicMessageFactory factory_;
  const Descriptor* cloud_event_ = nullptr;
};

TEST_F(CloudEventsFormat, EveryStreamEntryIsACloudEventWithEveryPromisedAttribute) {
  v1::CreateChainRequest chain;
  chain.set_chain_id("pv");
  *chain.mutable_chain() = MakeChain("光伏");
  v1::Chain created_chain;
  ASSERT_TRUE(admin()(&Stub::CreateChain, chain, &created_chain, "ce-chain").ok());
  v1::CreateNodeRequest node;
  node.set_parent("chains/pv");
  node.set_node_id("wafer");
  *node.mutable_node() = MakeNode("硅片", v1::SEGMENT_UPSTREAM);
  v1::Node created_node;
  ASSERT_TRUE(admin()(&Stub::CreateNode, node, &created_node, "ce-node").ok());

  const std::vector<std::string> raw = RawEvents(2);
  ASSERT_EQ(raw.size(), 2u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"chain.created", "chains/pv"}, {"node.created", NodeName("pv", "wafer")}};
  const std::vector<std::string> payload_types = {"chainhub.registry.v1.Chain",
                                                  "chainhub.registry.v1.Node"};
  const std::vector<std::string> request_ids = {"ce-chain", "ce-node"};
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  for (size_t i = 0; i < raw.size(); ++i) {
    SCOPED_TRACE(i);
    SpecEvent e = Decode(raw[i]);
    EXPECT_EQ(e.id.size(), 36u);
    EXPECT_EQ(e.id[14], '7');  // UUIDv7
    EXPECT_EQ(e.source, "/chainhub/registry");
    EXPECT_EQ(e.spec_version, "1.0");
    EXPECT_EQ(e.type, expected[i].first);
    EXPECT_EQ(e.attributes["subject"].kind, "ce_string");
    EXPECT_EQ(e.attributes["subject"].text, expected[i].second);
    EXPECT_EQ(e.attributes["time"].kind, "ce_timestamp");
    EXPECT_GT(e.attributes["time"].seconds, now - 600);
    EXPECT_LE(e.attributes["time"].seconds, now + 600);
    EXPECT_EQ(e.attributes["chain"].text, "chains/pv");
    EXPECT_EQ(e.attributes["requestid"].text, request_ids[i]);
    EXPECT_EQ(e.attributes["principal"].text, "systems/test-admin");
    EXPECT_EQ(e.attributes["datacontenttype"].text, "application/protobuf");
    EXPECT_EQ(e.attributes["dataschema"].kind, "ce_uri");
    EXPECT_EQ(e.attributes["dataschema"].text, e.type_url);
    // Extension names as the spec allows them: lower-case letters and digits.
    for (const auto& [name, value] : e.attributes) {
      EXPECT_TRUE(!name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") ==
                                       std::string::npos)
          << name;
    }
    EXPECT_EQ(e.data_case, "proto_data");
    EXPECT_EQ(e.type_url, "type.googleapis.com/" + payload_types[i]);
    EXPECT_FALSE(e.value.empty());
  }
  // The payload bytes are the resource as the API returned it.
  v1::Chain payload;
  ASSERT_TRUE(payload.ParseFromString(Decode(raw[0]).value));
  EXPECT_EQ(payload.SerializeAsString(), created_chain.SerializeAsString());
}

}  // namespace
}  // namespace chainhub::testing
