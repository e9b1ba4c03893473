// ClientStream: serves a client-streaming call the way Serve (call_context.h) serves a unary
// one. The handler is queued on the executor as soon as the call is admitted and takes the
// stream's messages with Read as they arrive, so it can apply them in batches while the client
// is still sending (an import commits every few hundred rows, not at the end). gRPC's threads
// read ahead into a bounded buffer; Read blocks the worker only while the buffer is empty.
#ifndef CHAINHUB_COMMON_CLIENT_STREAM_H_
#define CHAINHUB_COMMON_CLIENT_STREAM_H_

#include <deque>
#include <memory>
#include <utility>

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "absl/synchronization/mutex.h"
#include "common/rpc/call_context.h"

namespace chainhub {

// Usage, in a method returning grpc::ServerReadReactor<Req>*:
//   auto* reader = new ClientStream<Req>(ctx);
//   return reader->Serve([=, this](const AuthorizedCall& call) -> absl::Status {
//     while (reader->Read(&msg)) ...
// The object deletes itself when the call is done.
template <typename Req>
class ClientStream final : public grpc::ServerReadReactor<Req> {
 public:
  // At most `read_ahead` messages wait for the handler; gRPC stops reading beyond.
  explicit ClientStream(grpc::CallbackServerContext* ctx, size_t read_ahead = 512)
      : ctx_(ctx), read_ahead_(read_ahead) {}

  grpc::ServerReadReactor<Req>* Serve(RpcHandler handler) {
    grpc::Status refusal;
    std::shared_ptr<CallContext> call = internal::Admit(ctx_, &refusal);
    if (call == nullptr) {
      Finish(refusal);
      return this;
    }
    {
      absl::MutexLock lock(&mu_);
      reading_ = true;
    }
    this->StartRead(&next_);
    internal::Dispatch(ctx_, std::move(call), std::move(handler),
                       [this](const grpc::Status& status) { Finish(status); });
    return this;
  }

  // In the handler: the next message, waiting for it to arrive; false at the end of the stream
  // (or when the client went away).
  bool Read(Req* msg) {
    bool resume = false;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &ClientStream::Readable));
      if (buffer_.empty()) return false;
      *msg = std::move(buffer_.front());
      buffer_.pop_front();
      resume = !reading_ && !ended_ && !finished_;
      if (resume) reading_ = true;
    }
    if (resume) {
      next_.Clear();
      this->StartRead(&next_);
    }
    return true;
  }

  void OnReadDone(bool ok) override {
    bool more = false;
    {
      absl::MutexLock lock(&mu_);
      if (ok) {
        buffer_.push_back(std::move(next_));
        more = buffer_.size() < read_ahead_ && !finished_;
      } else {
        ended_ = true;
      }
      reading_ = more;
    }
    if (more) {
      next_.Clear();
      this->StartRead(&next_);
    }
  }

  void OnDone() override { delete this; }

 private:
  bool Readable() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !buffer_.empty() || ended_; }

  void Finish(const grpc::Status& status) {
    {
      absl::MutexLock lock(&mu_);
      finished_ = true;
    }
    grpc::ServerReadReactor<Req>::Finish(status);
  }

  grpc::CallbackServerContext* ctx_;
  const size_t read_ahead_;
  Req next_;  // gRPC's target while a read is outstanding (reading_)
  absl::Mutex mu_;
  std::deque<Req> buffer_ ABSL_GUARDED_BY(mu_);
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_CLIENT_STREAM_H_
