#include "tools/bench/load_engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/impl/codegen/proto_utils.h>

#include "absl/strings/str_cat.h"

namespace chainhub::bench {
namespace {

using Clock = std::chrono::steady_clock;

// The services' default --max_message_bytes: a ListEnterprises page of 1000 must fit.
constexpr int kMaxMessageBytes = 16 * 1024 * 1024;

// One outstanding call. Its slot is reused for the next call as soon as it completes, which is
// what keeps exactly `inflight` calls outstanding.
struct Call {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
  grpc::ByteBuffer response;
  grpc::Status status;
  Clock::time_point start;
  grpc::GenericStub* stub = nullptr;
};

// What one client thread saw in the window; merged after the run.
struct Tally {
  std::vector<float> latencies_ms;
  int64_t completed = 0;
  int64_t ok = 0;
  std::map<grpc::StatusCode, int64_t> errors;
  std::map<grpc::StatusCode, std::string> first_error;
  int64_t checked = 0;
  int64_t bad_responses = 0;
  std::string first_bad_response;
};

// A client thread: its CompletionQueue, its share of the calls, and its tally.
class Worker {
 public:
  Worker(std::vector<grpc::GenericStub*> stubs_of_calls, const CallSpec& spec,
         const LoadOptions& options, std::atomic<uint64_t>* next_seq,
         Clock::time_point window_start, Clock::time_point window_end)
      : spec_(spec),
        options_(options),
        next_seq_(next_seq),
        window_start_(window_start),
        window_end_(window_end),
        calls_(stubs_of_calls.size()) {
    for (size_t i = 0; i < calls_.size(); ++i) calls_[i].stub = stubs_of_calls[i];
  }

  void Run() {
    for (Call& call : calls_) Issue(call);
    int outstanding = static_cast<int>(calls_.size());
    void* tag = nullptr;
    bool ok = false;
    while (outstanding > 0 && cq_.Next(&tag, &ok)) {
      Call& call = *static_cast<Call*>(tag);
      const Clock::time_point now = Clock::now();
      --outstanding;
      if (now >= window_start_ && now < window_end_) Record(call, now);
      if (now < window_end_) {
        Issue(call);
        ++outstanding;
      }
    }
    cq_.Shutdown();
    while (cq_.Next(&tag, &ok)) {
    }
  }

  Tally& tally() { return tally_; }

 private:
  void Issue(Call& call) {
    call.context = std::make_unique<grpc::ClientContext>();
    if (!options_.authorization.empty()) {
      call.context->AddMetadata("authorization", options_.authorization);
    }
    const grpc::ByteBuffer request = spec_.make_request(next_seq_->fetch_add(1));
    call.response.Clear();
    call.status = grpc::Status();
    call.context->set_deadline(std::chrono::system_clock::now() +
                               absl::ToChronoMilliseconds(options_.call_timeout));
    call.start = Clock::now();
    // The request is serialized into the call here, so it may go out of scope afterwards.
    call.reader = call.stub->PrepareUnaryCall(call.context.get(), spec_.method, request, &cq_);
    call.reader->StartCall();
    call.reader->Finish(&call.response, &call.status, &call);
  }

  void Record(const Call& call, Clock::time_point now) {
    ++tally_.completed;
    if (!call.status.ok()) {
      const grpc::StatusCode code = call.status.error_code();
      if (tally_.errors[code]++ == 0) tally_.first_error[code] = call.status.error_message();
      return;
    }
    ++tally_.ok;
    tally_.latencies_ms.push_back(
        std::chrono::duration<float, std::milli>(now - call.start).count());
    if (spec_.check_response && (tally_.ok - 1) % std::max(1, spec_.check_every) == 0) {
      ++tally_.checked;
      std::string problem = spec_.check_response(call.response);
      if (!problem.empty()) {
        if (tally_.bad_responses++ == 0) tally_.first_bad_response = std::move(problem);
      }
    }
  }

