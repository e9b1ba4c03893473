#include "services/support/request_import.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "services/registry/names.h"
#include "services/support/request_lifecycle.h"

namespace chainhub::support {

namespace {

const std::string& Cell(const std::map<std::string, std::string>& cells, const std::string& name) {
  static const std::string* const empty = new std::string;
  auto it = cells.find(name);
  return it == cells.end() ? *empty : it->second;
}

// true/false, yes/no, 1/0 (any case), or empty (false); nullopt otherwise.
std::optional<bool> Flag(absl::string_view text) {
  const std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  if (v.empty() || v == "false" || v == "no" || v == "0") return false;
  if (v == "true" || v == "yes" || v == "1") return true;
  return std::nullopt;
}

// "2026-09-25T09:30:00+08:00" or "2026-09-25 09:30" (China time).
std::optional<absl::Time> AcceptTime(absl::string_view text) {
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err)) return t;
  if (text.size() == 16 && absl::ParseTime("%Y-%m-%d %H:%M", text, ChinaTimeZone(), &t, &err)) {
    return t;
  }
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& RequestCsvColumns() {
  static const auto* columns = new std::vector<std::string>{
      "external_id", "enterprise", "title",           "channel",  "tier",        "chain",
      "description", "tags",       "common_to_chain", "assignee", "accept_time", "urgent"};
  return *columns;
}

std::optional<RequestCsvRow> ReadRequestCsvRow(int line,
                                               const std::map<std::string, std::string>& cells,
                                               absl::Time now, std::vector<std::string>* errors) {
  const size_t before = errors->size();
  auto fail = [&](absl::string_view column, absl::string_view rule) {
    errors->push_back(absl::StrCat("line ", line, ": ", column, ": ", rule));
  };
  RequestCsvRow row;
  row.line = line;
  v1::Request& r = row.request;

  const std::string external_id(absl::StripAsciiWhitespace(Cell(cells, "external_id")));
  if (external_id.empty()) {
    fail("external_id", "must not be empty: a re-import finds the request by it");
  }
  r.set_external_id(external_id);

  const std::string enterprise(absl::StripAsciiWhitespace(Cell(cells, "enterprise")));
  if (enterprise.empty()) {
    fail("enterprise", "must not be empty");
  } else {
    const std::string name = absl::StartsWith(enterprise, "enterprises/")
                                 ? enterprise
                                 : absl::StrCat("enterprises/", enterprise);
    absl::StatusOr<registry::EnterpriseName> parsed =
        registry::EnterpriseName::Parse("enterprise", name);
    if (parsed.ok()) {
      r.set_enterprise(parsed->String());
    } else {
      fail("enterprise", absl::StrCat("must be a credit code or enterprises/{credit_code}, got ",
                                      Quoted(enterprise)));
    }
  }

  const std::string chain(absl::StripAsciiWhitespace(Cell(cells, "chain")));
  if (!chain.empty()) {
    absl::StatusOr<ChainName> parsed = ChainName::ParseOrId("chain", chain);
    if (parsed.ok()) {
      r.set_chain(parsed->String());
    } else {
      fail("chain", absl::StrCat("must be a chain id or chains/{chain}, got ", Quoted(chain)));
    }
  }

  r.set_title(std::string(absl::StripAsciiWhitespace(Cell(cells, "title"))));
  r.set_description(Cell(cells, "description"));

  const std::string channel =
      absl::AsciiStrToUpper(absl::StripAsciiWhitespace(Cell(cells, "channel")));
  v1::Channel channel_value = v1::CHANNEL_UNSPECIFIED;
  if (!v1::Channel_Parse(channel, &channel_value) || channel_value == v1::CHANNEL_UNSPECIFIED) {
    fail("channel", absl::StrCat("must be VISIT, HOTLINE, SYSTEM or LETTER, got ",
                                 Quoted(Cell(cells, "channel"))));
  }
  r.set_channel(channel_value);

  const std::string tier = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(Cell(cells, "tier")));
  v1::Tier tier_value = v1::TIER_UNSPECIFIED;
  if (!v1::Tier_Parse(tier, &tier_value) || tier_value == v1::TIER_UNSPECIFIED) {
    fail("tier", absl::StrCat("must be CITY or COUNTY, got ", Quoted(Cell(cells, "tier"))));
  }
  r.set_tier(tier_value);

  for (absl::string_view tag : absl::StrSplit(Cell(cells, "tags"), ';')) {
    tag = absl::StripAsciiWhitespace(tag);
    if (!tag.empty()) r.add_tags(std::string(tag));
  }

  for (const char* column : {"urgent", "common_to_chain"}) {
    std::optional<bool> flag = Flag(Cell(cells, column));
    if (!flag) {
      fail(column, absl::StrCat("must be true or false (or yes/no, 1/0), got ",
                                Quoted(Cell(cells, column))));
      continue;
    }
    if (std::string(column) == "urgent") {
      r.set_urgent(*flag);
    } else {
      r.set_common_to_chain(*flag);
    }
  }

  r.set_assignee(std::string(absl::StripAsciiWhitespace(Cell(cells, "assignee"))));

  const std::string accept(absl::StripAsciiWhitespace(Cell(cells, "accept_time")));
  if (!accept.empty()) {
    std::optional<absl::Time> t = AcceptTime(accept);
    if (!t) {
      fail("accept_time",
           absl::StrCat("must be RFC 3339 (2026-09-25T09:30:00+08:00) or YYYY-MM-DD HH:MM in "
                        "China time, got ",
                        Quoted(accept)));
    } else if (*t > now) {
      fail("accept_time", absl::StrCat("must not be in the future, got ", Quoted(accept)));
    } else if (*t < absl::FromCivil(absl::CivilDay(2000, 1, 1), ChinaTimeZone())) {
      fail("accept_time", absl::StrCat("must not be before 2000, got ", Quoted(accept)));
    } else {
      row.accept_time = *t;
    }
  }

  // The rules CreateRequest applies, for what the cells above did not already refuse.
  std::vector<FieldViolation> violations;
  CheckRequestInput(r, "", &violations);
  for (const FieldViolation& v : violations) {
    const std::string column(v.field.substr(0, v.field.find('[')));
    if (column == "enterprise" || column == "channel" || column == "tier") continue;  // read above
    if (column == "chain" && !Cell(cells, "chain").empty()) continue;
    fail(v.field, v.rule);
  }
  if (errors->size() > before) return std::nullopt;
  return row;
}

}  // namespace chainhub::support
