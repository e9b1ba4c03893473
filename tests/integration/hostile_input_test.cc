// One catalogue of hostile input — SQL in filters, deep nesting, oversized values, bad resource
// names, bad and forged page tokens, control characters, bidi overrides, invalid UTF-8, bad
// order_by — sent to every method of ChainRegistry and ProjectIntake. The methods and their
// string fields come from the service descriptors, so a method or field added later is covered
// without touching this file. Every call must end in a proper refusal (or, for a read, an
// ordinary answer), with a short message, and nothing may change in either service.
#include <algorithm>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/credit_code.h"
#include "common/base/page_token.h"
#include "common/base/status_util.h"
#include "common/base/utf8.h"
#include "google/rpc/status.pb.h"
#include "tests/support/intake_fixture.h"

namespace chainhub::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

constexpr char kRegistryService[] = "chainhub.registry.v1.ChainRegistry";
constexpr char kIntakeService[] = "chainhub.intake.v1.ProjectIntake";
// What a refusal may cost the client: the message and the serialized details (they travel in
// the trailers, whose default limit is 8 KiB).
constexpr size_t kMaxMessageBytes = 1024;
constexpr size_t kMaxDetailsBytes = 4096;

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(s.data(), s.size());
  return out;
}

// Values sent in every string field of every method, one field at a time and all at once.
std::vector<std::string> Catalogue() {
  return {
      "chain = \"pv\" OR 1=1 --",
      "'; DROP TABLE projects; --",
      "\" OR \"\"=\"",
      Repeat("(", 5000) + "chain = \"pv\"" + Repeat(")", 5000),
      Repeat("(", 600) + "chain = \"pv\"" + Repeat(")", 600),
      Repeat("NOT ", 450) + "chain = \"pv\"",
      Repeat("-", 1900) + "a = 1",
      Repeat("a = 1 AND ", 180) + "a = 1",
      std::string(3000, 'a'),
      Repeat("光", 3000),
      "chains/",
      "chains/PV",
      "chains/pv/nodes/",
      "chains/pv/nodes/cells/extra",
      "../../etc/passwd",
      "projects/../../chains/pv",
      "enterprises/91341100MA2N0000",
      "provinceLists/2026/../2021",
      "issues/",
      std::string("\x00\x01", 2),
      std::string("chains/pv\x00", 10),
      "x\x1b[31mred\x1b[0m",
      "a\nb\rc\td",
      "\xc2\x85\xc2\x9f\x7f",
      "abc\u202Egpj.exe",
      "\u2066isolate\u2069",
      "\xff\xfe\xfd",
      "\xed\xa0\x80",
      "not-base64!!",
      "AQ",
      "AQAB",
      "display_name desc desc",
      "; DELETE FROM chains",
      "create_time desc, 1",
  };
}

// The large value, sent one field at a time (in every field at once it would pass the server's
// 4 MB message limit, which is another matter).
std::string Megabyte() { return std::string(1 << 20, 'x'); }

// Page tokens that decode and carry the fingerprint the method expects for an empty filter and
// order_by, with keys nobody issued.
std::vector<std::string> ForgedTokens(absl::string_view method) {
  std::vector<std::string> out;
  const std::vector<std::vector<std::string>> keys = {
      {"zzzz"},
      {"'; DROP TABLE projects; --"},
      {"not-a-number", "x"},
      {std::string("\x00\xff", 2), "a", "b", "c"},
      {std::string(8000, 'k')},
      {},
  };
  for (const auto& key : keys) {
    PageToken token;
    token.query_fingerprint = QueryFingerprint(method, "", "");
    token.last_key = key;
    out.push_back(EncodePageToken(token));
  }
  PageToken other;
  other.query_fingerprint = "0000000000000000";
  other.last_key = {"a"};
  out.push_back(EncodePageToken(other));
  return out;
}

