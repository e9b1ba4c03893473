// The rules an indicator and a scheme must keep to be stored. Every violation names the field
// path and the rule, e.g. "scheme.items[2].ratio_to_target.cap: must be set and > 0", so an
// operator fixes a whole file in one round.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_SCHEME_RULES_H_
#define CHAINHUB_SERVICES_ASSESSMENT_SCHEME_RULES_H_

#include <functional>
#include <string>
#include <vector>

#include "chainhub/assessment/v1/assessment.pb.h"
#include "common/base/status_util.h"

namespace chainhub::assessment {

namespace v1 = ::chainhub::assessment::v1;

// The indicator a scheme item names, or null when there is none.
using IndicatorLookup = std::function<const v1::Indicator*(const std::string& name)>;

// Name, display name, unit, direction, exactly one source, and the measure's consistency (an
// entity, an aggregate, a field for SUM and none for COUNT that belongs to the entity, only the
// entity's filter, a stage reached that is a line stage after negotiating, bounds min < max,
// scale ≥ 0) or the reported source's owner department.
void CheckIndicator(const v1::Indicator& indicator, const std::string& field,
                    std::vector<FieldViolation>* violations);

// Name, display name, subjects (of the scheme's kind), total_points > 0, items (valid unique
// keys, an indicator that exists except for ratings, exactly one method with its parameters,
// points > 0; a quota on a project COUNT indicator with valid bands), the scored items' points
// adding up to total_points, grading, quarter_weight in [0, 1].
void CheckScheme(const v1::Scheme& scheme, const IndicatorLookup& indicator_of,
                 std::vector<FieldViolation>* violations);

// What decides whether a put changes a scheme: its content without the output-only fields, as
// deterministic bytes (hex of their SHA-256).
std::string SchemeContentKey(const v1::Scheme& scheme);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_SCHEME_RULES_H_
