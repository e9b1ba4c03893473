// What intake derives of a project beyond the fields a client gives: clearing what a client cannot
// set, the size bands, and whether a write changes what the project describes. Pure.
#ifndef CHAINHUB_SERVICES_INTAKE_PROJECTS_H_
#define CHAINHUB_SERVICES_INTAKE_PROJECTS_H_

#include "chainhub/intake/v1/intake.pb.h"

namespace chainhub::intake {

// Clears the output-only fields (name, province_chains_source, stage_reason, progress figures,
// light, size bands, etag, times); stage and stage_dates stay for InitialHistory to check.
void ClearOutputOnly(v1::Project* project);

// Sets size_bands from total_investment_yuan.
void SetSizeBands(v1::Project* project);

// True when two projects describe the same: equal in the fields a client sets but the stage and
// its dates, with the same province chains from the same source.
bool SameDescription(const v1::Project& a, const v1::Project& b);

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_PROJECTS_H_