bool IsRead(const MethodDescriptor& m) {
  for (absl::string_view prefix : {"Get", "List", "Summarize", "Resolve", "Analyze"}) {
    if (absl::StartsWith(m.name(), prefix)) return true;
  }
  return false;
}

// A path to a string field: the fields from the request down to it.
using FieldPath = std::vector<const FieldDescriptor*>;

std::string PathText(const FieldPath& path) {
  std::string out;
  for (const auto* f : path) absl::StrAppend(&out, out.empty() ? "" : ".", f->name());
  return out;
}

// Every string field reachable from `d` (repeated ones once), not descending past depth 6.
void StringPaths(const Descriptor* d, FieldPath& prefix, std::vector<FieldPath>* out) {
  if (prefix.size() > 6) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    prefix.push_back(f);
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      out->push_back(prefix);
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      StringPaths(f->message_type(), prefix, out);
    }
    prefix.pop_back();
  }
}

// The message at `f` in `m`, created (a new element for a repeated field).
Message* Child(Message* m, const FieldDescriptor* f) {
  const auto* r = m->GetReflection();
  if (f->is_repeated()) {
    return r->FieldSize(*m, f) > 0 ? r->MutableRepeatedMessage(m, f, 0) : r->AddMessage(m, f);
  }
  return r->MutableMessage(m, f);
}

void SetString(Message* m, const FieldDescriptor* f, const std::string& value) {
  const auto* r = m->GetReflection();
  if (f->is_repeated()) {
    r->AddString(m, f, value);
  } else {
    r->SetString(m, f, value);
  }
}

void SetAt(Message* m, const FieldPath& path, const std::string& value) {
  for (size_t i = 0; i + 1 < path.size(); ++i) m = Child(m, path[i]);
  SetString(m, path.back(), value);
}

// Sets every string field to `value`; of a oneof, only the member `oneof_member` (by index) is
// filled at the top level, the first member below it.
void FillAll(Message* m, const std::string& value, int depth, int oneof_member = 0) {
  if (depth > 6) return;
  const Descriptor* d = m->GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (const auto* oneof = f->containing_oneof(); oneof != nullptr) {
      const int wanted = depth == 0 ? oneof_member : 0;
      if (oneof->field(wanted) != f) continue;
    }
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      SetString(m, f, value);
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      FillAll(Child(m, f), value, depth + 1);
    }
  }
}

// A message with no string anywhere (e.g. UpdateLightRulesRequest) gets hostile numbers.
void FillNumbers(Message* m, int depth) {
  if (depth > 6) return;
  const Descriptor* d = m->GetDescriptor();
  const auto* r = m->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->is_repeated()) continue;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        r->SetInt32(m, f, -1);
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r->SetInt64(m, f, -1);
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (f->message_type()->full_name() != "google.protobuf.Timestamp") {
          FillNumbers(Child(m, f), depth + 1);
        }
        break;
      default:
        break;
    }
  }
}

struct CallResult {
  grpc::Status status;
  std::vector<std::string> responses;
};

