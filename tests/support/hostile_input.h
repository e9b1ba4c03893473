// A catalogue of hostile input and the machinery that sends it to a gRPC service: SQL in
// filters, deep nesting, oversized values, bad resource names, bad and forged page tokens, control
// characters, bidi overrides, invalid UTF-8, bytes that are no protobuf at all, and numbers no
// field takes (negative counts, enum values the enum does not define, NaN and the infinities).
// The methods and their fields come from the service descriptors, so a method or field added
// later is covered without touching a test. Every call must end in a proper refusal (or, for a
// read, an ordinary answer) with a short message; the tests compare the stores before and after.
#ifndef CHAINHUB_TESTS_SUPPORT_HOSTILE_INPUT_H_
#define CHAINHUB_TESTS_SUPPORT_HOSTILE_INPUT_H_

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/string_view.h"
#include "common/base/status_util.h"
#include "common/store/store.h"
#include "tests/support/registry_fixture.h"

namespace chainhub::testing {

// What a refusal may cost the client: the message and the serialized details (they travel in
// the trailers, whose default limit is 8 KiB).
inline constexpr size_t kMaxRefusalMessageBytes = 1024;
inline constexpr size_t kMaxRefusalDetailsBytes = 4096;

std::string Repeat(absl::string_view s, int n);

// Values sent in every string field of every method, one field at a time and all at once.
std::vector<std::string> HostileStrings();

// Whether the method only reads (Get, List, Explain, Export, Replay, …): it may answer OK.
bool IsRead(const google::protobuf::MethodDescriptor& m);

// A path to a field: the fields from the request down to it.
using FieldPath = std::vector<const google::protobuf::FieldDescriptor*>;

// "chain.former_names": the path as text.
std::string PathText(const FieldPath& path);
// The path a validator names: repeated fields indexed ("chain.former_names[0]").
std::string ViolationPath(const FieldPath& path);

// Every string field reachable from `d` (repeated ones once), not descending past depth 6.
std::vector<FieldPath> StringPaths(const google::protobuf::Descriptor* d);

// The message at `f` in `m`, created (the first element of a repeated field, added if none).
google::protobuf::Message* Child(google::protobuf::Message* m,
                                 const google::protobuf::FieldDescriptor* f);

// Sets every string field of `m` to `value`; of a oneof, only the member `oneof_member` (by
// index) is filled at the top level, the first member below it.
void FillAllStrings(google::protobuf::Message* m, const std::string& value, int oneof_member = 0);

// One call's outcome through a generic stub: the status and the raw responses.
struct CallResult {
  grpc::Status status;
  std::vector<std::string> responses;
};

// Calls `method` ("/pkg.Service/Method") with `requests` (one for a unary method) as raw bytes,
// so one code path serves every method of every service.
CallResult CallRaw(grpc::GenericStub& stub, const std::string& method, const std::string& token,
                   const std::vector<std::string>& requests);

// Checks one hostile call's outcome (`value`: the hostile string, to catch an echo of it beyond
// kShownNameChars; `what` says which call): never INTERNAL, UNKNOWN, RESOURCE_EXHAUSTED, … a
// short message and parseable details; a write may succeed only as a batch that applied no row.
void CheckHostileOutcome(const google::protobuf::MethodDescriptor& m, const CallResult& r,
                         absl::string_view value, const std::string& what);

// Sends the catalogue to every method of `service` at `target` with `token`: bytes that do not
// parse, every hostile string in every string field at once and one field at a time (a megabyte
// too, and forged page tokens in page_token), -1 in every number of a request with no string.
// A write whose request has no field at all is sent only the bytes that do not parse. Returns
// the number of calls. Methods named in `not_served` (declared, not served yet) must answer
// UNIMPLEMENTED and are sent nothing else. Methods named in `takes_any_text` are writes whose
// only input is free text any printable value may be (sync's PausePush and its reason): they may
// succeed (the store then changes, which the caller accounts for), and are still checked for
// server failures and echoes.
int Bombard(const std::string& service, const std::string& target, const std::string& token,
            const std::set<std::string>& not_served = {},
            const std::set<std::string>& takes_any_text = {});

// Every row of `tables` in a SQLite `store`, as text in primary-key order (outbox.published_us and
// published_run left out: the relay sets them whenever it gets to it), to compare before and after
// hostile calls.
std::string TableRows(Store& store, const std::vector<std::string>& tables);

// Whether `s` is INVALID_ARGUMENT with a violation naming exactly `field`.
bool NamesField(const grpc::Status& s, const std::string& field);

// Every string field set in `valid` (a request the service would accept), one at a time, holding
// a control character and then a bidi override: each is refused as INVALID_ARGUMENT naming that
// field. Fields left empty in `valid` (output only, or optional) are not tried, nor those in
// `opaque` (ViolationPath form): values compared, never parsed, such as an etag, which a control
// character only makes stale (ABORTED).
template <typename Stub, typename Req, typename Resp>
void ExpectEveryTextFieldChecked(const StubCaller<Stub>& as,
                                 grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                                              Resp*),
                                 const Req& valid, const std::set<std::string>& opaque = {});

// --- Numbers ---------------------------------------------------------------------------------

