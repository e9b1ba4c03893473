#include "common/store/idempotency.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/str_cat.h"
#include "common/base/digest.h"
#include "common/base/status_util.h"

namespace chainhub {

namespace {
constexpr size_t kMaxRequestIdChars = 128;
}  // namespace

std::string RequestDigest(const google::protobuf::Message& request) {
  // Deterministic serialization orders map entries, so equal requests give equal bytes (and
  // digests) whichever order their maps were filled in.
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  return Sha256Hex(bytes);
}

absl::StatusOr<std::optional<std::string>> LookupIdempotent(SqlTx& tx, absl::string_view method,
                                                            absl::string_view request_id,
                                                            absl::string_view digest) {
  CHAINHUB_ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      tx.Query("SELECT digest, response FROM idempotency WHERE method = $1 AND request_id = $2",
               {std::string(method), std::string(request_id)}));
  if (rows.empty()) return std::optional<std::string>();
  if (rows.front().Text(0) != digest) {
    return InvalidField("request_id", "was used with a different request");
  }
  return std::optional<std::string>(rows.front().Bytes(1));
}

absl::Status RecordIdempotent(SqlTx& tx, absl::string_view method, absl::string_view request_id,
                              absl::string_view digest, absl::string_view response,
                              absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("INSERT INTO idempotency (method, request_id, digest, response, created_us) "
              "VALUES ($1, $2, $3, $4, $5)",
              {std::string(method), std::string(request_id), std::string(digest),
               Blob{std::string(response)}, absl::ToUnixMicros(now)}));
  if (changed != 1) {
    return absl::InternalError(absl::StrCat("idempotency: insert changed ", changed, " rows"));
  }
  return absl::OkStatus();
}

absl::Status ValidateRequestId(absl::string_view request_id, bool required) {
  if (request_id.empty()) {
    return required ? InvalidField("request_id", "is required") : absl::OkStatus();
  }
  if (request_id.size() > kMaxRequestIdChars) {
    return InvalidField("request_id", absl::StrCat("must be at most ", kMaxRequestIdChars,
                                                   " characters, got ", request_id.size()));
  }
  for (size_t i = 0; i < request_id.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(request_id[i]);
    if (c < 0x20 || c > 0x7E) {
      return InvalidField(
          "request_id",
          absl::StrCat("must be printable ASCII; the byte at position ", i, " is not"));
    }
  }
  return absl::OkStatus();
}

}  // namespace chainhub