// Calls `method` with `requests` (one for a unary method) as raw bytes through a generic stub,
// so one code path serves every method of every service.
CallResult CallRaw(grpc::GenericStub& stub, const std::string& method, const std::string& token,
                   const std::vector<std::string>& requests) {
  CallResult result;
  auto ctx = ContextWithToken(token);
  grpc::CompletionQueue cq;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(ctx.get(), method, &cq);
  void* tag = nullptr;
  bool ok = false;
  auto step = [&](intptr_t expected) {
    EXPECT_TRUE(cq.Next(&tag, &ok));
    EXPECT_EQ(reinterpret_cast<intptr_t>(tag), expected);
    return ok;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  if (step(1)) {
    for (const std::string& r : requests) {
      grpc::Slice slice(r);
      grpc::ByteBuffer buffer(&slice, 1);
      call->Write(buffer, reinterpret_cast<void*>(2));
      if (!step(2)) break;
    }
    call->WritesDone(reinterpret_cast<void*>(3));
    step(3);
    while (true) {
      grpc::ByteBuffer buffer;
      call->Read(&buffer, reinterpret_cast<void*>(4));
      if (!step(4)) break;
      std::vector<grpc::Slice> slices;
      (void)buffer.Dump(&slices);
      std::string bytes;
      for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
      result.responses.push_back(std::move(bytes));
    }
  }
  call->Finish(&result.status, reinterpret_cast<void*>(5));
  step(5);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return result;
}

class HostileInputTest : public SharedIntakeTest<HostileInputTest> {
 protected:
  // Everything a hostile call could have changed, as text: both audit trails and every resource
  // either service lists.
  static std::string Snapshot() {
    std::string out;
    auto reg = fx().RegistryAdmin();
    auto in = fx().IntakeAdmin();
    for (const auto& row : AuditRowsOf(reg, "")) absl::StrAppend(&out, row.DebugString());
    for (const auto& row : AuditRowsOf(in, "")) absl::StrAppend(&out, row.DebugString());
    namespace rv1 = registry::v1;
    namespace iv1 = intake::v1;
    {
      rv1::ListChainsRequest req;
      req.set_page_size(1000);
      rv1::ListChainsResponse resp;
      EXPECT_TRUE(reg(&RegistryStub::ListChains, req, &resp).ok());
      resp.clear_chains();  // the chains themselves come with their maps below; total_size stays
      absl::StrAppend(&out, resp.DebugString());
      for (const char* chain : {"chains/pv", "chains/nev-battery"}) {
        rv1::GetChainMapRequest map_req;
        map_req.set_name(chain);
        rv1::ChainMap map;
        EXPECT_TRUE(reg(&RegistryStub::GetChainMap, map_req, &map).ok());
        absl::StrAppend(&out, map.DebugString());
        rv1::GetChainRequest chain_req;
        chain_req.set_name(chain);
        rv1::Chain c;
        EXPECT_TRUE(reg(&RegistryStub::GetChain, chain_req, &c).ok());
        absl::StrAppend(&out, c.DebugString());
      }
    }
    {
      rv1::ListDepartmentsRequest req;
      req.set_page_size(1000);
      rv1::ListDepartmentsResponse resp;
      EXPECT_TRUE(reg(&RegistryStub::ListDepartments, req, &resp).ok());
      absl::StrAppend(&out, resp.DebugString());
    }
    {
      rv1::ListEnterprisesRequest req;
      req.set_page_size(1000);
      rv1::ListEnterprisesResponse resp;
      EXPECT_TRUE(reg(&RegistryStub::ListEnterprises, req, &resp).ok());
      absl::StrAppend(&out, resp.DebugString());
    }
    {
      rv1::ListProvinceListsResponse lists;
      EXPECT_TRUE(
          reg(&RegistryStub::ListProvinceLists, rv1::ListProvinceListsRequest(), &lists).ok());
      absl::StrAppend(&out, lists.DebugString());
      rv1::ListChainProvinceMappingsResponse mappings;
      EXPECT_TRUE(reg(&RegistryStub::ListChainProvinceMappings,
                      rv1::ListChainProvinceMappingsRequest(), &mappings)
                      .ok());
      absl::StrAppend(&out, mappings.DebugString());
    }
    for (const auto& p : ListAllProjects(in, "")) absl::StrAppend(&out, p.DebugString());
    {
      iv1::ListWorkItemsRequest req;
      req.set_page_size(1000);
      iv1::ListWorkItemsResponse resp;
      EXPECT_TRUE(in(&IntakeStub::ListWorkItems, req, &resp).ok());
      absl::StrAppend(&out, resp.DebugString());
      iv1::LightRules rules;
      EXPECT_TRUE(in(&IntakeStub::GetLightRules, iv1::GetLightRulesRequest(), &rules).ok());
      absl::StrAppend(&out, rules.DebugString());
    }
    return out;
  }

  // Something in both services for the hostile calls to aim at: a project with a stage change,
  // a progress report and a work item (the registry is seeded by the fixture).
  static void SeedIntake() {
    if (seeded_) return;
    auto in = fx().IntakeAdmin();
    project_ = CreateProject(in, MakeProject("年产10GW高效光伏组件项目"), "hostile-seed").name();
    ASSERT_FALSE(project_.empty());
    ASSERT_TRUE(Report(in, project_, "2026-05", 100, 100).ok());
    intake::v1::CreateWorkItemRequest item;
    item.mutable_work_item()->set_kind(intake::v1::WORK_ITEM_KIND_ISSUE);
    item.mutable_work_item()->set_title("用地指标");
    item.mutable_work_item()->set_subject(project_);
    item.mutable_work_item()->set_owner_department(IntakeFixture::kDeptFgw);
    item.mutable_work_item()->set_deadline("2026-07-01");
    intake::v1::WorkItem created;
    ASSERT_TRUE(in(&IntakeStub::CreateWorkItem, item, &created).ok());
    work_item_ = created.name();
    seeded_ = true;
  }

  // Checks one call's outcome; `what` says which call for the failure message.
  static void CheckOutcome(const MethodDescriptor& m, const CallResult& r, absl::string_view value,
                           const std::string& what) {
    const grpc::StatusCode code = r.status.error_code();
    // Quoting is cut at kShownNameChars characters at most: more of the value is an echo that
    // missed ShownValue (the bound on the whole message would hide it).
    if (value.size() > kShownNameChars) {
      size_t end = 0;
      for (size_t chars = 0; end < value.size() && chars <= kShownNameChars; ++chars) {
        end += std::max<size_t>(1, Utf8SequenceLength(value, end));
      }
      const absl::string_view echo = value.substr(0, end);
      EXPECT_FALSE(absl::StrContains(r.status.error_message(), echo)) << what;
      EXPECT_FALSE(absl::StrContains(r.status.error_details(), echo)) << what;
    }
    for (grpc::StatusCode bad :
         {grpc::StatusCode::INTERNAL, grpc::StatusCode::UNKNOWN,
          grpc::StatusCode::RESOURCE_EXHAUSTED, grpc::StatusCode::UNAVAILABLE,
          grpc::StatusCode::DEADLINE_EXCEEDED, grpc::StatusCode::DATA_LOSS,
          grpc::StatusCode::UNIMPLEMENTED, grpc::StatusCode::CANCELLED}) {
      EXPECT_NE(code, bad) << what << ": " << r.status.error_message();
    }
    EXPECT_LE(r.status.error_message().size(), kMaxMessageBytes) << what;
    EXPECT_LE(r.status.error_details().size(), kMaxDetailsBytes) << what;
    if (!r.status.ok()) {
      google::rpc::Status details;
      EXPECT_TRUE(r.status.error_details().empty() ||
                  details.ParseFromString(r.status.error_details()))
          << what;
      return;
    }
    if (IsRead(m)) return;
    // A write may only succeed as a batch that applied no row: every row failed, no row came
    // (a header alone, or a stream that gRPC ends at a message that does not parse).
    ASSERT_EQ(r.responses.size(), 1u) << what;
    std::unique_ptr<Message> resp(google::protobuf::MessageFactory::generated_factory()
                                      ->GetPrototype(m.output_type())
                                      ->New());
    ASSERT_TRUE(resp->ParseFromString(r.responses[0])) << what;
    const FieldDescriptor* failed = m.output_type()->FindFieldByName("failed_count");
    ASSERT_NE(failed, nullptr) << what << " succeeded";
    for (int i = 0; i < m.output_type()->field_count(); ++i) {
      const FieldDescriptor* f = m.output_type()->field(i);
      if (absl::EndsWith(f->name(), "_count") && f->name() != "failed_count" &&
          f->name() != "row_count") {
        EXPECT_EQ(resp->GetReflection()->GetInt32(*resp, f), 0) << what << " " << f->name();
      }
    }
  }

  // Sends the catalogue to every method of `service` at `target`; returns the number of calls.
  static int Bombard(const std::string& service_name, const std::string& target) {
    const ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
    EXPECT_NE(service, nullptr) << service_name;
    if (service == nullptr) return 0;
    grpc::GenericStub stub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
    const std::string token = IntakeFixture::admin_token();
    auto* factory = google::protobuf::MessageFactory::generated_factory();
    int calls = 0;
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor& m = *service->method(i);
      const std::string path = absl::StrCat("/", service->full_name(), "/", m.name());
      const Message* prototype = factory->GetPrototype(m.input_type());
      // The invalid UTF-8 in the catalogue is deliberate; protobuf would log each serialization.
      google::protobuf::LogSilencer silence;
      auto send = [&](const std::vector<std::string>& requests, const std::string& what,
                      absl::string_view value = "") {
        CallResult r = CallRaw(stub, path, token, requests);
        CheckOutcome(m, r, value, absl::StrCat(m.name(), " ", what));
        ++calls;
      };
      const int oneof_members =
          m.input_type()->oneof_decl_count() > 0 ? m.input_type()->oneof_decl(0)->field_count() : 1;
      std::vector<FieldPath> paths;
      FieldPath prefix;
      StringPaths(m.input_type(), prefix, &paths);
      if (paths.empty()) {
        std::unique_ptr<Message> req(prototype->New());
        if (IsRead(m)) {
          send({req->SerializeAsString()}, "with an empty request");
        } else {
          FillNumbers(req.get(), 0);
          send({req->SerializeAsString()}, "with -1 in every number");
        }
        continue;
      }
      const std::vector<std::string> catalogue = Catalogue();
      // Every string field at once; a streaming call gets one message per oneof member.
      for (size_t v = 0; v < catalogue.size(); ++v) {
        std::vector<std::string> requests;
        for (int member = 0; member < (m.client_streaming() ? oneof_members : 1); ++member) {
          std::unique_ptr<Message> req(prototype->New());
          FillAll(req.get(), catalogue[v], 0, member);
          requests.push_back(req->SerializeAsString());
        }
        send(requests, absl::StrCat("with catalogue value ", v, " in every string field"),
             catalogue[v]);
      }
      // One field at a time, with the large value and, for page tokens, forged tokens too.
      for (const FieldPath& field : paths) {
        std::vector<std::string> values = catalogue;
        values.push_back(Megabyte());
        if (field.back()->name() == "page_token") {
          for (auto& t : ForgedTokens(m.name())) values.push_back(std::move(t));
        }
        for (size_t v = 0; v < values.size(); ++v) {
          std::unique_ptr<Message> req(prototype->New());
          SetAt(req.get(), field, values[v]);
          std::vector<std::string> requests;
          if (m.client_streaming() && field.front()->containing_oneof() != nullptr &&
              field.front()->index_in_oneof() > 0) {
            // A row after an empty header, so the row itself is what the service judges.
            std::unique_ptr<Message> first(prototype->New());
            Child(first.get(), field.front()->containing_oneof()->field(0));
            requests.push_back(first->SerializeAsString());
          }
          requests.push_back(req->SerializeAsString());
          send(requests, absl::StrCat("with value ", v, " in ", PathText(field)), values[v]);
        }
      }
    }
    return calls;
  }

  static inline bool seeded_ = false;
  static inline std::string project_;
  static inline std::string work_item_;
};

