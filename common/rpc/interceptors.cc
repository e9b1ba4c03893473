#include "common/rpc/interceptors.h"

#include <grpcpp/server_context.h>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/ids.h"
#include "common/base/log.h"
#include "common/base/metrics.h"
#include "common/base/status_util.h"
#include "common/rpc/call_context.h"

namespace chainhub {
namespace {

using grpc::experimental::InterceptionHookPoints;

constexpr char kRequestIdHeader[] = "x-request-id";

// Health and reflection are open: no token is checked and probes are logged at debug level.
bool IsOpenMethod(absl::string_view method) {
  return absl::StartsWith(method, "/grpc.health.v1.") ||
         absl::StartsWith(method, "/grpc.reflection.");
}

bool IsUsableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

// "INVALID_ARGUMENT", as Abseil spells the codes (gRPC's are the same numbers).
std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

class ObservabilityInterceptor final : public grpc::experimental::Interceptor {
 public:
  ObservabilityInterceptor(grpc::experimental::ServerRpcInfo* info, const TokenVerifier* verifier,
                           BoundedExecutor* executor, const Clock& clock)
      : info_(info), verifier_(verifier), clock_(clock), call_(std::make_shared<CallContext>()) {
    call_->method = info->method();
    call_->start = absl::Now();
    call_->executor = executor;
  }

  ~ObservabilityInterceptor() override {
    if (!finished_) Finish(grpc::StatusCode::CANCELLED);
    CallRegistry::Erase(info_->server_context());
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      SetUp(*methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace(kRequestIdHeader, call_->request_id);
    }
    // gRPC answers a unary or server-streaming request that does not parse (protobuf refuses a
    // proto3 string holding invalid UTF-8) before any handler runs, with INTERNAL (sync API) or an
    // empty UNIMPLEMENTED (callback API); it is the client's error.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        (info_->type() == grpc::experimental::ServerRpcInfo::Type::UNARY ||
         info_->type() == grpc::experimental::ServerRpcInfo::Type::SERVER_STREAMING) &&
        methods->GetRecvMessage() == nullptr) {
      request_unparsed_ = true;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      if (request_unparsed_ && (status.error_code() == grpc::StatusCode::INTERNAL ||
                                status.error_code() == grpc::StatusCode::UNIMPLEMENTED)) {
        status = ToGrpcStatus(
            InvalidField("request", "does not parse; every string field must be valid UTF-8"));
        methods->ModifySendStatus(status);
      }
      Finish(status.error_code());
    }
    methods->Proceed();
  }

 private:
  void SetUp(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    auto id = metadata.find(kRequestIdHeader);
    if (id != metadata.end() &&
        IsUsableRequestId(absl::string_view(id->second.data(), id->second.size()))) {
      call_->request_id.assign(id->second.data(), id->second.size());
    } else {
      call_->request_id = NewUuidV7();
    }
    if (!IsOpenMethod(call_->method)) {
      auto auth = metadata.find("authorization");
      absl::string_view value;
      if (auth != metadata.end())
        value = absl::string_view(auth->second.data(), auth->second.size());
      call_->principal = verifier_ == nullptr
                             ? absl::StatusOr<Principal>(absl::UnauthenticatedError("no verifier"))
                             : verifier_->Verify(value, clock_.Now());
      // Mutual TLS: no token, and a client certificate the TLS handshake verified.
      if (value.empty() && verifier_ != nullptr && verifier_->accepts_certificates()) {
        std::shared_ptr<const grpc::AuthContext> auth = info_->server_context()->auth_context();
        if (auth != nullptr && auth->IsPeerAuthenticated()) {
          std::vector<grpc::string_ref> names = auth->FindPropertyValues("x509_common_name");
          if (!names.empty()) {
            call_->principal = verifier_->VerifyCertificate(
                absl::string_view(names.front().data(), names.front().size()));
          }
        }
      }
    }
    CallRegistry::Put(info_->server_context(), call_);
  }

  void Finish(grpc::StatusCode code) {
    finished_ = true;
    const double seconds = absl::ToDoubleSeconds(absl::Now() - call_->start);
    const std::string code_name = CodeName(code);
    auto& metrics = MetricsRegistry::Global();
    metrics.Add("chainhub_rpc_total", {{"method", call_->method}, {"code", code_name}});
    metrics.Observe("chainhub_rpc_latency_seconds", {{"method", call_->method}}, seconds);
    nlohmann::json fields = {
        {"method", call_->method},
        {"code", code_name},
        {"latency_ms", seconds * 1000.0},
        {"request_id", call_->request_id},
        {"principal", call_->principal.ok() ? call_->principal->subject : ""},
        {"peer", info_->server_context() ? info_->server_context()->peer() : ""},
    };
    Log(IsOpenMethod(call_->method)                                               ? LogLevel::kDebug
        : code == grpc::StatusCode::INTERNAL || code == grpc::StatusCode::UNKNOWN ? LogLevel::kError
                                                                                  : LogLevel::kInfo,
        "rpc", std::move(fields));
  }

  grpc::experimental::ServerRpcInfo* info_;
  const TokenVerifier* verifier_;
  const Clock& clock_;
  std::shared_ptr<CallContext> call_;
  bool finished_ = false;
  bool request_unparsed_ = false;
};

class ObservabilityInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  ObservabilityInterceptorFactory(const TokenVerifier* verifier, BoundedExecutor* executor,
                                  const Clock& clock)
      : verifier_(verifier), executor_(executor), clock_(clock) {
    auto& metrics = MetricsRegistry::Global();
    metrics.Describe("chainhub_rpc_total", "counter", "RPCs handled, by method and status code.");
    metrics.Describe("chainhub_rpc_latency_seconds", "histogram",
                     "Time from receiving an RPC's metadata to sending its status.");
  }
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new ObservabilityInterceptor(info, verifier_, executor_, clock_);
  }

 private:
  const TokenVerifier* verifier_;
  BoundedExecutor* executor_;
  const Clock& clock_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeObservabilityInterceptorFactory(const TokenVerifier* verifier, BoundedExecutor* executor,
                                    const Clock& clock) {
  return std::make_unique<ObservabilityInterceptorFactory>(verifier, executor, clock);
}

}  // namespace chainhub
