#include "tests/support/hostile_input.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include <google/protobuf/stubs/logging.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/page_token.h"
#include "common/base/utf8.h"
#include "google/rpc/status.pb.h"

namespace chainhub::testing {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

namespace {

// Paths below this depth are not followed (recursive messages would never end).
constexpr size_t kMaxDepth = 6;

// The large value, sent one field at a time (in every field at once it would pass the server's
// 4 MB message limit, which is another matter).
std::string Megabyte() { return std::string(1 << 20, 'x'); }

// Bytes that are no request at all: a varint that never ends, a length running past the end, a
// truncated tag, groups nested past protobuf's recursion limit.
std::vector<std::string> Unparsable() {
  return {
      std::string(12, '\xff'),
      std::string("\x0a\x05"
                  "ab",
                  4),
      std::string("\x08", 1),
      Repeat("\x0b", 5000) + Repeat("\x0c", 5000),
  };
}

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
      {"-1"},
      {"99999999999999999999"},
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

void StringPathsFrom(const Descriptor* d, FieldPath& prefix, std::vector<FieldPath>* out) {
  if (prefix.size() > kMaxDepth) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    prefix.push_back(f);
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      out->push_back(prefix);
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      StringPathsFrom(f->message_type(), prefix, out);
    }
    prefix.pop_back();
  }
}

void SetString(Message* m, const FieldDescriptor* f, const std::string& value) {
  const auto* r = m->GetReflection();
  if (f->is_repeated()) {
    r->AddString(m, f, value);
  } else {
    r->SetString(m, f, value);
  }
}

void SetStringAt(Message* m, const FieldPath& path, const std::string& value) {
  for (size_t i = 0; i + 1 < path.size(); ++i) m = Child(m, path[i]);
  SetString(m, path.back(), value);
}

void FillAllStringsFrom(Message* m, const std::string& value, size_t depth, int oneof_member) {
  if (depth > kMaxDepth) return;
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
      FillAllStringsFrom(Child(m, f), value, depth + 1, 0);
    }
  }
}

// A message with no string anywhere (e.g. UpdateLightRulesRequest) gets -1 in every number.
void FillNumbers(Message* m, size_t depth) {
  if (depth > kMaxDepth) return;
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

bool IsNumber(const FieldDescriptor& f) {
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
    case FieldDescriptor::CPPTYPE_ENUM:
      return true;
    default:
      return false;
  }
}

void NumberPathsFrom(const Message& m, FieldPath& prefix, std::vector<FieldPath>* out) {
  if (prefix.size() > kMaxDepth) return;
  const Descriptor* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    // A oneof's other members would change what the message is, not hold a hostile number.
    const bool present = f->is_repeated() ? r->FieldSize(m, f) > 0 : r->HasField(m, f);
    if (f->containing_oneof() != nullptr && !present) continue;
    prefix.push_back(f);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (present && f->message_type()->full_name() != "google.protobuf.Timestamp") {
        NumberPathsFrom(f->is_repeated() ? r->GetRepeatedMessage(m, f, 0) : r->GetMessage(m, f),
                        prefix, out);
      }
    } else if (IsNumber(*f)) {
      out->push_back(prefix);
    }
    prefix.pop_back();
  }
}

}  // namespace

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(s.data(), s.size());
  return out;
}

