// Assessment's resource names, built on common/base/names.h: indicators/{key}, schemes/{id} and
// their versions, runs/{id}, schedules/{id}, and the subjects a scheme assesses (chains/{chain}
// or counties/{county}).
#ifndef CHAINHUB_SERVICES_ASSESSMENT_NAMES_H_
#define CHAINHUB_SERVICES_ASSESSMENT_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/base/names.h"

namespace chainhub::assessment {

// 2-40 of [a-z0-9_], starting with a letter: an indicator's key.
bool IsValidIndicatorKey(absl::string_view key);
// 1-40 of [a-z0-9_]: a scheme item's key.
bool IsValidItemKey(absl::string_view key);
// 1-64 of [a-z0-9-]: a run's id (assigned by the service).
bool IsValidRunId(absl::string_view id);

// indicators/{key}
struct IndicatorName {
  static constexpr absl::string_view kPattern = "indicators/{key}";
  std::string key;

  static absl::StatusOr<IndicatorName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {key}); }
};

// schemes/{id}, optionally schemes/{id}/versions/{n} (version 0: the latest).
struct SchemeName {
  static constexpr absl::string_view kPattern = "schemes/{id}";
  static constexpr absl::string_view kVersionPattern = "schemes/{id}/versions/{n}";
  std::string id;
  int version = 0;

  // Accepts both forms.
  static absl::StatusOr<SchemeName> Parse(absl::string_view field, absl::string_view name);
  // Refuses a version.
  static absl::StatusOr<SchemeName> ParseLatest(absl::string_view field, absl::string_view name);
  // schemes/{id}, whatever the version.
  std::string String() const { return FormatName(kPattern, {id}); }
  // schemes/{id}/versions/{n} (version must be set).
  std::string VersionString() const;
};

// runs/{id}
struct RunName {
  static constexpr absl::string_view kPattern = "runs/{id}";
  std::string id;

  static absl::StatusOr<RunName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {id}); }
};

// schedules/{id}
struct ScheduleName {
  static constexpr absl::string_view kPattern = "schedules/{id}";
  std::string id;

  static absl::StatusOr<ScheduleName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {id}); }
};

// chains/{chain} or counties/{county}; a county is 1-32 characters of one-line text without '/'
// (e.g. 来安县).
struct SubjectName {
  enum class Kind { kChain, kCounty };
  static constexpr absl::string_view kChainPattern = "chains/{chain}";
  static constexpr absl::string_view kCountyPattern = "counties/{county}";
  Kind kind = Kind::kChain;
  std::string id;

  static absl::StatusOr<SubjectName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const;
};

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_NAMES_H_
