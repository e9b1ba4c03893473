#include "services/clients/owner_lists.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"

namespace chainhub {

namespace {

constexpr int kPageSize = 1000;

absl::Status Failed(absl::string_view what, const grpc::Status& s) {
  absl::Status status = FromGrpcStatus(s);
  return absl::Status(status.code(), absl::StrCat("cannot list ", what, ": ", status.message()));
}

// Pages through a List method: `call` fills the response for a request carrying the page token;
// each item goes to `fn`.
template <typename Req, typename Resp, typename Item>
absl::Status ForEachPage(Req req, const std::string& what,
                         const std::function<grpc::Status(grpc::ClientContext*, const Req&, Resp*)>& call,
                         PeerToken& token, absl::Duration timeout,
                         const std::function<const google::protobuf::RepeatedPtrField<Item>&(const Resp&)>& items,
                         const Each<Item>& fn) {
  req.set_page_size(kPageSize);
  while (true) {
    grpc::ClientContext ctx;
    CHAINHUB_RETURN_IF_ERROR(token.Prepare(&ctx, timeout));
    Resp resp;
    if (grpc::Status s = call(&ctx, req, &resp); !s.ok()) return Failed(what, s);
    for (const Item& item : items(resp)) CHAINHUB_RETURN_IF_ERROR(fn(item));
    if (resp.next_page_token().empty()) return absl::OkStatus();
    req.set_page_token(resp.next_page_token());
  }
}

template <typename Stub>
std::unique_ptr<Stub> StubFor(const std::string& target,
                              const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  if (target.empty()) return nullptr;
  return std::make_unique<Stub>(grpc::CreateChannel(target, credentials));
}

}  // namespace

OwnerLists::OwnerLists(const std::string& registry_target, const std::string& intake_target,
                       const std::string& assessment_target, std::string jwt_secret,
                       std::string subject, std::shared_ptr<grpc::ChannelCredentials> credentials,
                       absl::Duration timeout, const Clock& clock)
    : registry_(StubFor<registry::v1::ChainRegistry::Stub>(registry_target, credentials)),
      intake_(StubFor<intake::v1::ProjectIntake::Stub>(intake_target, credentials)),
      assessment_(StubFor<assessment::v1::Assessment::Stub>(assessment_target, credentials)),
      token_(std::move(jwt_secret), std::move(subject), clock),
      timeout_(timeout) {}

absl::Status OwnerLists::ForEachChain(const Each<registry::v1::Chain>& fn) {
  if (registry_ == nullptr) return absl::OkStatus();
  using Req = registry::v1::ListChainsRequest;
  using Resp = registry::v1::ListChainsResponse;
  return ForEachPage<Req, Resp, registry::v1::Chain>(
      Req(), "the chains",
      [this](grpc::ClientContext* c, const Req& r, Resp* out) {
        return registry_->ListChains(c, r, out);
      },
      token_, timeout_, [](const Resp& r) -> const auto& { return r.chains(); }, fn);
}

absl::Status OwnerLists::ForEachEnterprise(const Each<registry::v1::Enterprise>& fn) {
  if (registry_ == nullptr) return absl::OkStatus();
  using Req = registry::v1::ListEnterprisesRequest;
  using Resp = registry::v1::ListEnterprisesResponse;
  return ForEachPage<Req, Resp, registry::v1::Enterprise>(
      Req(), "the enterprises",
      [this](grpc::ClientContext* c, const Req& r, Resp* out) {
        return registry_->ListEnterprises(c, r, out);
      },
      token_, timeout_, [](const Resp& r) -> const auto& { return r.enterprises(); }, fn);
}

absl::Status OwnerLists::ForEachProvinceList(const Each<registry::v1::ProvinceList>& fn) {
  if (registry_ == nullptr) return absl::OkStatus();
  grpc::ClientContext ctx;
  CHAINHUB_RETURN_IF_ERROR(token_.Prepare(&ctx, timeout_));
  registry::v1::ListProvinceListsResponse resp;
  if (grpc::Status s = registry_->ListProvinceLists(&ctx, {}, &resp); !s.ok()) {
    return Failed("the provincial lists", s);
  }
  for (const auto& l : resp.province_lists()) CHAINHUB_RETURN_IF_ERROR(fn(l));
  return absl::OkStatus();
}

absl::Status OwnerLists::ForEachChainProvinceMapping(
    const Each<registry::v1::ChainProvinceMapping>& fn) {
  if (registry_ == nullptr) return absl::OkStatus();
  grpc::ClientContext ctx;
  CHAINHUB_RETURN_IF_ERROR(token_.Prepare(&ctx, timeout_));
  registry::v1::ListChainProvinceMappingsResponse resp;
  if (grpc::Status s = registry_->ListChainProvinceMappings(&ctx, {}, &resp); !s.ok()) {
    return Failed("the province mapping", s);
  }
  for (const auto& m : resp.mappings()) CHAINHUB_RETURN_IF_ERROR(fn(m));
  return absl::OkStatus();
}

absl::Status OwnerLists::ForEachProject(const Each<intake::v1::Project>& fn) {
  if (intake_ == nullptr) return absl::OkStatus();
  using Req = intake::v1::ListProjectsRequest;
  using Resp = intake::v1::ListProjectsResponse;
  return ForEachPage<Req, Resp, intake::v1::Project>(
      Req(), "the projects",
      [this](grpc::ClientContext* c, const Req& r, Resp* out) {
        return intake_->ListProjects(c, r, out);
      },
      token_, timeout_, [](const Resp& r) -> const auto& { return r.projects(); }, fn);
}

absl::Status OwnerLists::ForEachProgressReport(const std::string& project_name,
                                               const Each<intake::v1::ProgressReport>& fn) {
  if (intake_ == nullptr) return absl::OkStatus();
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

absl::Status OwnerLists::ForEachWorkItem(const Each<intake::v1::WorkItem>& fn) {
  if (intake_ == nullptr) return absl::OkStatus();
  using Req = intake::v1::ListWorkItemsRequest;
  using Resp = intake::v1::ListWorkItemsResponse;
  return ForEachPage<Req, Resp, intake::v1::WorkItem>(
      Req(), "the work items",
      [this](grpc::ClientContext* c, const Req& r, Resp* out) {
        return intake_->ListWorkItems(c, r, out);
      },
      token_, timeout_, [](const Resp& r) -> const auto& { return r.work_items(); }, fn);
}

absl::Status OwnerLists::ForEachFinalRun(const Each<assessment::v1::Run>& fn) {
  if (assessment_ == nullptr) return absl::OkStatus();
  using Req = assessment::v1::ListRunsRequest;
  using Resp = assessment::v1::ListRunsResponse;
  Req req;
  req.set_kind(assessment::v1::RUN_KIND_FINAL);
  return ForEachPage<Req, Resp, assessment::v1::Run>(
      req, "the final runs",
      [this](grpc::ClientContext* c, const Req& r, Resp* out) {
        return assessment_->ListRuns(c, r, out);
      },
      token_, timeout_, [](const Resp& r) -> const auto& { return r.runs(); }, fn);
}

}  // namespace chainhub
