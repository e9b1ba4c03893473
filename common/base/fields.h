// Field rules every service shares: ids (names are in names.h), calendar dates, text lengths
// counted in characters, update masks, and today's date in China. Violations are collected as FieldViolation
// so a client learns every bad field of a request in one round.
#ifndef CHAINHUB_COMMON_FIELDS_H_
#define CHAINHUB_COMMON_FIELDS_H_

#include <string>
#include <vector>

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/base/names.h"
#include "common/base/status_util.h"

namespace chainhub {

// IsValidId (names.h) as a status naming `field`.
absl::Status ValidateId(absl::string_view field, absl::string_view id);

// YYYY-MM-DD, a real calendar date.
bool IsValidDate(absl::string_view date);
// China Standard Time: UTC+8, no daylight saving (needs no tz database).
absl::TimeZone ChinaTimeZone();
// Today's date in China Standard Time (UTC+8), YYYY-MM-DD.
std::string ChinaDate(absl::Time now);

// Length in Unicode code points (UTF-8), which is what a user counts.
size_t CodePoints(absl::string_view s);

// The two kinds of free text a request carries. One-line text (names, titles, short names,
// counties, parks, people, list entries) is shown in tables, lists and logs on one line;
// multi-line text (descriptions, notes, reasons, responsibilities) is shown as a paragraph.
enum class TextKind { kOneLine, kMultiLine };

// The rule `value` breaks as `kind` of text, naming the first offending character and its byte
// offset, e.g. "must not contain control characters (U+0001 at byte 1)"; empty when it keeps
// them. Both kinds must be valid UTF-8 and hold no NUL, C0 or C1 control, DEL, or bidi
// embedding, override or isolate (U+202A-U+202E, U+2066-U+2069); multi-line text may hold
// newline (U+000A) and tab (U+0009), one-line text no control at all.
std::string TextRuleBroken(absl::string_view value, TextKind kind);

// The validators of every free-text field: "must not be empty" when required and empty, the rule
// of TextRuleBroken, or "must be at most N characters" when longer, as one violation of `field`.
void CheckOneLineText(std::vector<FieldViolation>* v, const std::string& field,
                      absl::string_view value, bool required, size_t max);
void CheckMultiLineText(std::vector<FieldViolation>* v, const std::string& field,
                        absl::string_view value, bool required, size_t max);

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

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_FIELDS_H_
