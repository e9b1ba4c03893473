#include "common/service/resource.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/events/outbox.h"
#include "common/service/audit.h"

namespace chainhub {

void SetTimestamp(google::protobuf::Timestamp* ts, int64_t micros) {
  ts->set_seconds(micros / 1000000);
  ts->set_nanos(static_cast<int>(micros % 1000000) * 1000);
}

int64_t TimestampMicros(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000000 + ts.nanos() / 1000;
}

std::string MakeEtag(int64_t create_us, int64_t revision) {
  return absl::StrCat(absl::Hex(create_us), "-", revision);
}

absl::Status ReadThroughCache(Cache* cache, absl::string_view ns, absl::string_view key,
                              const std::function<absl::StatusOr<std::string>()>& load,
                              google::protobuf::Message* out) {
  std::string bytes;
  if (cache != nullptr) {
    CHAINHUB_ASSIGN_OR_RETURN(bytes, cache->GetOrLoad(ns, key, load));
  } else {
    CHAINHUB_ASSIGN_OR_RETURN(bytes, load());
  }
  if (!out->ParseFromString(bytes)) {
    return absl::InternalError(absl::StrCat("cached ", out->GetTypeName(), " does not decode"));
  }
  return absl::OkStatus();
}

absl::Status CheckEtag(absl::string_view given, absl::string_view current,
                       absl::string_view resource) {
  if (!given.empty() && given != current) return EtagMismatch(resource);
  return absl::OkStatus();
}

absl::Status RequireReader(const AuthorizedCall& call) {
  if (call.principal.CanRead()) return absl::OkStatus();
  return absl::PermissionDeniedError(call.principal.subject + " holds no role");
}

CloudEvent NewEventOfKind(absl::string_view service, const AuthorizedCall& call,
                          const google::protobuf::EnumValueDescriptor& kind,
                          absl::string_view subject, absl::string_view chain_id, absl::Time now,
                          const google::protobuf::Message& payload) {
  CloudEvent e =
      MakeCloudEvent(service, kind, subject,
                     chain_id.empty() ? "" : absl::StrCat("chains/", chain_id), now, payload);
  if (e.type().empty()) return e;
  SetStringAttribute(&e, kRequestIdAttribute, call.request_id);
  SetStringAttribute(&e, kPrincipalAttribute, call.principal.subject);
  return e;
}

absl::Status RecordMutation(SqlTx& tx, const AuthorizedCall& call, CloudEvent event,
                            absl::string_view detail, absl::Time now) {
  CHAINHUB_RETURN_IF_ERROR(
      AppendAudit(tx, call, StringAttribute(event, kSubjectAttribute), detail, now));
  return AppendEvent(tx, std::move(event));
}

absl::Status RememberResponse(SqlTx& tx, const AuthorizedCall& call, const std::string& request_id,
                              const std::string& digest, const google::protobuf::Message& response,
                              absl::Time now) {
  if (request_id.empty()) return absl::OkStatus();
  return RecordIdempotent(tx, call.method, request_id, digest, response.SerializeAsString(), now);
}

std::string CreateDetail(absl::string_view request_id) {
  return request_id.empty() ? "" : absl::StrCat("request_id=", request_id);
}

std::string MaskText(const google::protobuf::FieldMask& mask) {
  return mask.paths().empty() ? "update_mask=*" : "update_mask=" + absl::StrJoin(mask.paths(), ",");
}

}  // namespace chainhub
