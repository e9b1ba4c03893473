#include "common/base/status_util.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/base/utf8.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace chainhub {
namespace {

constexpr absl::string_view kTypePrefix = "type.googleapis.com/";
constexpr absl::string_view kDomain = "chainhub.io";

template <typename Message>
std::string TypeUrl() {
  return absl::StrCat(kTypePrefix, Message::descriptor()->full_name());
}

template <typename Message>
void Attach(absl::Status& status, const Message& detail) {
  status.SetPayload(TypeUrl<Message>(), absl::Cord(detail.SerializeAsString()));
}

// Appends the character at `pos` (a sequence of `length` bytes, 0 for a stray byte) as a message
// shows it; returns the bytes consumed.
size_t AppendShown(absl::string_view value, size_t pos, size_t length, std::string* out) {
  if (length == 0) {
    absl::StrAppendFormat(out, "\\x%02x", static_cast<unsigned char>(value[pos]));
    return 1;
  }
  const char32_t c = Utf8CodePoint(value, pos, length);
  if (c < 0x80 && IsControlCharacter(c)) {
    absl::StrAppendFormat(out, "\\x%02x", static_cast<unsigned>(c));
  } else if (IsControlCharacter(c) || IsBidiControl(c)) {
    absl::StrAppendFormat(out, "<U+%04X>", static_cast<unsigned>(c));
  } else {
    out->append(value.data() + pos, length);
  }
  return length;
}

// The first `max_chars` characters of `value` as shown; `*cut` tells whether any were left.
std::string ShownPrefix(absl::string_view value, size_t max_chars, bool* cut) {
  std::string out;
  size_t pos = 0;
  for (size_t chars = 0; pos < value.size() && chars < max_chars; ++chars) {
    pos += AppendShown(value, pos, Utf8SequenceLength(value, pos), &out);
  }
  *cut = pos < value.size();
  return out;
}

// A message as it may travel: stray bytes escaped (a proto string must be UTF-8), at most
// kMaxStatusMessageBytes, cut on a character boundary.
std::string BoundedMessage(absl::string_view message) {
  std::string out;
  for (size_t pos = 0; pos < message.size();) {
    const size_t length = Utf8SequenceLength(message, pos);
    const size_t before = out.size();
    if (length == 0) {
      absl::StrAppendFormat(&out, "\\x%02x", static_cast<unsigned char>(message[pos]));
      pos += 1;
    } else {
      out.append(message.data() + pos, length);
      pos += length;
    }
    if (out.size() + 3 > kMaxStatusMessageBytes && pos < message.size()) {
      out.resize(before);
      out += "…";
      break;
    }
  }
  return out;
}

}  // namespace

std::string ShownValue(absl::string_view value, size_t max_chars) {
  bool cut = false;
  std::string out = ShownPrefix(value, max_chars, &cut);
  if (cut) absl::StrAppend(&out, "… (", value.size(), " bytes)");
  return out;
}

std::string Quoted(absl::string_view value) {
  bool cut = false;
  std::string out = absl::StrCat("'", ShownPrefix(value, kShownValueChars, &cut));
  if (cut) {
    absl::StrAppend(&out, "…' (", value.size(), " bytes)");
  } else {
    out += "'";
  }
  return out;
}

absl::Status InvalidField(absl::string_view field, absl::string_view rule) {
  return InvalidFields({{std::string(field), std::string(rule)}});
}

absl::Status InvalidFields(const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest detail;
  std::vector<std::string> parts;
  for (const auto& v : violations) {
    if (parts.size() == kMaxFieldViolations) {
      parts.push_back(absl::StrCat("and ", violations.size() - kMaxFieldViolations, " more"));
      break;
    }
    auto* fv = detail.add_field_violations();
    fv->set_field(v.field);
    fv->set_description(v.rule);
    parts.push_back(absl::StrCat(v.field, ": ", v.rule));
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  Attach(status, detail);
  return status;
}

namespace {

// A NOT_FOUND or ALREADY_EXISTS about one resource: "<name> <what>" with its ResourceInfo.
absl::Status ResourceError(absl::StatusCode code, absl::string_view resource_type,
                           absl::string_view resource_name, absl::string_view what) {
  const std::string name = ShownValue(resource_name, kShownNameChars);
  absl::Status status(code, absl::StrCat(name, " ", what));
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(resource_type));
  info.set_resource_name(name);
  Attach(status, info);
  return status;
}

}  // namespace

absl::Status NotFound(absl::string_view resource_type, absl::string_view resource_name) {
  return ResourceError(absl::StatusCode::kNotFound, resource_type, resource_name, "not found");
}

absl::Status AlreadyExists(absl::string_view resource_type, absl::string_view resource_name) {
  return ResourceError(absl::StatusCode::kAlreadyExists, resource_type, resource_name,
                       "already exists");
}

absl::Status FailedPrecondition(absl::string_view subject, absl::string_view rule) {
  const std::string shown = ShownValue(subject, kShownNameChars);
  absl::Status status = absl::FailedPreconditionError(absl::StrCat(shown, ": ", rule));
  google::rpc::PreconditionFailure detail;
  auto* v = detail.add_violations();
  v->set_type("STATE");
  v->set_subject(shown);
  v->set_description(std::string(rule));
  Attach(status, detail);
  return status;
}

absl::Status EtagMismatch(absl::string_view resource_name) {
  const std::string name = ShownValue(resource_name, kShownNameChars);
  absl::Status status = absl::AbortedError(absl::StrCat(
      "etag: does not match the current etag of ", name, "; read the resource again and retry"));
  google::rpc::PreconditionFailure detail;
  auto* v = detail.add_violations();
  v->set_type("ETAG");
  v->set_subject(name);
  v->set_description("stale etag");
  Attach(status, detail);
  return status;
}

absl::Status WithReason(absl::Status status, absl::string_view reason) {
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kDomain));
  Attach(status, info);
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(TypeUrl<google::rpc::BadRequest>());
  if (!payload) return out;
  google::rpc::BadRequest detail;
  if (!detail.ParseFromString(std::string(*payload))) return out;
  for (const auto& fv : detail.field_violations()) out.push_back({fv.field(), fv.description()});
  return out;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  std::string message = BoundedMessage(status.message());
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(status.code()));
  rpc.set_message(message);
  size_t details_bytes = 0;
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
    details_bytes += type_url.size() + payload.size();
    auto* any = rpc.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  // The helpers above keep details small; one that is not loses its details rather than the
  // status itself.
  if (details_bytes > kMaxStatusDetailsBytes) rpc.clear_details();
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::move(message),
                      rpc.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status rpc;
  if (!status.error_details().empty() && rpc.ParseFromString(status.error_details())) {
    for (const auto& any : rpc.details()) out.SetPayload(any.type_url(), absl::Cord(any.value()));
  }
  return out;
}

}  // namespace chainhub
