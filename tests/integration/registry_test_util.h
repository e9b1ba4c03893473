// Helpers shared by the chain registry's integration tests (tests/integration/registry_*_test.cc):
// suite fixtures around RegistryFixture, a typed caller that attaches a token, builders of valid
// resources, generated credit codes, status matchers that check the code, the message and the
// google.rpc.BadRequest field violation, and a reader of the Redis event stream.
#ifndef CHAINHUB_TESTS_INTEGRATION_REGISTRY_TEST_UTIL_H_
#define CHAINHUB_TESTS_INTEGRATION_REGISTRY_TEST_UTIL_H_

#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/events/cloud_event.h"
#include "common/base/credit_code.h"
#include "common/events/outbox.h"
#include "common/cache/redis_client.h"
#include "common/base/status_util.h"
#include "gtest/gtest.h"
#include "tests/support/registry_fixture.h"

namespace chainhub::testing {

namespace v1 = ::chainhub::registry::v1;
using Stub = v1::ChainRegistry::Stub;

// Calls the registry as one principal (token and optional x-request-id on every call).
using Caller = StubCaller<Stub>;

// A suite whose tests share one registry (they use disjoint resource names): started by the
// suite's first test, stopped after its last. `Suite` keeps each suite's fixture its own.
template <typename Suite>
class SharedRegistryTest : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    if (fixture_ != nullptr) fixture_->TearDown();
    delete fixture_;
    fixture_ = nullptr;
    started_ = false;
  }

  void SetUp() override {
    if (fixture_ == nullptr) {
      fixture_ = new RegistryFixture();
      ASSERT_NO_FATAL_FAILURE(fixture_->SetUp());
      started_ = true;
    }
    ASSERT_TRUE(started_) << "the suite's registry failed to start in an earlier test";
  }

  static RegistryFixture& fx() { return *fixture_; }
  static Caller admin() { return Caller(fx().stub(), fx().admin_token()); }
  static Caller viewer() { return Caller(fx().stub(), fx().viewer_token()); }
  static Caller As(const std::string& subject, std::set<std::string, std::less<>> roles,
                   std::set<std::string, std::less<>> chains = {}) {
    return Caller(fx().stub(), MintTestToken(subject, std::move(roles), std::move(chains)));
  }

 private:
  static inline RegistryFixture* fixture_ = nullptr;
  static inline bool started_ = false;
};

// A test with a registry of its own (it stops Redis, flushes it, or counts every event).
class OwnRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(fixture_.SetUp()); }
  void TearDown() override { fixture_.TearDown(); }

  RegistryFixture& fx() { return fixture_; }
  Caller admin() { return Caller(fixture_.stub(), fixture_.admin_token()); }
  Caller viewer() { return Caller(fixture_.stub(), fixture_.viewer_token()); }

 private:
  RegistryFixture fixture_;
};

// --- Credit codes -----------------------------------------------------------------------------

// A valid credit code numbered `n` (distinct n, distinct codes): "91341100", nine digits, check.
inline std::string GeneratedCode(int n, const std::string& division = "341100") {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%09d", n);
  const std::string first17 = "91" + division + digits;
  return first17 + CreditCodeCheckChar(first17).value_or('?');
}

// The same first 17 characters with a wrong check character.
inline std::string WithWrongCheck(const std::string& code) {
  std::string out = code;
  out[17] = out[17] == '0' ? '1' : '0';
  return out;
}

// --- Builders of valid resources ----------------------------------------------------------------

