// ImportRequests' CSV: the columns, and one data row read into the request it accepts, every rule
// it breaks reported as "line N: <column>: <rule>". What needs the store (the enterprise, who
// may accept it, the external id already imported) is checked by the handler.
#ifndef CHAINHUB_SERVICES_SUPPORT_REQUEST_IMPORT_H_
#define CHAINHUB_SERVICES_SUPPORT_REQUEST_IMPORT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chainhub/support/v1/support.pb.h"

namespace chainhub::support {

// An import takes at most this much CSV, this many rows, and reports at most this many errors
// (then "and N more errors").
inline constexpr size_t kMaxRequestImportBytes = 8 << 20;
inline constexpr int kMaxRequestImportRows = 10000;
inline constexpr int kMaxRequestImportErrors = 100;

// The columns an import may have, in any order: external_id, enterprise, title, channel and tier
// are required in the header; chain, description, tags, urgent, common_to_chain, assignee and
// accept_time are optional.
const std::vector<std::string>& RequestCsvColumns();
inline constexpr size_t kRequiredRequestCsvColumns = 5;

// One data row, read.
struct RequestCsvRow {
  int line = 0;
  v1::Request request;                    // the fields a caller gives, normalized to names
  std::optional<absl::Time> accept_time;  // set when the row gives one
};

// The row's cells by column name (absent columns missing) → the row, or nullopt after adding every
// rule it breaks to `errors`. `now` bounds the acceptance time (not in the future, not before
// 2000).
//  - external_id: required, one line of at most 64 characters;
//  - enterprise: a credit code, bare or as enterprises/{credit_code};
//  - chain: "pv" or chains/pv; title, description: as CreateRequest takes them;
//  - channel: VISIT, HOTLINE, SYSTEM or LETTER; tier: CITY or COUNTY (upper or lower case);
//  - tags: separated by ';', each trimmed, empty ones skipped;
//  - urgent, common_to_chain: true/false, yes/no, 1/0 or empty (false);
//  - assignee: departments/{dept} or chains/{chain}/team;
//  - accept_time: RFC 3339 (2026-09-25T09:30:00+08:00) or "YYYY-MM-DD HH:MM" China time; empty:
//    now.
std::optional<RequestCsvRow> ReadRequestCsvRow(int line,
                                               const std::map<std::string, std::string>& cells,
                                               absl::Time now, std::vector<std::string>* errors);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_REQUEST_IMPORT_H_