// A number to put in a field: `integer` for integer and enum fields, `real` for doubles.
struct HostileNumber {
  static HostileNumber Integer(std::string label, int64_t n) { return {std::move(label), n, 0}; }
  static HostileNumber Real(std::string label, double x) { return {std::move(label), 0, x}; }

  std::string label;
  int64_t integer;
  double real;
};

struct NumberRules {
  // Fields (ViolationPath form) where a negative double is an ordinary value (a reported figure
  // that may fall, a threshold); NaN and the infinities stay refused.
  std::set<std::string> negative_allowed;
  // Fields (ViolationPath form) the service ignores (output only): not tried.
  std::set<std::string> ignored;
  // The request writes nothing even when accepted (a read, a validate_only put): the huge but
  // possibly valid values (INT32_MAX, INT64_MAX, DBL_MAX, the smallest denormal) are tried too,
  // and may be answered OK.
  bool writes_nothing = false;
};

// The numeric and enum fields of `valid` worth trying: every scalar of every message `valid`
// sets (a oneof's members only when set), repeated ones at their first element.
std::vector<FieldPath> NumberPaths(const google::protobuf::Message& valid);

// What no field of `f`'s kind takes: negative integers, enum numbers the enum leaves undefined,
// NaN and ±infinity, and negative doubles unless `negative_allowed`.
std::vector<HostileNumber> RefusedNumbers(const google::protobuf::FieldDescriptor& f,
                                          bool negative_allowed);
// Extremes a field may take: INT32_MAX, INT64_MAX, DBL_MAX, the smallest denormal.
std::vector<HostileNumber> HugeNumbers(const google::protobuf::FieldDescriptor& f);

// Sets the field at `path` in `m` to `n` (a repeated field becomes the list of `n` alone).
void SetNumberAt(google::protobuf::Message* m, const FieldPath& path, const HostileNumber& n);

// Every number field of `valid` (NumberPaths), one at a time, holding each RefusedNumbers value:
// each is refused as INVALID_ARGUMENT naming that field. With rules.writes_nothing, HugeNumbers
// too, which may be accepted but never end in INTERNAL or UNKNOWN. Returns the calls made.
template <typename Stub, typename Req, typename Resp>
int ExpectEveryNumberFieldChecked(const StubCaller<Stub>& as,
                                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                                               Resp*),
                                  const Req& valid, const NumberRules& rules = {});

// --- Implementation of the templates ---------------------------------------------------------

namespace internal {

// Whether the string field at `path` is set in `m`.
bool StringSetAt(const google::protobuf::Message& m, const FieldPath& path);
// Replaces the string at `path` (its first element, when repeated).
void ReplaceStringAt(google::protobuf::Message* m, const FieldPath& path, const std::string& value);
// Never INTERNAL, UNKNOWN or another code that says the server failed.
void ExpectNoServerFailure(const grpc::Status& s, const std::string& what);

}  // namespace internal

template <typename Stub, typename Req, typename Resp>
void ExpectEveryTextFieldChecked(const StubCaller<Stub>& as,
                                 grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                                              Resp*),
                                 const Req& valid, const std::set<std::string>& opaque) {
  int tried = 0;
  for (const FieldPath& path : StringPaths(Req::descriptor())) {
    if (!internal::StringSetAt(valid, path) || opaque.contains(ViolationPath(path))) continue;
    for (const std::string& bad : {std::string("a\x01") + "b", std::string("a\u202Eb")}) {
      Req req = valid;
      internal::ReplaceStringAt(&req, path, bad);
      Resp resp;
      grpc::Status s = as(method, req, &resp);
      const std::string field = ViolationPath(path);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << Req::descriptor()->name() << " " << field << ": " << s.error_message();
      EXPECT_TRUE(NamesField(s, field))
          << Req::descriptor()->name() << " " << field << ": " << s.error_message();
      ++tried;
    }
  }
  EXPECT_GT(tried, 0) << Req::descriptor()->name();
}

template <typename Stub, typename Req, typename Resp>
int ExpectEveryNumberFieldChecked(const StubCaller<Stub>& as,
                                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                                               Resp*),
                                  const Req& valid, const NumberRules& rules) {
  int calls = 0;
  for (const FieldPath& path : NumberPaths(valid)) {
    const std::string field = ViolationPath(path);
    if (rules.ignored.contains(field)) continue;
    auto send = [&](const HostileNumber& n) {
      Req req = valid;
      SetNumberAt(&req, path, n);
      Resp resp;
      ++calls;
      return as(method, req, &resp);
    };
    const std::string what = std::string(Req::descriptor()->name()) + " " + field + " = ";
    for (const HostileNumber& n :
         RefusedNumbers(*path.back(), rules.negative_allowed.contains(field))) {
      grpc::Status s = send(n);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << what << n.label << ": " << s.error_message();
      EXPECT_TRUE(NamesField(s, field)) << what << n.label << ": " << s.error_message();
    }
    if (!rules.writes_nothing) continue;
    for (const HostileNumber& n : HugeNumbers(*path.back())) {
      internal::ExpectNoServerFailure(send(n), what + n.label);
    }
  }
  return calls;
}

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_HOSTILE_INPUT_H_