  const CallSpec& spec_;
  const LoadOptions& options_;
  std::atomic<uint64_t>* next_seq_;
  const Clock::time_point window_start_;
  const Clock::time_point window_end_;
  std::vector<Call> calls_;
  grpc::CompletionQueue cq_;
  Tally tally_;
};

double Percentile(const std::vector<float>& sorted, double q) {
  if (sorted.empty()) return 0;
  // Nearest rank: the smallest value with at least q of the samples at or below it.
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

}  // namespace

grpc::ByteBuffer ToByteBuffer(const google::protobuf::Message& message) {
  grpc::ByteBuffer buffer;
  bool own_buffer = false;
  (void)grpc::SerializationTraits<google::protobuf::Message>::Serialize(message, &buffer,
                                                                        &own_buffer);
  return buffer;
}

bool FromByteBuffer(const grpc::ByteBuffer& buffer, google::protobuf::Message* message) {
  grpc::ByteBuffer copy(buffer);  // deserialization consumes the buffer; copies share slices
  return grpc::SerializationTraits<google::protobuf::Message>::Deserialize(&copy, message).ok();
}

std::vector<std::shared_ptr<grpc::Channel>> MakeChannels(const std::string& target, int count) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < count; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("chainhub.bench.channel_index", i);
    args.SetMaxReceiveMessageSize(kMaxMessageBytes);
    args.SetMaxSendMessageSize(kMaxMessageBytes);
    channels.push_back(grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
  }
  return channels;
}

absl::Status ProbeCall(const std::shared_ptr<grpc::Channel>& channel, const CallSpec& spec,
                       const LoadOptions& options, uint64_t seq) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext context;
  if (!options.authorization.empty()) context.AddMetadata("authorization", options.authorization);
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(options.call_timeout));
  grpc::ByteBuffer response;
  grpc::Status status;
  auto reader = stub.PrepareUnaryCall(&context, spec.method, spec.make_request(seq), &cq);
  reader->StartCall();
  reader->Finish(&response, &status, &status);
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat(spec.method, ": ", status.error_message()));
  }
  if (spec.check_response) {
    std::string problem = spec.check_response(response);
    if (!problem.empty())
      return absl::FailedPreconditionError(absl::StrCat(spec.method, ": ", problem));
  }
  return absl::OkStatus();
}

absl::StatusOr<LoadResult> RunLoad(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                                   const CallSpec& spec, const LoadOptions& options) {
  if (channels.empty()) return absl::InvalidArgumentError("no channels");
  for (size_t i = 0; i < channels.size(); ++i) {
    if (!channels[i]->WaitForConnected(std::chrono::system_clock::now() +
                                       std::chrono::seconds(10))) {
      return absl::UnavailableError(absl::StrCat("channel ", i, " did not connect within 10s"));
    }
  }
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (const auto& channel : channels)
    stubs.push_back(std::make_unique<grpc::GenericStub>(channel));

  const int threads = std::max(1, std::min(options.client_threads, options.inflight));
  // Call i goes to thread i % threads and channel i % channels, so every channel carries
  // inflight / channels calls whatever the thread count.
  std::vector<std::vector<grpc::GenericStub*>> stubs_of_thread(threads);
  for (int i = 0; i < options.inflight; ++i) {
    stubs_of_thread[i % threads].push_back(stubs[i % stubs.size()].get());
  }
  std::atomic<uint64_t> next_seq{0};
  const Clock::time_point start = Clock::now();
  const Clock::time_point window_start = start + absl::ToChronoNanoseconds(options.warmup);
  const Clock::time_point window_end = window_start + absl::ToChronoNanoseconds(options.duration);
  std::vector<std::unique_ptr<Worker>> workers;
  for (int t = 0; t < threads; ++t) {
    workers.push_back(std::make_unique<Worker>(stubs_of_thread[t], spec, options, &next_seq,
                                               window_start, window_end));
  }
  std::vector<std::thread> running;
  for (auto& worker : workers) running.emplace_back([w = worker.get()] { w->Run(); });
  for (auto& thread : running) thread.join();

  LoadResult result;
  result.seconds = absl::ToDoubleSeconds(options.duration);
  std::vector<float> latencies;
  double sum = 0;
  for (auto& worker : workers) {
    Tally& t = worker->tally();
    result.completed += t.completed;
    result.ok += t.ok;
    for (const auto& [code, n] : t.errors) {
      result.errors[code] += n;
      result.first_error.emplace(code, t.first_error[code]);
    }
    result.checked += t.checked;
    if (t.bad_responses > 0 && result.bad_responses == 0) {
      result.first_bad_response = t.first_bad_response;
    }
    result.bad_responses += t.bad_responses;
    for (float l : t.latencies_ms) sum += l;
    latencies.insert(latencies.end(), t.latencies_ms.begin(), t.latencies_ms.end());
  }
  std::sort(latencies.begin(), latencies.end());
  result.p50_ms = Percentile(latencies, 0.50);
  result.p90_ms = Percentile(latencies, 0.90);
  result.p99_ms = Percentile(latencies, 0.99);
  result.p999_ms = Percentile(latencies, 0.999);
  result.max_ms = latencies.empty() ? 0 : latencies.back();
  result.mean_ms = latencies.empty() ? 0 : sum / static_cast<double>(latencies.size());
  return result;
}

}  // namespace chainhub::bench
