#include "services/assessment/backfill.h"

#include <utility>
#include <vector>

#include <grpcpp/create_channel.h>

#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"
#include "services/assessment/fact_versions.h"

namespace chainhub::assessment {
namespace {

constexpr int kPageSize = 1000;

absl::Time TimeOf(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

// Pages through a List method: `call` fills the response for a request carrying the page
// token; each item goes to `fn`.
template <typename Req, typename Resp, typename Item>
absl::Status ForEachPage(
    Req req, const std::string& what, const std::function<grpc::Status(grpc::ClientContext*, const Req&, Resp*)>& call,
    PeerToken& token, absl::Duration timeout,
    const std::function<const google::protobuf::RepeatedPtrField<Item>&(const Resp&)>& items,
    const std::function<absl::Status(const Item&)>& fn) {
  req.set_page_size(kPageSize);
  while (true) {
    grpc::ClientContext ctx;
    CHAINHUB_RETURN_IF_ERROR(token.Prepare(&ctx, timeout));
    Resp resp;
    if (grpc::Status s = call(&ctx, req, &resp); !s.ok()) {
      absl::Status status = FromGrpcStatus(s);
      return absl::Status(status.code(),
                          absl::StrCat("the backfill cannot list ", what, ": ", status.message()));
    }
    for (const Item& item : items(resp)) CHAINHUB_RETURN_IF_ERROR(fn(item));
    if (resp.next_page_token().empty()) return absl::OkStatus();
    req.set_page_token(resp.next_page_token());
  }
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

GrpcFactSources::GrpcFactSources(const std::string& intake_target,
                                 const std::string& registry_target, std::string jwt_secret,
                                 std::shared_ptr<grpc::ChannelCredentials> credentials,
                                 absl::Duration timeout, const Clock& clock)
    : intake_(intake::v1::ProjectIntake::NewStub(grpc::CreateChannel(intake_target, credentials))),
      registry_(registry::v1::ChainRegistry::NewStub(
          grpc::CreateChannel(registry_target, credentials))),
      token_(std::move(jwt_secret), "systems/assessment", clock),
      timeout_(timeout) {}

absl::Status GrpcFactSources::ForEachChain(
    const std::function<absl::Status(const registry::v1::Chain&)>& fn) {
  using Req = registry::v1::ListChainsRequest;
  using Resp = registry::v1::ListChainsResponse;
  return ForEachPage<Req, Resp, registry::v1::Chain>(
      Req(), "the chains",
      [this](grpc::ClientContext* c, const Req& r, Resp* out) {
        return registry_->ListChains(c, r, out);
      },
      token_, timeout_, [](const Resp& r) -> const auto& { return r.chains(); }, fn);
}

absl::Status GrpcFactSources::ForEachEnterprise(
    const std::function<absl::Status(const registry::v1::Enterprise&)>& fn) {
  using Req = registry::v1::ListEnterprisesRequest;
  using Resp = registry::v1::ListEnterprisesResponse;
  return ForEachPage<Req, Resp, registry::v1::Enterprise>(
      Req(), "the enterprises",
      [this](grpc::ClientContext* c, const Req& r, Resp* out) {
        return registry_->ListEnterprises(c, r, out);
      },
      token_, timeout_, [](const Resp& r) -> const auto& { return r.enterprises(); }, fn);
}

absl::Status GrpcFactSources::ForEachProject(
    const std::function<absl::Status(const intake::v1::Project&)>& fn) {
  using Req = intake::v1::ListProjectsRequest;
  using Resp = intake::v1::ListProjectsResponse;
  return ForEachPage<Req, Resp, intake::v1::Project>(
      Req(), "the projects",
      [this](grpc::ClientContext* c, const Req& r, Resp* out) {
        return intake_->ListProjects(c, r, out);
      },
      token_, timeout_, [](const Resp& r) -> const auto& { return r.projects(); }, fn);
}

absl::Status GrpcFactSources::ForEachProgressReport(
    const std::string& project_name,
    const std::function<absl::Status(const intake::v1::ProgressReport&)>& fn) {
  using Req = intake::v1::ListProgressReportsRequest;
  using Resp = intake::v1::ListProgressReportsResponse;
  Req req;
  req.set_parent(project_name);
  return ForEachPage<Req, Resp, intake::v1::ProgressReport>(
      req, absl::StrCat("the progress reports of ", project_name),
      [this](grpc::ClientContext* c, const Req& r, Resp* out) {
        return intake_->ListProgressReports(c, r, out);
      },
      token_, timeout_, [](const Resp& r) -> const auto& { return r.progress_reports(); }, fn);
}

absl::Status GrpcFactSources::ForEachWorkItem(
    const std::function<absl::Status(const intake::v1::WorkItem&)>& fn) {
  using Req = intake::v1::ListWorkItemsRequest;
  using Resp = intake::v1::ListWorkItemsResponse;
  return ForEachPage<Req, Resp, intake::v1::WorkItem>(
      Req(), "the work items",
      [this](grpc::ClientContext* c, const Req& r, Resp* out) {
        return intake_->ListWorkItems(c, r, out);
      },
      token_, timeout_, [](const Resp& r) -> const auto& { return r.work_items(); }, fn);
}

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