inline v1::Chain MakeChain(const std::string& display_name) {
  v1::Chain c;
  c.set_display_name(display_name);
  c.set_english_name("chain " + display_name);
  c.set_status(v1::CHAIN_STATUS_ACTIVE);
  c.mutable_leader()->set_name("李明");
  c.mutable_leader()->set_title("副市长");
  c.set_target_output_yuan(100'000'000'000);
  c.set_target_year(2027);
  return c;
}

inline v1::Node MakeNode(const std::string& display_name, v1::Segment segment,
                         const std::string& parent = "", int order = 0) {
  v1::Node n;
  n.set_display_name(display_name);
  n.set_segment(segment);
  n.set_parent(parent);
  n.set_order(order);
  return n;
}

inline v1::Enterprise MakeEnterprise(const std::string& code, const std::string& display_name,
                                     std::vector<std::string> memberships = {},
                                     std::vector<v1::EnterpriseLabel> labels = {},
                                     int64_t annual_output_yuan = 0) {
  v1::Enterprise e;
  e.set_credit_code(code);
  e.set_display_name(display_name);
  e.set_county("琅琊区");
  for (auto& m : memberships) e.add_memberships(std::move(m));
  for (auto l : labels) e.add_labels(l);
  e.set_annual_output_yuan(annual_output_yuan);
  return e;
}

inline std::string ChainName(const std::string& id) { return "chains/" + id; }
inline std::string NodeName(const std::string& chain, const std::string& node) {
  return "chains/" + chain + "/nodes/" + node;
}
inline std::string EnterpriseName(const std::string& code) { return "enterprises/" + code; }

// Creates what a test needs, failing the test (ADD_FAILURE) when a call fails.
inline v1::Department CreateDepartment(const Caller& as, const std::string& id,
                                       const std::string& display_name = "市发展和改革委员会") {
  v1::CreateDepartmentRequest req;
  req.set_department_id(id);
  req.mutable_department()->set_display_name(display_name);
  req.mutable_department()->set_short_name(id);
  v1::Department out;
  grpc::Status s = as(&Stub::CreateDepartment, req, &out);
  EXPECT_TRUE(s.ok()) << "CreateDepartment " << id << ": " << s.error_message();
  return out;
}

inline v1::Chain CreateChain(const Caller& as, const std::string& id, v1::Chain chain) {
  v1::CreateChainRequest req;
  req.set_chain_id(id);
  *req.mutable_chain() = std::move(chain);
  v1::Chain out;
  grpc::Status s = as(&Stub::CreateChain, req, &out);
  EXPECT_TRUE(s.ok()) << "CreateChain " << id << ": " << s.error_message();
  return out;
}
inline v1::Chain CreateChain(const Caller& as, const std::string& id) {
  return CreateChain(as, id, MakeChain("链" + id));
}

inline v1::Node CreateNode(const Caller& as, const std::string& chain, const std::string& id,
                           v1::Node node) {
  v1::CreateNodeRequest req;
  req.set_parent(ChainName(chain));
  req.set_node_id(id);
  *req.mutable_node() = std::move(node);
  v1::Node out;
  grpc::Status s = as(&Stub::CreateNode, req, &out);
  EXPECT_TRUE(s.ok()) << "CreateNode " << id << ": " << s.error_message();
  return out;
}

inline v1::Enterprise CreateEnterprise(const Caller& as, v1::Enterprise e) {
  v1::CreateEnterpriseRequest req;
  *req.mutable_enterprise() = std::move(e);
  v1::Enterprise out;
  grpc::Status s = as(&Stub::CreateEnterprise, req, &out);
  EXPECT_TRUE(s.ok()) << "CreateEnterprise " << req.enterprise().credit_code() << ": "
                      << s.error_message();
  return out;
}

inline v1::ChainMap GetChainMap(const Caller& as, const std::string& chain) {
  v1::GetChainMapRequest req;
  req.set_name(ChainName(chain));
  v1::ChainMap out;
  grpc::Status s = as(&Stub::GetChainMap, req, &out);
  EXPECT_TRUE(s.ok()) << "GetChainMap " << chain << ": " << s.error_message();
  return out;
}

// The node of a map with this name (depth-first), or nullptr.
inline const v1::ChainMapNode* FindMapNode(const v1::ChainMap& map, const std::string& name) {
  std::vector<const v1::ChainMapNode*> stack;
  for (const auto& r : map.roots()) stack.push_back(&r);
  while (!stack.empty()) {
    const v1::ChainMapNode* n = stack.back();
    stack.pop_back();
    if (n->node().name() == name) return n;
    for (const auto& c : n->children()) stack.push_back(&c);
  }
  return nullptr;
}

// Every audit row matching `filter` (all pages).
inline std::vector<common::v1::AuditEvent> AuditRows(const Caller& as, const std::string& filter) {
  return AuditRowsOf(as, filter);
}

// --- Status matchers ----------------------------------------------------------------------------

inline ::testing::AssertionResult HasCode(const grpc::Status& s, grpc::StatusCode code) {
  if (s.error_code() == code) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "expected code " << code << ", got " << s.error_code() << ": " << s.error_message();
}

// INVALID_ARGUMENT whose message names `field` and whose BadRequest detail has a violation for
// exactly that field path.
inline ::testing::AssertionResult IsInvalidField(const grpc::Status& s, const std::string& field) {
  if (s.error_code() != grpc::StatusCode::INVALID_ARGUMENT) {
    return ::testing::AssertionFailure()
           << "expected INVALID_ARGUMENT naming " << field << ", got code " << s.error_code()
           << ": " << s.error_message();
  }
  if (!absl::StrContains(s.error_message(), field)) {
    return ::testing::AssertionFailure()
           << "message does not name " << field << ": " << s.error_message();
  }
  std::vector<FieldViolation> violations = FieldViolationsOf(FromGrpcStatus(s));
  std::string seen;
  for (const auto& v : violations) {
    if (v.field == field) return ::testing::AssertionSuccess();
    absl::StrAppend(&seen, v.field, "; ");
  }
  return ::testing::AssertionFailure() << "no BadRequest violation for " << field
                                       << " (violations: " << seen << ") in: " << s.error_message();
}

// --- The event stream ---------------------------------------------------------------------------

struct StreamEvent {
  std::string entry_id;  // the stream entry id
  std::string id, type;  // the entry's `id` and `type` fields
  CloudEvent event;      // the decoded `event` field
  bool decoded = false;
  // The event's attributes, read back.
  std::string subject, chain, request_id, principal;
  absl::Time time;

  // The event's proto_data as a T (an empty T when it carries another message).
  template <typename T>
  T Payload() const {
    T payload;
    EXPECT_TRUE(event.proto_data().UnpackTo(&payload))
        << type << " carries " << event.proto_data().type_url();
    return payload;
  }
};

// Reads the whole stream chainhub:events (empty when Redis is unreachable or it is empty).
inline std::vector<StreamEvent> ReadStream(RedisClient& redis) {
  std::vector<StreamEvent> out;
  auto reply = redis.Command({"XRANGE", std::string(kEventStream), "-", "+"});
  if (!reply.ok() || reply->type != RedisReply::Type::kArray) return out;
  for (const auto& entry : reply->elements) {
    if (entry.elements.size() != 2) continue;
    StreamEvent e;
    e.entry_id = entry.elements[0].str;
    const auto& fields = entry.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      const std::string& k = fields[i].str;
      const std::string& v = fields[i + 1].str;
      if (k == "id") e.id = v;
      if (k == "type") e.type = v;
      if (k == "event") e.decoded = e.event.ParseFromString(v);
    }
    e.subject = StringAttribute(e.event, kSubjectAttribute);
    e.chain = StringAttribute(e.event, kChainAttribute);
    e.request_id = StringAttribute(e.event, kRequestIdAttribute);
    e.principal = StringAttribute(e.event, kPrincipalAttribute);
    e.time = TimeAttribute(e.event, kTimeAttribute).value_or(absl::InfinitePast());
    out.push_back(std::move(e));
  }
  return out;
}

// Polls the stream (every 20 ms, 10 s at most) until `done(events)` holds; returns the last read.
template <typename Pred>
std::vector<StreamEvent> WaitForStream(RedisClient& redis, Pred done,
                                       absl::Duration timeout = absl::Seconds(10)) {
  const absl::Time deadline = absl::Now() + timeout;
  std::vector<StreamEvent> events = ReadStream(redis);
  while (!done(events) && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
    events = ReadStream(redis);
  }
  return events;
}

inline bool StreamHasSubject(const std::vector<StreamEvent>& events, const std::string& type,
                             const std::string& subject) {
  for (const auto& e : events) {
    if (e.type == type && e.subject == subject) return true;
  }
  return false;
}

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_INTEGRATION_REGISTRY_TEST_UTIL_H_
