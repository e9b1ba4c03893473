// The registry's input rules: resource names, and the field-by-field checks of chains, nodes,
// enterprises, departments and province lists. Each check returns INVALID_ARGUMENT naming every
// bad field (with a google.rpc.BadRequest), so a client fixes a request in one round.
// Reference checks that need the store (does this department exist?) live in the service.
#ifndef CHAINHUB_SERVICES_REGISTRY_VALIDATION_H_
#define CHAINHUB_SERVICES_REGISTRY_VALIDATION_H_

#include <string>
#include <vector>

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "common/status_util.h"

namespace chainhub::registry {

// 2-40 characters of [a-z0-9-], starting with a letter.
bool IsValidId(absl::string_view id);
absl::Status ValidateId(absl::string_view field, absl::string_view id);

// "chains/pv" or "pv" → "pv" (the short form is accepted where a chain is expected).
absl::StatusOr<std::string> ParseChainName(absl::string_view field, absl::string_view name,
                                           bool allow_bare_id = false);
struct NodeKey {
  std::string chain_id;
  std::string node_id;
  std::string Name() const { return "chains/" + chain_id + "/nodes/" + node_id; }
};
absl::StatusOr<NodeKey> ParseNodeName(absl::string_view field, absl::string_view name);
absl::StatusOr<std::string> ParseDepartmentName(absl::string_view field, absl::string_view name);
// "enterprises/{code}" (validated code) → code.
absl::StatusOr<std::string> ParseEnterpriseName(absl::string_view field, absl::string_view name);
absl::StatusOr<std::string> ParseProvinceListName(absl::string_view field, absl::string_view name);

// YYYY-MM-DD, a real calendar date.
bool IsValidDate(absl::string_view date);

// Field rules. `prefix` is the path of the message in the request ("chain", "enterprises[3]").
// Names and output-only fields are not checked here.
void CheckChain(const v1::Chain& chain, const std::string& prefix,
                std::vector<FieldViolation>* violations);
void CheckDepartment(const v1::Department& department, const std::string& prefix,
                     std::vector<FieldViolation>* violations);
void CheckNode(const v1::Node& node, const std::string& prefix,
               std::vector<FieldViolation>* violations);
// Also validates the credit code and the membership names' form.
void CheckEnterprise(const v1::Enterprise& enterprise, const std::string& prefix,
                     std::vector<FieldViolation>* violations);
void CheckProvinceList(const v1::ProvinceList& list, const std::string& prefix,
                       std::vector<FieldViolation>* violations);

// OK when empty, else InvalidFields(violations).
absl::Status ToStatus(const std::vector<FieldViolation>& violations);

// Applies an update mask: `update` fields named by `mask` replace those of `current` (repeated
// fields replaced, not appended). An empty mask or "*" replaces every field in `writable`.
// A path not in `writable` is INVALID_ARGUMENT naming it ("update_mask: field 'etag' cannot be
// updated; updatable fields are …").
absl::Status ApplyUpdateMask(const google::protobuf::Message& update,
                             const google::protobuf::FieldMask& mask,
                             const std::vector<std::string>& writable,
                             google::protobuf::Message* current);

// Writable top-level fields of each resource.
const std::vector<std::string>& ChainWritableFields();
const std::vector<std::string>& DepartmentWritableFields();
const std::vector<std::string>& NodeWritableFields();
const std::vector<std::string>& EnterpriseWritableFields();

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_VALIDATION_H_
