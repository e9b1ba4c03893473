// The backfill: the facts as the owning services list them now, read through their list APIs
// (FactSources) and put as versions stamped with each resource's update time (a progress report:
// its report time), in batches. Versions already identical in force add nothing, so events that
// the snapshot already reflects, replayed afterwards, change nothing either.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_BACKFILL_H_
#define CHAINHUB_SERVICES_ASSESSMENT_BACKFILL_H_

#include <functional>
#include <memory>
#include <string>

#include <grpcpp/channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/base/clock.h"
#include "common/service/peer.h"
#include "common/store/store.h"
#include "services/clients/owner_lists.h"

namespace chainhub::assessment {

// Where the backfill reads: the owners' list APIs (services/clients/owner_lists.h).
using FactSources = OwnerLists;

// FactSources as assessment reads them: the registry's and intake's list APIs, as
// systems/assessment with a viewer token minted from the shared JWT secret, each call within
// `timeout`. The token's times are the peers' wall clock, which `clock` must be.
class GrpcFactSources final : public OwnerLists {
 public:
  GrpcFactSources(const std::string& intake_target, const std::string& registry_target,
                  std::string jwt_secret, std::shared_ptr<grpc::ChannelCredentials> credentials,
                  absl::Duration timeout = absl::Seconds(10), const Clock& clock = Clock::Real())
      : OwnerLists(registry_target, intake_target, "", std::move(jwt_secret),
                   "systems/assessment", std::move(credentials), timeout, clock) {}
};

// Reads every chain, enterprise, project (with its progress reports, for projects that have
// reports) and work item from `sources` and puts them as versions into `store`, committing every
// `batch` resources. Returns how many resources were read. The facts are not dropped first.
absl::StatusOr<int64_t> Backfill(Store& store, FactSources& sources, int batch = 500);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_BACKFILL_H_
