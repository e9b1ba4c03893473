// Reading what other services own through their List APIs, every resource of a kind page by page
// (1,000 a page): what a service that keeps its own copy (assessment's facts, sync's records)
// reads on its first start. Calls are authenticated as `subject` with a viewer token minted from
// the shared JWT secret (PeerToken) and each made within `timeout`. An unreachable owner is
// UNAVAILABLE; an error from `fn` stops the walk and is returned.
#ifndef CHAINHUB_SERVICES_CLIENTS_OWNER_LISTS_H_
#define CHAINHUB_SERVICES_CLIENTS_OWNER_LISTS_H_

#include <functional>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "chainhub/assessment/v1/assessment.grpc.pb.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/base/clock.h"
#include "common/service/peer.h"

namespace chainhub {

template <typename T>
using Each = std::function<absl::Status(const T&)>;

class OwnerLists {
 public:
  // Any target may be empty: listing from it then lists nothing.
  OwnerLists(const std::string& registry_target, const std::string& intake_target,
             const std::string& assessment_target, std::string jwt_secret, std::string subject,
             std::shared_ptr<grpc::ChannelCredentials> credentials,
             absl::Duration timeout = absl::Seconds(10), const Clock& clock = Clock::Real());

  // The registry's.
  absl::Status ForEachChain(const Each<registry::v1::Chain>& fn);
  absl::Status ForEachEnterprise(const Each<registry::v1::Enterprise>& fn);
  absl::Status ForEachProvinceList(const Each<registry::v1::ProvinceList>& fn);
  absl::Status ForEachChainProvinceMapping(const Each<registry::v1::ChainProvinceMapping>& fn);
  // Intake's.
  absl::Status ForEachProject(const Each<intake::v1::Project>& fn);
  // The reports of one project (projects/{id}).
  absl::Status ForEachProgressReport(const std::string& project_name,
                                     const Each<intake::v1::ProgressReport>& fn);
  absl::Status ForEachWorkItem(const Each<intake::v1::WorkItem>& fn);
  // Assessment's final runs, with their results.
  absl::Status ForEachFinalRun(const Each<assessment::v1::Run>& fn);

 private:
  std::unique_ptr<registry::v1::ChainRegistry::Stub> registry_;
  std::unique_ptr<intake::v1::ProjectIntake::Stub> intake_;
  std::unique_ptr<assessment::v1::Assessment::Stub> assessment_;
  PeerToken token_;
  absl::Duration timeout_;
};

}  // namespace chainhub

#endif  // CHAINHUB_SERVICES_CLIENTS_OWNER_LISTS_H_