// The path a validator names for `path`: repeated fields indexed ("chain.former_names[0]").
std::string ViolationPath(const FieldPath& path) {
  std::string out;
  for (const auto* f : path) {
    absl::StrAppend(&out, out.empty() ? "" : ".", f->name(), f->is_repeated() ? "[0]" : "");
  }
  return out;
}

// Every string field set in `valid` (a request the service would accept), one at a time, holding
// a control character and then a bidi override: each is refused as INVALID_ARGUMENT naming that
// field. Fields left empty in `valid` (output only, or optional) are not tried.
template <typename Stub, typename Req, typename Resp>
void ExpectEveryTextFieldChecked(const StubCaller<Stub>& as,
                                 grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                                              Resp*),
                                 const Req& valid) {
  std::vector<FieldPath> paths;
  FieldPath prefix;
  StringPaths(Req::descriptor(), prefix, &paths);
  int tried = 0;
  for (const FieldPath& path : paths) {
    // Only fields the valid request sets: walk it to the leaf.
    const Message* m = &valid;
    for (size_t i = 0; m != nullptr && i + 1 < path.size(); ++i) {
      const auto* r = m->GetReflection();
      if (path[i]->is_repeated()) {
        m = r->FieldSize(*m, path[i]) > 0 ? &r->GetRepeatedMessage(*m, path[i], 0) : nullptr;
      } else {
        m = r->HasField(*m, path[i]) ? &r->GetMessage(*m, path[i]) : nullptr;
      }
    }
    if (m == nullptr) continue;
    const auto* r = m->GetReflection();
    const bool set = path.back()->is_repeated() ? r->FieldSize(*m, path.back()) > 0
                                                : !r->GetString(*m, path.back()).empty();
    if (!set) continue;
    for (const std::string& bad : {std::string("a\x01") + "b", std::string("a\u202Eb")}) {
      Req req = valid;
      Message* leaf = &req;
      for (size_t i = 0; i + 1 < path.size(); ++i) leaf = Child(leaf, path[i]);
      if (path.back()->is_repeated()) {
        leaf->GetReflection()->SetRepeatedString(leaf, path.back(), 0, bad);
      } else {
        leaf->GetReflection()->SetString(leaf, path.back(), bad);
      }
      Resp resp;
      grpc::Status s = as(method, req, &resp);
      const std::string field = ViolationPath(path);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << Req::descriptor()->name() << " " << field << ": " << s.error_message();
      bool named = false;
      for (const auto& v : FieldViolationsOf(FromGrpcStatus(s))) named |= v.field == field;
      EXPECT_TRUE(named) << Req::descriptor()->name() << " " << field << ": " << s.error_message();
      ++tried;
    }
  }
  EXPECT_GT(tried, 0) << Req::descriptor()->name();
}

