#include "common/base/status_util.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

}  // namespace

absl::Status InvalidField(absl::string_view field, absl::string_view rule) {
  return InvalidFields({{std::string(field), std::string(rule)}});
}

absl::Status InvalidFields(const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest detail;
  std::vector<std::string> parts;
  for (const auto& v : violations) {
    auto* fv = detail.add_field_violations();
    fv->set_field(v.field);
    fv->set_description(v.rule);
    parts.push_back(absl::StrCat(v.field, ": ", v.rule));
  }
  absl::Status status = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  Attach(status, detail);
  return status;
}

absl::Status NotFound(absl::string_view resource_type, absl::string_view resource_name) {
  absl::Status status = absl::NotFoundError(absl::StrCat(resource_name, " not found"));
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(resource_type));
  info.set_resource_name(std::string(resource_name));
  Attach(status, info);
  return status;
}

absl::Status AlreadyExists(absl::string_view resource_type, absl::string_view resource_name) {
  absl::Status status = absl::AlreadyExistsError(absl::StrCat(resource_name, " already exists"));
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(resource_type));
  info.set_resource_name(std::string(resource_name));
  Attach(status, info);
  return status;
}

absl::Status FailedPrecondition(absl::string_view subject, absl::string_view rule) {
  absl::Status status = absl::FailedPreconditionError(absl::StrCat(subject, ": ", rule));
  google::rpc::PreconditionFailure detail;
  auto* v = detail.add_violations();
  v->set_type("STATE");
  v->set_subject(std::string(subject));
  v->set_description(std::string(rule));
  Attach(status, detail);
  return status;
}

absl::Status EtagMismatch(absl::string_view resource_name) {
  absl::Status status =
      absl::AbortedError(absl::StrCat("etag: does not match the current etag of ", resource_name,
                                      "; read the resource again and retry"));
  google::rpc::PreconditionFailure detail;
  auto* v = detail.add_violations();
  v->set_type("ETAG");
  v->set_subject(std::string(resource_name));
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
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(status.code()));
  rpc.set_message(std::string(status.message()));
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
    auto* any = rpc.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
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
