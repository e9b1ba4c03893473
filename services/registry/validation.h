// The registry's input rules: the field-by-field checks of chains, nodes, enterprises, departments
// and province lists. Each check returns INVALID_ARGUMENT naming every bad field (with a
// google.rpc.BadRequest), so a client fixes a request in one round. Names are parsed in names.h;
// reference checks that need the store (does this department exist?) live in the handlers.
#ifndef CHAINHUB_SERVICES_REGISTRY_VALIDATION_H_
#define CHAINHUB_SERVICES_REGISTRY_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "common/base/status_util.h"

namespace chainhub::registry {

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

// What `check` (one of the above) finds in `value` as one status: OK when it finds nothing.
template <typename T>
absl::Status Validate(void (*check)(const T&, const std::string&, std::vector<FieldViolation>*),
                      const T& value, const std::string& prefix) {
  std::vector<FieldViolation> violations;
  check(value, prefix, &violations);
  return ToStatus(violations);
}

// Writable top-level fields of each resource.
const std::vector<std::string>& ChainWritableFields();
const std::vector<std::string>& DepartmentWritableFields();
const std::vector<std::string>& NodeWritableFields();
const std::vector<std::string>& EnterpriseWritableFields();

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_VALIDATION_H_
