// ServerStream: serves a server-streaming call the way Serve (call_context.h) serves a unary one
// and ClientStream a client-streaming one. The call is admitted (UNAUTHENTICATED at once without a
// valid token), then a start handler runs on the executor: it validates the request and hands the
// stream's StreamWriter to whatever produces the messages (a hub thread, a catch-up loop), then
// returns; the stream stays open after it, without holding a worker. Writes go out one at a time
// (gRPC allows one outstanding write); the rest wait in a bounded queue, so a slow client costs
// bounded memory and the producer learns it (kFull) instead of blocking.
#ifndef CHAINHUB_COMMON_SERVER_STREAM_H_
#define CHAINHUB_COMMON_SERVER_STREAM_H_

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <utility>

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/rpc/call_context.h"

namespace chainhub {

template <typename Resp>
class ServerStream;

// The producing side of a ServerStream: thread-safe, shared, and safe to use after the call has
// ended (every method then does nothing), so a producer holds it without caring for the call's
// lifetime. No method blocks on the network except AwaitRoom, which is for worker threads.
template <typename Resp>
class StreamWriter {
 public:
  enum class SendResult {
    kQueued,  // will be written after the messages before it
    kFull,    // `queue_limit` messages already wait: the client is too slow; nothing queued
    kEnded,   // the stream is finished or finishing (or the client left); nothing queued
  };

  // Queues `msg` behind the messages already sent.
  SendResult Send(Resp msg) {
    absl::MutexLock lock(&mu_);
    if (finish_called_ || finish_status_.has_value()) return SendResult::kEnded;
    if (queue_.size() >= queue_limit_) return SendResult::kFull;
    if (writing_) {
      queue_.push_back(std::move(msg));
    } else {
      current_ = std::move(msg);
      writing_ = true;
      reactor_->StartWrite(&current_);
    }
    return SendResult::kQueued;
  }

  // Ends the stream with `status` once the queued messages are written. The first status given
  // wins; later calls do nothing.
  void Finish(grpc::Status status) {
    absl::MutexLock lock(&mu_);
    FinishLocked(std::move(status));
  }

  // Whether the stream is finished or finishing: Send would be kEnded.
  bool ended() {
    absl::MutexLock lock(&mu_);
    return finish_called_ || finish_status_.has_value();
  }

  // Blocks until at most `queue_limit - room` messages wait, the stream ends, or `timeout` passes;
  // true in the first case. For a worker feeding a long backlog (a catch-up) at the client's pace.
  bool AwaitRoom(size_t room, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto roomy = [this, room]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return finish_called_ || finish_status_.has_value() || queue_.size() + room <= queue_limit_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&roomy), timeout);
    return !finish_called_ && !finish_status_.has_value() && queue_.size() + room <= queue_limit_;
  }

  // Whether at most `queue_limit - room` messages wait on a live stream, without blocking.
  bool HasRoom(size_t room) {
    absl::MutexLock lock(&mu_);
    return !finish_called_ && !finish_status_.has_value() && queue_.size() + room <= queue_limit_;
  }

  size_t queue_limit() const { return queue_limit_; }

 private:
  friend class ServerStream<Resp>;

  StreamWriter(grpc::ServerWriteReactor<Resp>* reactor, size_t queue_limit)
      : reactor_(reactor), queue_limit_(queue_limit) {}

  // gRPC's Finish is called only once no write is outstanding and the start handler has
  // returned (the call's context must outlive the handler), exactly once.
  void FinishLocked(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!finish_status_.has_value()) finish_status_ = std::move(status);
    if (finish_called_ || writing_ || starting_) return;
    finish_called_ = true;
    queue_.clear();
    reactor_->Finish(*finish_status_);
  }

  void StartDone(const grpc::Status& status) {
    absl::MutexLock lock(&mu_);
    starting_ = false;
    if (!status.ok()) {
      FinishLocked(status);
    } else if (finish_status_.has_value()) {
      FinishLocked(*finish_status_);
    }
  }

  void WriteDone(bool ok) {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {
      queue_.clear();
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
      return;
    }
    if (!queue_.empty() && !finish_called_) {
      current_ = std::move(queue_.front());
      queue_.pop_front();
      writing_ = true;
      reactor_->StartWrite(&current_);
      return;
    }
    if (finish_status_.has_value()) FinishLocked(*finish_status_);
  }

  void Cancelled() {
    absl::MutexLock lock(&mu_);
    queue_.clear();
    FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the client cancelled"));
  }

  grpc::ServerWriteReactor<Resp>* const reactor_;
  const size_t queue_limit_;
  absl::Mutex mu_;
  Resp current_ ABSL_GUARDED_BY(mu_);  // gRPC's source while a write is outstanding (writing_)
  std::deque<Resp> queue_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool starting_ ABSL_GUARDED_BY(mu_) = true;
  std::optional<grpc::Status> finish_status_ ABSL_GUARDED_BY(mu_);
  bool finish_called_ ABSL_GUARDED_BY(mu_) = false;
};

// Usage, in a method returning grpc::ServerWriteReactor<Resp>*:
//   auto* stream = new ServerStream<Resp>(ctx);
//   return stream->Serve([=, this, writer = stream->writer()](const AuthorizedCall& call)
//                            -> absl::Status { validate; hand `writer` on; return OK; });
// A non-OK status from the handler finishes the call with it; OK leaves the stream open until the
// writer finishes it or the client leaves. The object deletes itself when the call is done.
template <typename Resp>
class ServerStream final : public grpc::ServerWriteReactor<Resp> {
 public:
  // At most `queue_limit` messages wait behind the one being written.
  explicit ServerStream(grpc::CallbackServerContext* ctx, size_t queue_limit = 256)
      : ctx_(ctx), writer_(new StreamWriter<Resp>(this, queue_limit)) {}

  const std::shared_ptr<StreamWriter<Resp>>& writer() const { return writer_; }

  grpc::ServerWriteReactor<Resp>* Serve(RpcHandler start) {
    grpc::Status refusal;
    std::shared_ptr<CallContext> call = internal::Admit(ctx_, &refusal);
    if (call == nullptr) {
      writer_->StartDone(refusal);
      return this;
    }
    internal::Dispatch(
        ctx_, std::move(call), std::move(start),
        [writer = writer_](const grpc::Status& status) { writer->StartDone(status); });
    return this;
  }

  void OnWriteDone(bool ok) override { writer_->WriteDone(ok); }
  void OnCancel() override { writer_->Cancelled(); }
  void OnDone() override { delete this; }

 private:
  grpc::CallbackServerContext* ctx_;
  std::shared_ptr<StreamWriter<Resp>> writer_;
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_SERVER_STREAM_H_
