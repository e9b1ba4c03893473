// Intake's local read copy of the registry: the chains, nodes and province chain ids that project
// fields refer to. Registry events keep it current (Handlers are the EventConsumer's, so each
// event has exactly one effect); a name the copy does not know yet (an event still on its way, or
// a copy being rebuilt) is asked of the registry over gRPC and the answer stored. Every row carries
// the id of the event (UUIDv7, time-ordered) or lookup that wrote it, so a late, older event never
// undoes a newer state.
#ifndef CHAINHUB_SERVICES_INTAKE_REFERENCE_COPY_H_
#define CHAINHUB_SERVICES_INTAKE_REFERENCE_COPY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/repeated_field.h>
#include <grpcpp/channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/base/clock.h"
#include "common/base/names.h"
#include "common/events/event_consumer.h"
#include "common/service/peer.h"
#include "common/store/store.h"

namespace chainhub::intake {

// Asks the registry. NOT_FOUND when it has no such resource; UNAVAILABLE when it cannot be asked.
class RegistryLookup {
 public:
  virtual ~RegistryLookup() = default;
  virtual absl::StatusOr<registry::v1::Chain> GetChain(const std::string& chain_id) = 0;
  virtual absl::StatusOr<registry::v1::Node> GetNode(const std::string& chain_id,
                                                     const std::string& node_id) = 0;
  virtual absl::StatusOr<std::vector<registry::v1::ProvinceList>> ListProvinceLists() = 0;
};

// RegistryLookup over gRPC, authenticated as systems/intake (a viewer token minted from the
// shared secret and renewed before it expires), over `credentials` (common/peer.h); each call's
// deadline is the served call's remaining time, at most `timeout`. The token's times are the
// registry's wall clock, which `clock` must be.
class GrpcRegistryLookup final : public RegistryLookup {
 public:
  GrpcRegistryLookup(const std::string& target, std::string jwt_secret,
                     std::shared_ptr<grpc::ChannelCredentials> credentials,
                     absl::Duration timeout = absl::Seconds(3), const Clock& clock = Clock::Real());
  absl::StatusOr<registry::v1::Chain> GetChain(const std::string& chain_id) override;
  absl::StatusOr<registry::v1::Node> GetNode(const std::string& chain_id,
                                             const std::string& node_id) override;
  absl::StatusOr<std::vector<registry::v1::ProvinceList>> ListProvinceLists() override;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<registry::v1::ChainRegistry::Stub> stub_;
  PeerToken token_;
  absl::Duration timeout_;
};

class ReferenceCopy {
 public:
  // `store` is intake's store; `lookup` may be null (then unknown names are UNAVAILABLE). A row
  // a lookup writes is versioned by `clock`, against the event ids the registry stamps with its
  // own wall clock: `clock` must be that wall clock too.
  ReferenceCopy(Store* store, RegistryLookup* lookup, const Clock& clock)
      : store_(store), lookup_(lookup), clock_(clock) {}

  // The EventConsumer's handlers: chain.*, node.*, chain.province_mapping_set and
  // province_list.put update the copy; the registry's other events and intake's own are declared
  // and ignored; any other type is left to the consumer to count as unhandled.
  static EventHandlers Handlers();

  // Makes sure the copy knows the chain (with its current province categories) and, when
  // `node` is set, the node, asking the registry when it does not. A chain or node the registry
  // does not have is INVALID_ARGUMENT naming `chain_field` / `node_field`; the registry
  // unreachable for a name the copy lacks is UNAVAILABLE. Call before the write transaction.
  absl::Status EnsureKnown(const ChainName& chain, const std::optional<NodeName>& node,
                           const std::string& chain_field, const std::string& node_field);

  // Makes sure every id is a province chain of some list, asking the registry for the lists when
  // the copy lacks one. An unknown id is INVALID_ARGUMENT naming `field`[i].
  absl::Status EnsureProvinceChains(const google::protobuf::RepeatedPtrField<std::string>& ids,
                                    const std::string& field);

  // Inside a write: the chain (and node) still exist in the copy; INVALID_ARGUMENT naming the
  // field otherwise.
  static absl::Status CheckExists(SqlTx& tx, const ChainName& chain,
                                  const std::optional<NodeName>& node,
                                  const std::string& chain_field, const std::string& node_field);

  // The province chains a project on this chain/node counts for by default: the node's override
  // when it has one, else the chain's categories.
  static absl::StatusOr<std::vector<std::string>> DefaultProvinceChains(
      SqlTx& tx, const ChainName& chain, const std::optional<NodeName>& node);

 private:
  absl::Status StoreChain(const registry::v1::Chain& chain, const std::string& version);
  absl::Status StoreNode(const registry::v1::Node& node, const std::string& version);

  Store* store_;
  RegistryLookup* lookup_;
  const Clock& clock_;
};

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_REFERENCE_COPY_H_