std::vector<std::string> HostileStrings() {
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
      "schemes/../indicators/x",
      "schemes/s/versions/-1",
      "schemes/s/versions/99999999999999999999",
      "counties/",
      "counties/a/b",
      "2026-Q5",
      "2026-13",
      "-2026",
      "99999-Q1",
      "2026-02-30",
      "24:00",
      "NaN",
      "1e309",
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

bool IsRead(const MethodDescriptor& m) {
  for (absl::string_view prefix :
       {"Get", "List", "Summarize", "Resolve", "Analyze", "Explain", "Export", "Replay"}) {
    if (absl::StartsWith(m.name(), prefix)) return true;
  }
  return false;
}

std::string PathText(const FieldPath& path) {
  std::string out;
  for (const auto* f : path) absl::StrAppend(&out, out.empty() ? "" : ".", f->name());
  return out;
}

std::string ViolationPath(const FieldPath& path) {
  std::string out;
  for (const auto* f : path) {
    absl::StrAppend(&out, out.empty() ? "" : ".", f->name(), f->is_repeated() ? "[0]" : "");
  }
  return out;
}

std::vector<FieldPath> StringPaths(const Descriptor* d) {
  std::vector<FieldPath> out;
  FieldPath prefix;
  StringPathsFrom(d, prefix, &out);
  return out;
}

Message* Child(Message* m, const FieldDescriptor* f) {
  const auto* r = m->GetReflection();
  if (f->is_repeated()) {
    return r->FieldSize(*m, f) > 0 ? r->MutableRepeatedMessage(m, f, 0) : r->AddMessage(m, f);
  }
  return r->MutableMessage(m, f);
}

void FillAllStrings(Message* m, const std::string& value, int oneof_member) {
  FillAllStringsFrom(m, value, 0, oneof_member);
}

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

namespace internal {

bool StringSetAt(const Message& valid, const FieldPath& path) {
  const Message* m = &valid;
  for (size_t i = 0; m != nullptr && i + 1 < path.size(); ++i) {
    const auto* r = m->GetReflection();
    if (path[i]->is_repeated()) {
      m = r->FieldSize(*m, path[i]) > 0 ? &r->GetRepeatedMessage(*m, path[i], 0) : nullptr;
    } else {
      m = r->HasField(*m, path[i]) ? &r->GetMessage(*m, path[i]) : nullptr;
    }
  }
  if (m == nullptr) return false;
  const auto* r = m->GetReflection();
  return path.back()->is_repeated() ? r->FieldSize(*m, path.back()) > 0
                                    : !r->GetString(*m, path.back()).empty();
}

void ReplaceStringAt(Message* m, const FieldPath& path, const std::string& value) {
  for (size_t i = 0; i + 1 < path.size(); ++i) m = Child(m, path[i]);
  if (path.back()->is_repeated()) {
    const auto* r = m->GetReflection();
    if (r->FieldSize(*m, path.back()) == 0) {
      r->AddString(m, path.back(), value);
    } else {
      r->SetRepeatedString(m, path.back(), 0, value);
    }
  } else {
    m->GetReflection()->SetString(m, path.back(), value);
  }
}

void ExpectNoServerFailure(const grpc::Status& s, const std::string& what) {
  for (grpc::StatusCode bad : {grpc::StatusCode::INTERNAL, grpc::StatusCode::UNKNOWN,
                               grpc::StatusCode::RESOURCE_EXHAUSTED, grpc::StatusCode::UNAVAILABLE,
                               grpc::StatusCode::DEADLINE_EXCEEDED, grpc::StatusCode::DATA_LOSS,
                               grpc::StatusCode::UNIMPLEMENTED, grpc::StatusCode::CANCELLED}) {
    EXPECT_NE(s.error_code(), bad) << what << ": " << s.error_message();
  }
  EXPECT_LE(s.error_message().size(), kMaxRefusalMessageBytes) << what;
  EXPECT_LE(s.error_details().size(), kMaxRefusalDetailsBytes) << what;
  google::rpc::Status details;
  EXPECT_TRUE(s.error_details().empty() || details.ParseFromString(s.error_details())) << what;
}

}  // namespace internal

void CheckHostileOutcome(const MethodDescriptor& m, const CallResult& r, absl::string_view value,
                         const std::string& what) {
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
  internal::ExpectNoServerFailure(r.status, what);
  if (!r.status.ok() || IsRead(m)) return;
  // A write may only succeed as a batch that applied no row: every row failed, no row came
  // (a header alone, or a stream that gRPC ends at a message that does not parse).
  ASSERT_EQ(r.responses.size(), 1u) << what;
  std::unique_ptr<Message> resp(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(m.output_type())->New());
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

std::string TableRows(Store& store, const std::vector<std::string>& tables) {
  std::string out;
  absl::Status s = store.Read([&](SqlTx& tx) -> absl::Status {
    for (const std::string& table : tables) {
      CHAINHUB_ASSIGN_OR_RETURN(auto columns,
                                tx.Query(absl::StrCat("PRAGMA table_info(", table, ")")));
      std::vector<std::string> quoted;
      for (const SqlRow& column : columns) {
        if (table == "outbox" &&
            (column.Text(1) == "published_us" || column.Text(1) == "published_run")) {
          continue;
        }
        quoted.push_back(absl::StrCat("quote(", column.Text(1), ")"));
      }
      CHAINHUB_ASSIGN_OR_RETURN(
          auto rows, tx.Query(absl::StrCat("SELECT ", absl::StrJoin(quoted, " || '|' || "),
                                           " FROM ", table, " ORDER BY 1")));
      absl::StrAppend(&out, table, " (", rows.size(), " rows)\n");
      for (const SqlRow& row : rows) absl::StrAppend(&out, row.Text(0), "\n");
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

int Bombard(const std::string& service_name, const std::string& target, const std::string& token,
            const std::set<std::string>& not_served,
            const std::set<std::string>& takes_any_text) {
  const ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
  EXPECT_NE(service, nullptr) << service_name;
  if (service == nullptr) return 0;
  grpc::GenericStub stub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  int calls = 0;
  for (int i = 0; i < service->method_count(); ++i) {
    const MethodDescriptor& m = *service->method(i);
    const std::string path = absl::StrCat("/", service->full_name(), "/", m.name());
    if (not_served.contains(m.name())) {
      // Declared in the proto, not served yet: it must say so, and there is nothing to attack.
      std::unique_ptr<Message> empty(factory->GetPrototype(m.input_type())->New());
      EXPECT_EQ(CallRaw(stub, path, token, {empty->SerializeAsString()}).status.error_code(),
                grpc::StatusCode::UNIMPLEMENTED)
          << m.name() << " is served now: take it out of not_served";
      continue;
    }
    const Message* prototype = factory->GetPrototype(m.input_type());
    // The invalid UTF-8 in the catalogue is deliberate; protobuf would log each serialization.
    google::protobuf::LogSilencer silence;
    auto send = [&](const std::vector<std::string>& requests, const std::string& what,
                    absl::string_view value = "") {
      CallResult r = CallRaw(stub, path, token, requests);
      if (takes_any_text.contains(m.name()) && r.status.ok()) {
        ++calls;
        return r;
      }
      CheckHostileOutcome(m, r, value, absl::StrCat(m.name(), " ", what));
      ++calls;
      return r;
    };
    const std::vector<std::string> unparsable = Unparsable();
    for (size_t v = 0; v < unparsable.size(); ++v) {
      CallResult r = send({unparsable[v]}, absl::StrCat("with unparsable request ", v));
      if (!m.client_streaming()) {
        EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
            << m.name() << " with unparsable request " << v;
      }
    }
    const int oneof_members =
        m.input_type()->oneof_decl_count() > 0 ? m.input_type()->oneof_decl(0)->field_count() : 1;
    const std::vector<FieldPath> paths = StringPaths(m.input_type());
    if (paths.empty()) {
      std::unique_ptr<Message> req(prototype->New());
      if (IsRead(m)) {
        send({req->SerializeAsString()}, "with an empty request");
      } else if (m.input_type()->field_count() > 0) {
        // A write whose request has no field at all (RebuildFacts) has nothing to be hostile
        // with: an empty request is its ordinary call.
        FillNumbers(req.get(), 0);
        send({req->SerializeAsString()}, "with -1 in every number");
      }
      continue;
    }
    const std::vector<std::string> catalogue = HostileStrings();
    // Every string field at once; a streaming call gets one message per oneof member.
    for (size_t v = 0; v < catalogue.size(); ++v) {
      std::vector<std::string> requests;
      for (int member = 0; member < (m.client_streaming() ? oneof_members : 1); ++member) {
        std::unique_ptr<Message> req(prototype->New());
        FillAllStrings(req.get(), catalogue[v], member);
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
        SetStringAt(req.get(), field, values[v]);
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

bool NamesField(const grpc::Status& s, const std::string& field) {
  if (s.error_code() != grpc::StatusCode::INVALID_ARGUMENT) return false;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(s))) {
    if (v.field == field) return true;
  }
  return false;
}

std::vector<FieldPath> NumberPaths(const Message& valid) {
  std::vector<FieldPath> out;
  FieldPath prefix;
  NumberPathsFrom(valid, prefix, &out);
  return out;
}

std::vector<HostileNumber> RefusedNumbers(const FieldDescriptor& f, bool negative_allowed) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return {HostileNumber::Integer("-1", -1),
              HostileNumber::Integer("INT32_MIN", std::numeric_limits<int32_t>::min())};
    case FieldDescriptor::CPPTYPE_INT64:
      return {HostileNumber::Integer("-1", -1),
              HostileNumber::Integer("INT64_MIN", std::numeric_limits<int64_t>::min())};
    case FieldDescriptor::CPPTYPE_ENUM: {
      std::vector<HostileNumber> out;
      for (int64_t n : {int64_t{-1}, int64_t{99}, int64_t{std::numeric_limits<int32_t>::min()},
                        int64_t{std::numeric_limits<int32_t>::max()}}) {
        if (f.enum_type()->FindValueByNumber(static_cast<int>(n)) == nullptr) {
          out.push_back(HostileNumber::Integer(absl::StrCat("enum ", n), n));
        }
      }
      return out;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      std::vector<HostileNumber> out = {HostileNumber::Real("NaN", std::nan("")),
                                        HostileNumber::Real("+Inf", kInf),
                                        HostileNumber::Real("-Inf", -kInf)};
      if (!negative_allowed) {
        out.push_back(HostileNumber::Real("-1", -1));
        out.push_back(HostileNumber::Real("-DBL_MAX", -std::numeric_limits<double>::max()));
      }
      return out;
    }
    default:
      return {};
  }
}

std::vector<HostileNumber> HugeNumbers(const FieldDescriptor& f) {
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return {HostileNumber::Integer("INT32_MAX", std::numeric_limits<int32_t>::max())};
    case FieldDescriptor::CPPTYPE_INT64:
      return {HostileNumber::Integer("INT64_MAX", std::numeric_limits<int64_t>::max())};
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      return {HostileNumber::Real("DBL_MAX", std::numeric_limits<double>::max()),
              HostileNumber::Real("denormal", std::numeric_limits<double>::denorm_min())};
    default:
      return {};
  }
}

void SetNumberAt(Message* m, const FieldPath& path, const HostileNumber& n) {
  for (size_t i = 0; i + 1 < path.size(); ++i) m = Child(m, path[i]);
  const FieldDescriptor* f = path.back();
  const auto* r = m->GetReflection();
  const bool list = f->is_repeated();
  if (list) r->ClearField(m, f);
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      const auto v = static_cast<int32_t>(n.integer);
      list ? r->AddInt32(m, f, v) : r->SetInt32(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64:
      list ? r->AddInt64(m, f, n.integer) : r->SetInt64(m, f, n.integer);
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto v = static_cast<int>(n.integer);
      list ? r->AddEnumValue(m, f, v) : r->SetEnumValue(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
      list ? r->AddDouble(m, f, n.real) : r->SetDouble(m, f, n.real);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT: {
      const auto v = static_cast<float>(n.real);
      list ? r->AddFloat(m, f, v) : r->SetFloat(m, f, v);
      break;
    }
    default:
      break;
  }
}

}  // namespace chainhub::testing
