#include "common/base/fields.h"

#include <google/protobuf/util/field_mask_util.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/utf8.h"

namespace chainhub {

using google::protobuf::util::FieldMaskUtil;

// Length in Unicode code points (UTF-8), which is what a user counts.
size_t CodePoints(absl::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string TextRuleBroken(absl::string_view value, TextKind kind) {
  for (size_t pos = 0; pos < value.size();) {
    const size_t length = Utf8SequenceLength(value, pos);
    if (length == 0) {
      return absl::StrFormat("must be valid UTF-8 (byte 0x%02X at byte %d)",
                             static_cast<unsigned char>(value[pos]), pos);
    }
    const char32_t c = Utf8CodePoint(value, pos, length);
    if (IsControlCharacter(c) && !(kind == TextKind::kMultiLine && (c == '\n' || c == '\t'))) {
      return absl::StrFormat("must not contain %s (U+%04X at byte %d)",
                             kind == TextKind::kMultiLine
                                 ? "control characters other than newline and tab"
                                 : "control characters",
                             static_cast<unsigned>(c), pos);
    }
    if (IsBidiControl(c)) {
      return absl::StrFormat(
          "must not contain bidirectional control characters (U+%04X at byte %d)",
          static_cast<unsigned>(c), pos);
    }
    pos += length;
  }
  return "";
}

namespace {

void CheckText(std::vector<FieldViolation>* v, const std::string& field, absl::string_view value,
               bool required, size_t max, TextKind kind) {
  if (required && value.empty()) {
    v->push_back({field, "must not be empty"});
  } else if (std::string broken = TextRuleBroken(value, kind); !broken.empty()) {
    v->push_back({field, std::move(broken)});
  } else if (CodePoints(value) > max) {
    v->push_back({field, absl::StrCat("must be at most ", max, " characters")});
  }
}

}  // namespace

void CheckOneLineText(std::vector<FieldViolation>* v, const std::string& field,
                      absl::string_view value, bool required, size_t max) {
  CheckText(v, field, value, required, max, TextKind::kOneLine);
}

void CheckMultiLineText(std::vector<FieldViolation>* v, const std::string& field,
                        absl::string_view value, bool required, size_t max) {
  CheckText(v, field, value, required, max, TextKind::kMultiLine);
}

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (IsValidId(id)) return absl::OkStatus();
  return InvalidField(field, "must be 2-40 characters of a-z, 0-9 and '-', starting with a letter");
}

bool IsValidDate(absl::string_view date) {
  if (date.size() != 10) return false;
  absl::Time t;
  std::string err;
  if (!absl::ParseTime("%Y-%m-%d", date, absl::UTCTimeZone(), &t, &err)) return false;
  // ParseTime normalises 2026-02-30 to March; a real date formats back to itself.
  return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()) == date;
}

absl::Status ToStatus(const std::vector<FieldViolation>& violations) {
  return violations.empty() ? absl::OkStatus() : InvalidFields(violations);
}

absl::Status ApplyUpdateMask(const google::protobuf::Message& update,
                             const google::protobuf::FieldMask& mask,
                             const std::vector<std::string>& writable,
                             google::protobuf::Message* current) {
  google::protobuf::FieldMask effective;
  const bool all = mask.paths().empty() || (mask.paths_size() == 1 && mask.paths(0) == "*");
  if (all) {
    for (const auto& f : writable) effective.add_paths(f);
  } else {
    for (const auto& path : mask.paths()) {
      const std::string top = std::string(absl::string_view(path).substr(0, path.find('.')));
      bool ok = false;
      for (const auto& f : writable) ok |= (f == top);
      if (!ok || !FieldMaskUtil::GetFieldDescriptors(current->GetDescriptor(), path, nullptr)) {
        return InvalidField("update_mask", absl::StrCat("field ", Quoted(path),
                                                        " cannot be updated; updatable fields are ",
                                                        absl::StrJoin(writable, ", ")));
      }
      effective.add_paths(path);
    }
  }
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(update, effective, options, current);
  return absl::OkStatus();
}

absl::TimeZone ChinaTimeZone() { return absl::FixedTimeZone(8 * 3600); }

std::string ChinaDate(absl::Time now) {
  return absl::FormatTime("%Y-%m-%d", now, ChinaTimeZone());
}

}  // namespace chainhub
