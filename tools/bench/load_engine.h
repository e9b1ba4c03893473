// The closed-loop load generator every chainhub-bench workload runs on: `inflight` unary calls
// kept outstanding at all times over `channels` separate HTTP/2 connections, driven by client
// threads that each own a CompletionQueue (gRPC's async API through a GenericStub, so one engine
// serves every method). After the warm-up it records, for `duration`, every completed call's
// latency and status; calls/s is completions in that window divided by its length.
#ifndef CHAINHUB_TOOLS_BENCH_LOAD_ENGINE_H_
#define CHAINHUB_TOOLS_BENCH_LOAD_ENGINE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/byte_buffer.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace chainhub::bench {

// What one workload sends. Both functions are called concurrently from the client threads.
struct CallSpec {
  // Full method path, e.g. "/chainhub.bench.v1.Echo/Echo".
  std::string method;
  // A fresh serialized request for call number `seq` (unique across the run).
  std::function<grpc::ByteBuffer(uint64_t seq)> make_request;
  // Optional check of an OK response (on a sample of calls): empty when good, else what is wrong.
  // Catches a service that answers OK with the wrong thing (an empty page, failed rows).
  std::function<std::string(const grpc::ByteBuffer& response)> check_response;
  // Check one OK response in this many (1 = every one).
  int check_every = 1;
};

struct LoadOptions {
  int inflight = 64;
  int client_threads = 2;
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration duration = absl::Seconds(5);
  // Per-call deadline: a server that stops answering shows up as DEADLINE_EXCEEDED, not a hang.
  absl::Duration call_timeout = absl::Seconds(30);
  // Sent as the `authorization` metadata when not empty ("Bearer <jwt>").
  std::string authorization;
};

// What one measured window saw.
struct LoadResult {
  double seconds = 0;     // length of the measured window
  int64_t completed = 0;  // calls that completed in the window, OK or not
  int64_t ok = 0;
  // Non-OK statuses by code, with the first message seen for each code.
  std::map<grpc::StatusCode, int64_t> errors;
  std::map<grpc::StatusCode, std::string> first_error;
  int64_t checked = 0;        // OK responses passed to check_response
  int64_t bad_responses = 0;  // of those, how many it rejected
  std::string first_bad_response;
  // Latency of the OK calls, milliseconds.
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0, mean_ms = 0;

  // OK calls per second: a server that fails calls fast must not look faster for it.
  double calls_per_second() const { return seconds > 0 ? ok / seconds : 0; }
  int64_t error_count() const { return completed - ok; }
  // Share of completed calls that failed (non-OK status) or were rejected by the check.
  double error_rate() const {
    return completed > 0 ? static_cast<double>(error_count() + bad_responses) / completed : 0;
  }
};

// Serializes a request for CallSpec::make_request.
grpc::ByteBuffer ToByteBuffer(const google::protobuf::Message& message);
// Parses a response in CallSpec::check_response.
bool FromByteBuffer(const grpc::ByteBuffer& buffer, google::protobuf::Message* message);

// Channels to `target`, each its own TCP connection (gRPC would otherwise share one subchannel
// between channels with equal arguments), with the services' message size limit.
std::vector<std::shared_ptr<grpc::Channel>> MakeChannels(const std::string& target, int count);

// Sends one call of `spec` (request number `seq`) and waits for it: OK when the call succeeds and
// check_response accepts the answer. Run before a workload to warm caches and to fail early, with
// the server's own message, when the setup is broken (no seed data, a bad token).
absl::Status ProbeCall(const std::shared_ptr<grpc::Channel>& channel, const CallSpec& spec,
                       const LoadOptions& options, uint64_t seq);

// Runs `spec` over `channels` (connecting them first) for warmup + duration and reports the
// window. UNAVAILABLE when the channels do not connect within 10 s.
absl::StatusOr<LoadResult> RunLoad(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                                   const CallSpec& spec, const LoadOptions& options);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_LOAD_ENGINE_H_
