// What makes an indicator or a scheme (考核方案) valid on write. Every violation names the field
// path and the rule, e.g. "scheme.items[2].ratio_to_target.cap": "must be set and > 0", so an
// operator fixes a scheme file in one round. Indicators a scheme names are looked up through the
// caller, which knows the store.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_SCHEME_RULES_H_
#define CHAINHUB_SERVICES_ASSESSMENT_SCHEME_RULES_H_

#include <functional>
#include <string>
#include <vector>

#include "chainhub/assessment/v1/assessment.pb.h"
#include "common/base/status_util.h"

namespace chainhub::assessment {

inline constexpr size_t kMaxDisplayNameChars = 128;
inline constexpr size_t kMaxUnitChars = 16;
inline constexpr size_t kMaxDescriptionChars = 2000;
inline constexpr size_t kMaxCriterionChars = 200;
inline constexpr int kMaxCriteria = 20;
inline constexpr int kMaxSchemeItems = 100;
inline constexpr int kMaxSchemeSubjects = 500;
inline constexpr int kMaxQuotaBands = 20;

// The indicator named, or nullptr when there is none.
using IndicatorLookup = std::function<const v1::Indicator*(const std::string& name)>;

// The indicator's direction, UNSPECIFIED read as the default HIGHER_IS_BETTER.
v1::Direction DirectionOf(const v1::Indicator& indicator);

// Rules, each violation under `field` (e.g. "indicator"):
//  - name indicators/{key}; display_name required ≤ 128 characters; unit ≤ 16; description
//    ≤ 2000 (multi-line); direction a known value (UNSPECIFIED means higher is better);
//  - exactly one source (field.source when none);
//  - measure: entity and aggregate set; SUM names a field of the entity (projects: total, fixed
//    asset, completed or arrived; enterprises: annual output; work items have none), COUNT none;
//    only the entity's filter set; project filter: reached_in_period one of SIGNED..FULL_OUTPUT,
//    bounds ≥ 0 and min < max when max is set, known source, origins and light; enterprise
//    filter: known labels, min output ≥ 0; work-item filter: known kind and condition; scale
//    finite and ≥ 0;
//  - reported: owner_department departments/{dept}.
void CheckIndicator(const v1::Indicator& indicator, const std::string& field,
                    std::vector<FieldViolation>* violations);

// Rules, each violation under "scheme":
//  - name schemes/{id}; display_name required ≤ 128; description ≤ 2000; subject_kind known;
//    subjects each a SubjectName of the scheme's kind, no duplicates, at most 500;
//  - total_points finite and > 0; quarter_weight in [0, 1];
//  - items: 1 to 100; each key valid (1-40 of [a-z0-9_]) and unique; display_name ≤ 128; points
//    finite and > 0; exactly one method; indicator required (and known through `indicator_of`)
//    except for a rating, which has none; the method's parameters: ratio cap, per-unit points,
//    deduction and bonus per_unit and quota deduction_per_missing set and > 0, threshold set,
//    efficacy all_equal_score in [0, 100] when set, quota bands 1-20 each with min ≥ 0, max 0 or
//    > min, count ≥ 1, and a project COUNT indicator; rating criteria ≤ 20 of ≤ 200 characters;
//    a work-item indicator only when the subjects are chains;
//  - the scored items' points (IsScoredItem) add up to total_points, within 1e-9;
//  - grading set: thresholds excellent > good > pass, or rank shares each in [0, 1] adding up to
//    at most 1.
void CheckScheme(const v1::Scheme& scheme, const IndicatorLookup& indicator_of,
                 std::vector<FieldViolation>* violations);

// A canonical form for "did the scheme change": the scheme with its output-only fields (version,
// etag, create_time, version_time) cleared, serialized deterministically. Equal keys mean equal
// content.
std::string SchemeContentKey(const v1::Scheme& scheme);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_SCHEME_RULES_H_
