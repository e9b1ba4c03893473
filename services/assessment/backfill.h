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

namespace chainhub::assessment {

// Where the backfill reads: every resource of a kind, page by page. An error from the callback
// stops the walk and is returned; a source that cannot be reached is UNAVAILABLE.
class FactSources {
 public:
  virtual ~FactSources() = default;
  virtual absl::Status ForEachChain(
      const std::function<absl::Status(const registry::v1::Chain&)>& fn) = 0;
  virtual absl::Status ForEachEnterprise(
      const std::function<absl::Status(const registry::v1::Enterprise&)>& fn) = 0;
  virtual absl::Status ForEachProject(
      const std::function<absl::Status(const intake::v1::Project&)>& fn) = 0;
  // The reports of one project (projects/{id}).
  virtual absl::Status ForEachProgressReport(
      const std::string& project_name,
      const std::function<absl::Status(const intake::v1::ProgressReport&)>& fn) = 0;
  virtual absl::Status ForEachWorkItem(
      const std::function<absl::Status(const intake::v1::WorkItem&)>& fn) = 0;
};

// FactSources over gRPC: intake's and the registry's list APIs (1000 a page), authenticated as
// systems/assessment with a viewer token minted from the shared JWT secret (PeerToken), each call
// within `timeout`. The token's times are the peers' wall clock, which `clock` must be.
class GrpcFactSources final : public FactSources {
 public:
  GrpcFactSources(const std::string& intake_target, const std::string& registry_target,
                  std::string jwt_secret, std::shared_ptr<grpc::ChannelCredentials> credentials,
                  absl::Duration timeout = absl::Seconds(10), const Clock& clock = Clock::Real());

  absl::Status ForEachChain(
      const std::function<absl::Status(const registry::v1::Chain&)>& fn) override;
  absl::Status ForEachEnterprise(
      const std::function<absl::Status(const registry::v1::Enterprise&)>& fn) override;
  absl::Status ForEachProject(
      const std::function<absl::Status(const intake::v1::Project&)>& fn) override;
  absl::Status ForEachProgressReport(
      const std::string& project_name,
      const std::function<absl::Status(const intake::v1::ProgressReport&)>& fn) override;
  absl::Status ForEachWorkItem(
      const std::function<absl::Status(const intake::v1::WorkItem&)>& fn) override;

 private:
  std::unique_ptr<intake::v1::ProjectIntake::Stub> intake_;
  std::unique_ptr<registry::v1::ChainRegistry::Stub> registry_;
  PeerToken token_;
  absl::Duration timeout_;
};

// Reads every chain, enterprise, project (with its progress reports, for projects that have
// reports) and work item from `sources` and puts them as versions into `store`, committing every
// `batch` resources. Returns how many resources were read. The facts are not dropped first.
absl::StatusOr<int64_t> Backfill(Store& store, FactSources& sources, int batch = 500);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_BACKFILL_H_
