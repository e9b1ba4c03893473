// How the city's data is expressed in the province's taxonomy (docs/province-sync.md, "Mapping"):
// which provincial list a record belongs to (the one in force on its business date; records about
// the present, chains and enterprises, in the list in force today), which of that list's chains it
// counts for (its own override when every id of it is in that list, else its chain's default
// mapping for that list), and each record's fields in the province's shape. Pure functions over
// a Taxonomy that sync keeps from the registry's events.
#ifndef CHAINHUB_SERVICES_SYNC_PROVINCE_MAPPING_H_
#define CHAINHUB_SERVICES_SYNC_PROVINCE_MAPPING_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/assessment/v1/assessment.pb.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/province/v1/province.pb.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "services/province/records.h"

namespace chainhub::sync {

using province::ProvinceLists;
using province::v1::Record;

// The provincial lists and the city-to-province mapping (chain id → list version → province
// chain ids), as the registry holds them.
struct Taxonomy {
  ProvinceLists lists;
  std::map<std::string, std::map<std::string, std::vector<std::string>>, std::less<>> mapping;

  // The categories of a record of `chain_ids` with `override_ids` in list `version`: the override
  // when it is non-empty and every id of it is a chain of that list, else the union of the chains'
  // default mappings (sorted, without repeats). `is_override` tells which.
  std::vector<std::string> Categories(absl::string_view version,
                                      const std::vector<std::string>& chain_ids,
                                      const std::vector<std::string>& override_ids,
                                      bool* is_override) const;
};

// The list a record dated `date` belongs to (the one in force on it), or nullopt when no list is.
std::optional<std::string> ListVersionOn(const Taxonomy& taxonomy, absl::string_view date);

// A project's business date: the day it signed, else the first stage date it has, else its
// creation day (China time).
std::string ProjectDate(const intake::v1::Project& project);
// The last day of an assessment period ("2026" → 2026-12-31, "2026-Q3" → 2026-09-30,
// "2026-05" → 2026-05-31); empty when the period does not parse.
std::string PeriodLastDay(absl::string_view period);

// Records in list `version` (the caller picks it: ListVersionOn the record's date, or today's
// list for chains and enterprises). Version and deleted are left for the caller to set.
Record ChainRecord(const Taxonomy& taxonomy, absl::string_view version,
                   const registry::v1::Chain& chain);
Record EnterpriseRecord(const Taxonomy& taxonomy, absl::string_view version,
                        const registry::v1::Enterprise& enterprise);
Record ProjectRecord(const Taxonomy& taxonomy, absl::string_view version,
                     const intake::v1::Project& project);
Record ProgressRecord(const Taxonomy& taxonomy, absl::string_view version,
                      const intake::v1::Project& project, const intake::v1::ProgressReport& report);
// One record per chain subject of a final run (subjects that are not chains are left out).
std::vector<Record> AssessmentResultRecords(const Taxonomy& taxonomy, absl::string_view version,
                                            const assessment::v1::Run& run,
                                            const std::map<std::string, std::string>& chain_names);

// "pv" for "chains/pv" (also for a node name chains/pv/nodes/…); empty otherwise.
std::string ChainIdOf(absl::string_view name);

}  // namespace chainhub::sync

#endif  // CHAINHUB_SERVICES_SYNC_PROVINCE_MAPPING_H_
