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
#include "common/base/fields.h"
#include "common/base/status_util.h"

namespace chainhub::registry {

// "enterprises/{code}" (validated code) → code.
absl::StatusOr<std::string> ParseEnterpriseName(absl::string_view field, absl::string_view name);
absl::StatusOr<std::string> ParseProvinceListName(absl::string_view field, absl::string_view name);

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

// Writable top-level fields of each resource.
const std::vector<std::string>& ChainWritableFields();
const std::vector<std::string>& DepartmentWritableFields();
const std::vector<std::string>& NodeWritableFields();
const std::vector<std::string>& EnterpriseWritableFields();

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_VALIDATION_H_
