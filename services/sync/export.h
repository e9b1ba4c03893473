// A snapshot as the files provinces collect today: an XLSX workbook with a sheet per record type
// (产业链, 企业, 项目, 月度进展, 考核结果), columns named in Chinese, one row per record and the
// provincial category (名称 and 编码) on every row; or the CSV of one record type (RFC 4180, UTF-8
// with a byte-order mark). Amounts are in 亿元. Pure: the same records give the same bytes.
#ifndef CHAINHUB_SERVICES_SYNC_EXPORT_H_
#define CHAINHUB_SERVICES_SYNC_EXPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chainhub/sync/v1/sync.pb.h"
#include "services/province/records.h"

namespace chainhub::sync {

struct SnapshotFile {
  std::string filename;
  std::string content;
};

// `records` are one list's snapshot as of `date` (any order; rows follow type, then id);
// `lists` names the categories. A CSV needs `type`; an XLSX takes every type present (or only
// `type` when set). INVALID_ARGUMENT naming "format" or "type" otherwise.
absl::StatusOr<SnapshotFile> ExportSnapshot(const std::vector<province::v1::Record>& records,
                                            const province::ProvinceLists& lists,
                                            const std::string& list_version,
                                            const std::string& date, v1::ExportFormat format,
                                            province::v1::RecordType type);

}  // namespace chainhub::sync

#endif  // CHAINHUB_SERVICES_SYNC_EXPORT_H_
