#include "tools/bench/replica_lag.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/base/names.h"

namespace chainhub::bench {
namespace {

namespace v1 = chainhub::registry::v1;

constexpr absl::Duration kConvergeTimeout = absl::Seconds(5);

absl::StatusOr<v1::Chain> GetChain(v1::ChainRegistry::Stub& stub, const std::string& authorization,
                                   const std::string& name) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", authorization);
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  v1::GetChainRequest req;
  req.set_name(name);
  v1::Chain chain;
  grpc::Status s = stub.GetChain(&ctx, req, &chain);
  if (!s.ok()) {
    return absl::UnavailableError(absl::StrCat("GetChain on the replica: ", s.error_message()));
  }
  return chain;
}

}  // namespace

absl::StatusOr<ReplicaLag> MeasureReplicaLag(const std::shared_ptr<grpc::Channel>& primary,
                                             const std::shared_ptr<grpc::Channel>& replica,
                                             const std::string& authorization, int samples) {
  auto writer = v1::ChainRegistry::NewStub(primary);
  auto reader = v1::ChainRegistry::NewStub(replica);
  const std::string name = ChainName{"pv"}.String();
  absl::StatusOr<v1::Chain> original = GetChain(*reader, authorization, name);
  if (!original.ok()) return original.status();
  std::vector<absl::Duration> lags;
  for (int i = 0; i < samples; ++i) {
    // Twice: the first may fill the near tier, the second is then served from it.
    for (int r = 0; r < 2; ++r) {
      if (auto c = GetChain(*reader, authorization, name); !c.ok()) return c.status();
    }
    const std::string display_name = absl::StrCat(original->display_name(), " ", i % 2);
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", authorization);
    v1::UpdateChainRequest update;
    update.mutable_chain()->set_name(name);
    update.mutable_chain()->set_display_name(display_name);
    update.mutable_update_mask()->add_paths("display_name");
    v1::Chain updated;
    grpc::Status s = writer->UpdateChain(&ctx, update, &updated);
    if (!s.ok()) return absl::UnavailableError(absl::StrCat("UpdateChain: ", s.error_message()));
    const absl::Time acknowledged = absl::Now();
    while (true) {
      absl::StatusOr<v1::Chain> seen = GetChain(*reader, authorization, name);
      if (!seen.ok()) return seen.status();
      const absl::Time now = absl::Now();
      if (seen->display_name() == display_name) {
        lags.push_back(now - acknowledged);
        break;
      }
      if (now - acknowledged > kConvergeTimeout) {
        return absl::DeadlineExceededError(absl::StrCat(
            "the replica still served the old chain ", absl::FormatDuration(kConvergeTimeout),
            " after the write"));
      }
    }
  }
  return Summarize(std::move(lags));
}

}  // namespace chainhub::bench
