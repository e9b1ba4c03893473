#include "services/assessment/backfill.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"
#include "services/assessment/fact_versions.h"

namespace chainhub::assessment {
namespace {

absl::Time TimeOf(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

// Collects puts and commits them `batch` at a time.
class Batcher {
 public:
  Batcher(Store& store, int batch) : store_(store), batch_(batch) {}

  absl::Status Add(std::function<absl::Status(SqlTx&)> put) {
    pending_.push_back(std::move(put));
    ++count_;
    return static_cast<int>(pending_.size()) >= batch_ ? Flush() : absl::OkStatus();
  }

  absl::Status Flush() {
    if (pending_.empty()) return absl::OkStatus();
    CHAINHUB_RETURN_IF_ERROR(store_.Write([&](SqlTx& tx) -> absl::Status {
      for (const auto& put : pending_) CHAINHUB_RETURN_IF_ERROR(put(tx));
      return absl::OkStatus();
    }));
    pending_.clear();
    return absl::OkStatus();
  }

  int64_t count() const { return count_; }

 private:
  Store& store_;
  int batch_;
  std::vector<std::function<absl::Status(SqlTx&)>> pending_;
  int64_t count_ = 0;
};

template <typename T>
std::function<absl::Status(SqlTx&)> Put(absl::StatusOr<bool> (*put)(SqlTx&, const T&, absl::Time),
                                         T item, absl::Time time) {
  return [put, item = std::move(item), time](SqlTx& tx) { return put(tx, item, time).status(); };
}

}  // namespace

absl::StatusOr<int64_t> Backfill(Store& store, FactSources& sources, int batch) {
  Batcher out(store, batch);
  CHAINHUB_RETURN_IF_ERROR(sources.ForEachChain([&](const registry::v1::Chain& c) {
    return out.Add(Put(&PutChain, c, TimeOf(c.update_time())));
  }));
  CHAINHUB_RETURN_IF_ERROR(sources.ForEachEnterprise([&](const registry::v1::Enterprise& e) {
    return out.Add(Put(&PutEnterprise, e, TimeOf(e.update_time())));
  }));
  std::vector<std::string> reported;
  CHAINHUB_RETURN_IF_ERROR(sources.ForEachProject([&](const intake::v1::Project& p) {
    if (!p.last_report_month().empty()) reported.push_back(p.name());
    return out.Add(Put(&PutProject, p, TimeOf(p.update_time())));
  }));
  for (const std::string& project : reported) {
    CHAINHUB_RETURN_IF_ERROR(
        sources.ForEachProgressReport(project, [&](const intake::v1::ProgressReport& r) {
          return out.Add(Put(&PutProgressReport, r, TimeOf(r.report_time())));
        }));
  }
  CHAINHUB_RETURN_IF_ERROR(sources.ForEachWorkItem([&](const intake::v1::WorkItem& w) {
    return out.Add(Put(&PutWorkItem, w, TimeOf(w.update_time())));
  }));
  CHAINHUB_RETURN_IF_ERROR(out.Flush());
  return out.count();
}

}  // namespace chainhub::assessment
