#include "tools/chainctl/client.h"

#include <chrono>
#include <fstream>
#include <ostream>
#include <sstream>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/env_flags.h"
#include "common/base/ids.h"
#include "common/base/status_util.h"

namespace chainhub::chainctl {

Connection::Connection(ClientOptions options, std::string target,
                       std::shared_ptr<grpc::Channel> channel)
    : options_(std::move(options)),
      target_(std::move(target)),
      channel_(std::move(channel)),
      registry_(registry::v1::ChainRegistry::NewStub(channel_)) {}

absl::StatusOr<std::unique_ptr<Connection>> Connection::OpenService(
    const ClientOptions& options, const std::string& service_target, absl::string_view flag) {
  ClientOptions service = options;
  if (!service_target.empty()) service.target = service_target;
  service.registry_target.clear();
  service.address_flags = absl::StrCat(flag, ", or --target when it is unset");
  return Open(service, service.target);
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const ClientOptions& options,
                                                             const std::string& target) {
  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (!options.tls_ca_file.empty()) {
    grpc::SslCredentialsOptions ssl;
    CHAINHUB_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadFlagFile(options.tls_ca_file, "--tls_ca_file"));
    if (options.tls_client_cert_file.empty() != options.tls_client_key_file.empty()) {
      return InvalidField("--tls_client_cert_file",
                          "--tls_client_cert_file and --tls_client_key_file go together");
    }
    if (!options.tls_client_cert_file.empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(ssl.pem_cert_chain,
                                ReadFlagFile(options.tls_client_cert_file, "--tls_client_cert_file"));
      CHAINHUB_ASSIGN_OR_RETURN(ssl.pem_private_key,
                                ReadFlagFile(options.tls_client_key_file, "--tls_client_key_file"));
    }
    creds = grpc::SslCredentials(ssl);
  } else {
    if (!options.tls_client_cert_file.empty()) {
      return InvalidField("--tls_client_cert_file", "needs --tls_ca_file (TLS) as well");
    }
    creds = grpc::InsecureChannelCredentials();
  }
  grpc::ChannelArguments args;
  // A chain map or a page of 1000 enterprises can pass gRPC's 4 MiB default.
  args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  args.SetMaxSendMessageSize(64 * 1024 * 1024);
  auto channel = grpc::CreateCustomChannel(target, creds, args);
  return std::unique_ptr<Connection>(new Connection(options, target, std::move(channel)));
}

void Connection::Prepare(grpc::ClientContext* ctx) const {
  ctx->set_deadline(std::chrono::system_clock::now() +
                    absl::ToChronoMilliseconds(options_.timeout));
  if (!options_.token.empty()) {
    ctx->AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
  }
  ctx->AddMetadata("x-request-id", NewUuidV7());
}

void PrintError(const absl::Status& status, std::ostream& err, const ClientOptions* options) {
  const std::vector<FieldViolation> violations = FieldViolationsOf(status);
  // chainhub's InvalidFields message is the violations joined with "; ": print each once.
  std::vector<std::string> lines;
  for (const FieldViolation& v : violations) lines.push_back(absl::StrCat(v.field, ": ", v.rule));
  const bool message_is_violations =
      !lines.empty() && status.message() == absl::StrJoin(lines, "; ");
  err << "error: " << absl::StatusCodeToString(status.code()) << ": ";
  if (message_is_violations && lines.size() == 1) {
    err << lines[0] << "\n";
    lines.clear();
  } else if (message_is_violations) {
    err << lines.size() << " invalid fields\n";
  } else {
    err << status.message() << "\n";
  }
  for (const std::string& line : lines) err << "  " << line << "\n";
  if (options == nullptr) return;
  if (status.code() == absl::StatusCode::kUnauthenticated && options->token.empty()) {
    err << "hint: no token given; pass --token or set CHAINHUB_TOKEN (chainctl token mint)\n";
  }
  if (status.code() == absl::StatusCode::kUnavailable) {
    err << "hint: is the service running at " << options->target
        << (options->registry_target.empty() ? "" : " / " + options->registry_target)
        << (options->tls_ca_file.empty() ? " (plaintext)" : " (TLS)") << "? its address is set by "
        << options->address_flags << "\n";
  }
}

int ReportRpcError(const grpc::Status& status, std::ostream& err, const ClientOptions& options) {
  PrintError(FromGrpcStatus(status), err, &options);
  return kExitRpcError;
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.add_whitespace = true;
  opts.preserve_proto_field_names = false;
  opts.always_print_primitive_fields = false;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out, opts).ok()) return "{}\n";
  return out;
}

std::optional<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace chainhub::chainctl