common::v1::Person Someone() {
  common::v1::Person p;
  p.set_name("王强");
  p.set_title("副市长");
  p.set_organization("市人民政府");
  p.set_contact("0550-3021234");
  return p;
}

std::string ValidCreditCode() {
  const std::string first17 = "91341100MA2N0H0K5";
  return first17 + *CreditCodeCheckChar(first17);
}

TEST_F(HostileInputTest, EveryRegistryTextFieldRefusesControlAndBidiCharacters) {
  namespace rv1 = registry::v1;
  auto reg = fx().RegistryAdmin();
  {
    rv1::CreateChainRequest req;
    req.set_chain_id("hostile-chain");
    req.set_request_id("hostile-chain-1");
    rv1::Chain* c = req.mutable_chain();
    c->set_display_name("新材料");
    c->set_english_name("new materials");
    c->add_former_names("材料");
    c->set_status(rv1::CHAIN_STATUS_ACTIVE);
    *c->mutable_leader() = Someone();
    *c->add_deputy_leaders() = Someone();
    c->set_lead_department(IntakeFixture::kDeptFgw);
    auto* unit = c->add_member_units();
    unit->set_department(IntakeFixture::kDeptJxj);
    *unit->mutable_liaison() = Someone();
    unit->set_responsibility("负责招商\n负责调度");
    *c->add_working_team() = Someone();
    *c->add_expert_team() = Someone();
    c->add_host_counties("来安县");
    c->add_host_parks("滁州经济技术开发区");
    auto* platform = c->add_platforms();
    platform->set_kind(rv1::PLATFORM_KIND_FUND);
    platform->set_display_name("新材料产业基金");
    platform->set_description("规模10亿元");
    ExpectEveryTextFieldChecked(reg, &RegistryStub::CreateChain, req);
  }
  {
    rv1::CreateDepartmentRequest req;
    req.set_department_id("hostile-dept");
    req.set_request_id("hostile-dept-1");
    req.mutable_department()->set_display_name("市科学技术局");
    req.mutable_department()->set_short_name("市科技局");
    *req.mutable_department()->mutable_contact() = Someone();
    ExpectEveryTextFieldChecked(reg, &RegistryStub::CreateDepartment, req);
  }
  {
    rv1::CreateNodeRequest req;
    req.set_parent("chains/pv");
    req.set_node_id("hostile-node");
    req.set_request_id("hostile-node-1");
    rv1::Node* n = req.mutable_node();
    n->set_display_name("硅料");
    n->set_english_name("polysilicon");
    n->set_segment(rv1::SEGMENT_UPSTREAM);
    n->set_parent("chains/pv/nodes/cells");
    n->add_key_products("多晶硅");
    n->add_key_technologies("改良西门子法");
    n->add_attraction_targets("某某硅业");
    n->set_description("上游\n原料");
    n->add_province_category_override("new-energy-low-carbon");
    ExpectEveryTextFieldChecked(reg, &RegistryStub::CreateNode, req);
  }
  {
    rv1::CreateEnterpriseRequest req;
    req.set_request_id("hostile-ent-1");
    rv1::Enterprise* e = req.mutable_enterprise();
    e->set_credit_code(ValidCreditCode());
    e->set_display_name("滁州某某光伏科技有限公司");
    e->set_county("琅琊区");
    e->set_park("滁州经济技术开发区");
    e->add_memberships("chains/pv/nodes/cells");
    e->add_province_category_override("new-energy-low-carbon");
    ExpectEveryTextFieldChecked(reg, &RegistryStub::CreateEnterprise, req);
  }
  {
    rv1::PutProvinceListRequest req;
    rv1::ProvinceList* l = req.mutable_province_list();
    l->set_name("provinceLists/2090");
    l->set_display_name("2090年十大产业链");
    l->set_effective_from("2090-01-01");
    auto* chain = l->add_chains();
    chain->set_id("hostile-province");
    chain->set_display_name("新兴产业");
    ExpectEveryTextFieldChecked(reg, &RegistryStub::PutProvinceList, req);
  }
}

