#include "tools/chainctl/assessment_import.h"

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/str_cat.h"
#include "common/base/env_flags.h"
#include "common/base/status_util.h"
#include "services/assessment/scheme_file.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/csv_file.h"
#include "tools/chainctl/digest.h"

namespace chainhub::chainctl {
namespace {

namespace av1 = ::chainhub::assessment::v1;
using Stub = AssessmentClient::Stub;

// "subject|indicator|period": what a target or a reported value is kept per.
std::string InputKey(const std::string& subject, const std::string& indicator,
                     const std::string& period) {
  return absl::StrCat(subject, "|", indicator, "|", period);
}

// An indicator without its output-only fields, as a file writes it.
av1::Indicator AsWritten(av1::Indicator indicator) {
  indicator.clear_etag();
  indicator.clear_create_time();
  indicator.clear_update_time();
  return indicator;
}

// What is stored now, for the rows to be compared with: targets set (key → value) or the latest
// reported values (key → revision).
struct Stored {
  std::map<std::string, double> targets;
  std::map<std::string, int> revisions;
};

grpc::Status LoadStored(AssessmentClient& c, InputFile file, Stored& stored) {
  if (file == InputFile::kTargets) {
    av1::ListTargetsRequest req;
    req.set_page_size(1000);
    av1::ListTargetsResponse resp;
    grpc::Status status =
        FetchPages(c.connection(), c.stub(), &Stub::ListTargets, req, /*all=*/true, &resp);
    for (const auto& t : resp.targets()) {
      stored.targets[InputKey(t.subject(), t.indicator(), t.period())] = t.value();
    }
    return status;
  }
  av1::ListReportedValuesRequest req;
  req.set_page_size(1000);
  av1::ListReportedValuesResponse resp;
  grpc::Status status =
      FetchPages(c.connection(), c.stub(), &Stub::ListReportedValues, req, /*all=*/true, &resp);
  for (const auto& v : resp.values()) {
    stored.revisions[InputKey(v.subject(), v.indicator(), v.period())] = v.revision();
  }
  return status;
}

}  // namespace

int ApplyIndicators(AssessmentClient& c, const std::string& path, std::ostream& out,
                    std::ostream& err) {
  absl::StatusOr<std::string> bytes = ReadFlagFile(path, "FILE");
  if (!bytes.ok()) return Usage(err, bytes.status().message());
  absl::StatusOr<std::vector<av1::Indicator>> indicators = assessment::ParseIndicatorsFile(*bytes);
  if (!indicators.ok()) {
    err << path << ": ";
    PrintError(indicators.status(), err, nullptr);
    return kExitUsage;
  }
  av1::ListIndicatorsRequest list;
  list.set_page_size(1000);
  av1::ListIndicatorsResponse live_page;
  grpc::Status listed =
      FetchPages(c.connection(), c.stub(), &Stub::ListIndicators, list, /*all=*/true, &live_page);
  if (!listed.ok()) return ReportRpcError(listed, err, c.options());
  std::map<std::string, const av1::Indicator*> live;
  for (const auto& i : live_page.indicators()) live[i.name()] = &i;

  RowTally tally;
  int created = 0;
  for (size_t n = 0; n < indicators->size(); ++n) {
    const av1::Indicator& indicator = (*indicators)[n];
    const int entry = static_cast<int>(n) + 1;
    auto it = live.find(indicator.name());
    grpc::Status status;
    bool changed = true;
    av1::Indicator stored;
    if (it == live.end()) {
      av1::CreateIndicatorRequest req;
      *req.mutable_indicator() = indicator;
      req.set_request_id(
          absl::StrCat("indicator:", Sha256Hex(indicator.SerializeAsString()).substr(0, 32)));
      status = c.Call(&Stub::CreateIndicator, req, &stored);
      if (status.ok()) {
        ++created;
        out << "created " << stored.name() << " " << stored.display_name() << "\n";
      }
    } else if (google::protobuf::util::MessageDifferencer::Equals(AsWritten(*it->second),
                                                                  indicator)) {
      changed = false;
    } else {
      av1::UpdateIndicatorRequest req;
      *req.mutable_indicator() = indicator;
      req.mutable_indicator()->set_etag(it->second->etag());
      status = c.Call(&Stub::UpdateIndicator, req, &stored);
      if (status.ok()) out << "updated " << stored.name() << " " << stored.display_name() << "\n";
    }
    if (!tally.Take(status, entry, indicator.name(), changed)) {
      tally.not_sent = static_cast<int>(indicators->size() - n);
      break;
    }
  }
  const int failed_count = static_cast<int>(tally.failed.size()) + tally.not_sent;
  out << "applied " << path << ": " << indicators->size() << " indicators, " << created
      << " created, " << tally.changed - created << " updated, " << tally.unchanged
      << " unchanged, " << failed_count << " failed";
  if (tally.not_sent > 0) out << " (" << tally.not_sent << " not sent)";
  out << "\n";
  return FinishRows(std::move(tally.failed), failed_count > 0, tally.stopped,
                    "indicators already applied are left as they are", c.options(), out, err);
}

int ImportInputs(AssessmentClient& c, InputFile file, const std::string& path, std::ostream& out,
                 std::ostream& err) {
  std::optional<std::vector<CsvRecord>> records = ReadCsvFile(path, err);
  if (!records) return kExitUsage;
  absl::StatusOr<InputLayout> layout = ParseInputHeader(file, records->front().fields);
  if (!layout.ok()) return Usage(err, absl::StrCat(path, ": header: ", layout.status().message()));
  Stored stored;
  if (grpc::Status s = LoadStored(c, file, stored); !s.ok()) {
    return ReportRpcError(s, err, c.options());
  }

  RowTally tally;
  const int rows_in_file = static_cast<int>(records->size()) - 1;
  for (size_t n = 1; n < records->size(); ++n) {
    const InputRow row = ParseInputRow(file, *layout, (*records)[n]);
    const std::string key = InputKey(row.subject, row.indicator, row.period);
    if (!row.error.empty()) {
      tally.failed.push_back({row.line, key, row.error});
      continue;
    }
    grpc::Status status;
    bool changed = true;
    if (file == InputFile::kTargets) {
      auto it = stored.targets.find(key);
      if (it != stored.targets.end() && it->second == row.value) {
        changed = false;
      } else {
        av1::Target set;
        status = c.Call(&Stub::SetTarget, TargetRequest(row), &set);
      }
    } else {
      av1::ReportedValue reported;
      status = c.Call(&Stub::ReportValue, ValueRequest(row), &reported);
      auto it = stored.revisions.find(key);
      changed = it == stored.revisions.end() || reported.revision() > it->second;
    }
    if (!tally.Take(status, row.line, key, changed)) {
      tally.not_sent = static_cast<int>(records->size() - n);
      break;
    }
  }
  const int failed_count = static_cast<int>(tally.failed.size()) + tally.not_sent;
  out << "imported " << path << ": " << rows_in_file << " rows, " << tally.changed
      << (file == InputFile::kTargets ? " set, " : " reported, ") << tally.unchanged
      << " unchanged, " << failed_count << " failed";
  if (tally.not_sent > 0) out << " (" << tally.not_sent << " not sent)";
  out << "\n";
  return FinishRows(std::move(tally.failed), failed_count > 0, tally.stopped,
                    file == InputFile::kTargets ? "targets already set are not sent again"
                                                : "rows already reported replay their first report",
                    c.options(), out, err);
}

}  // namespace chainhub::chainctl