TEST_F(HostileInputTest, EveryIntakeTextFieldRefusesControlAndBidiCharacters) {
  namespace iv1 = intake::v1;
  ASSERT_NO_FATAL_FAILURE(SeedIntake());
  auto in = fx().IntakeAdmin();
  {
    iv1::CreateProjectRequest req;
    req.set_request_id("hostile-project-1");
    *req.mutable_project() = MakeProject("年产5GW电池片项目");
    req.mutable_project()->set_node("chains/pv/nodes/cells");
    req.mutable_project()->add_province_chains("new-energy-low-carbon");
    req.mutable_project()->mutable_investor()->set_credit_code(ValidCreditCode());
    req.mutable_project()->set_planned_start_date("2026-09-01");
    req.mutable_project()->set_external_id("HOSTILE-0001");
    ExpectEveryTextFieldChecked(in, &IntakeStub::CreateProject, req);
  }
  {
    iv1::CreateWorkItemRequest req;
    req.set_request_id("hostile-item-1");
    iv1::WorkItem* w = req.mutable_work_item();
    w->set_kind(iv1::WORK_ITEM_KIND_TASK);
    w->set_title("协调用电");
    w->set_description("第一步\n\t第二步");
    w->set_subject(project_);
    w->set_owner_department(IntakeFixture::kDeptJxj);
    w->set_deadline("2026-08-01");
    ExpectEveryTextFieldChecked(in, &IntakeStub::CreateWorkItem, req);
  }
  {
    iv1::ReportProgressRequest req;
    req.set_parent(project_);
    req.set_request_id("hostile-report-1");
    req.mutable_report()->set_month("2026-06");
    req.mutable_report()->set_cumulative_completed_yuan(200);
    req.mutable_report()->set_cumulative_funds_arrived_yuan(200);
    req.mutable_report()->set_note("按计划推进\n设备进场");
    ExpectEveryTextFieldChecked(in, &IntakeStub::ReportProgress, req);
  }
  {
    iv1::TransitionStageRequest req;
    req.set_name(project_);
    req.set_to_stage(iv1::STAGE_STALLED);
    req.set_effective_date("2026-06-10");
    req.set_reason("资金未到位\n等待融资");
    req.set_request_id("hostile-stage-1");
    ExpectEveryTextFieldChecked(in, &IntakeStub::TransitionStage, req);
  }
  {
    iv1::TransitionWorkItemRequest req;
    req.set_name(work_item_);
    req.set_to_status(iv1::WORK_ITEM_STATUS_RESOLVED);
    req.set_note("已协调解决\n供电已接入");
    req.set_effective_date("2026-06-14");
    ExpectEveryTextFieldChecked(in, &IntakeStub::TransitionWorkItem, req);
  }
}

TEST_F(HostileInputTest, EveryRegistryMethodRefusesHostileInputAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(SeedIntake());
  const std::string before = Snapshot();
  const int calls = Bombard(kRegistryService, fx().registry_target());
  EXPECT_GT(calls, 1000);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(HostileInputTest, EveryIntakeMethodRefusesHostileInputAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(SeedIntake());
  ASSERT_TRUE(fx().WaitForCopyToCatchUp());
  const std::string before = Snapshot();
  const int calls = Bombard(kIntakeService, fx().intake_target());
  EXPECT_GT(calls, 1000);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(HostileInputTest, AThreeThousandCharacterNameComesBackAsInvalidArgument) {
  registry::v1::GetChainRequest req;
  req.set_name("chains/" + std::string(3000, 'a'));
  registry::v1::Chain chain;
  grpc::Status s = fx().RegistryAdmin()(&RegistryStub::GetChain, req, &chain);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_EQ(s.error_message(),
            absl::StrCat("name: must be a chain name chains/{chain}, got 'chains/",
                         std::string(25, 'a'), "…' (3007 bytes)"));
}

TEST_F(HostileInputTest, AChainNamedWithControlCharactersIsRefused) {
  registry::v1::CreateChainRequest req;
  req.set_chain_id("hostile-controls");
  req.mutable_chain()->set_display_name(std::string("\x00\x01", 2));
  req.mutable_chain()->set_status(registry::v1::CHAIN_STATUS_ACTIVE);
  registry::v1::Chain chain;
  grpc::Status s = fx().RegistryAdmin()(&RegistryStub::CreateChain, req, &chain);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "chain.display_name: must not contain control characters (U+0000 at byte 0)");
}

TEST_F(HostileInputTest, ARequestThatDoesNotParseIsInvalidArgumentNotInternal) {
  // protobuf refuses a proto3 string holding invalid UTF-8 before any handler runs. (Both
  // requests have the name as field 1.)
  registry::v1::GetChainRequest req;
  req.set_name("chains/\xff\xfe");
  google::protobuf::LogSilencer silence;
  for (const std::string& target : {fx().registry_target(), fx().intake_target()}) {
    grpc::GenericStub generic(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
    const std::string method = target == fx().registry_target()
                                   ? "/chainhub.registry.v1.ChainRegistry/GetChain"
                                   : "/chainhub.intake.v1.ProjectIntake/GetProject";
    CallResult r =
        CallRaw(generic, method, IntakeFixture::admin_token(), {req.SerializeAsString()});
    EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << method;
    EXPECT_EQ(r.status.error_message(),
              "request: does not parse; every string field must be valid UTF-8")
        << method;
  }
}

}  // namespace
}  // namespace chainhub::testing
