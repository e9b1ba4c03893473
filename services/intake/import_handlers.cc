// ImportProjects: a stream of rows, each creating a project, updating the one with its
// external_id, or changing nothing; applied in batches, a row's own error reported in its result.
#include <utility>

#include "absl/strings/str_cat.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "common/base/fields.h"
#include "common/base/metrics.h"
#include "common/base/status_util.h"
#include "common/rpc/client_stream.h"
#include "common/service/resource.h"
#include "services/intake/import_rows.h"
#include "services/intake/intake_service.h"
#include "services/intake/internal/handler_common.h"
#include "services/intake/projects.h"
#include "services/intake/province_chains.h"
#include "services/intake/stages.h"
#include "services/intake/validation.h"

namespace chainhub::intake {

using internal::InvalidateProject;
using internal::kSource;

namespace {

void CountImport(absl::string_view outcome) {
  static const bool described = [] {
    MetricsRegistry::Global().Describe("chainhub_intake_import_rows_total", "counter",
                                       "Import rows by outcome");
    return true;
  }();
  (void)described;
  MetricsRegistry::Global().Add("chainhub_intake_import_rows_total",
                                {{"outcome", std::string(outcome)}}, 1);
}

}  // namespace

// One import row waiting for its batch, already checked as far as it can be outside the store.
struct IntakeService::ImportItem {
  int32_t row_number = 0;
  absl::Status status;  // a row error found before the store
  Prepared prepared;
};

absl::Status IntakeService::ApplyImportRow(SqlTx& tx, IntakeTx& db, const AuthorizedCall& call,
                                           const ImportItem& item, const std::string& source,
                                           bool write, absl::Time now, std::set<std::string>& inv,
                                           v1::ImportRowResult* result) {
  const Prepared& pr = item.prepared;
  const std::string detail =
      absl::StrCat("import row ", item.row_number, source.empty() ? "" : " of ", source);
  CHAINHUB_ASSIGN_OR_RETURN(auto existing, db.ProjectIdByExternalId(pr.project.external_id()));
  if (!existing) {
    if (!write) {
      result->set_outcome(std::string(kRowCreated));
      return RowFailed(
          ReferenceCopy::CheckExists(tx, pr.chain, pr.node, "project.chain", "project.node"),
          result);
    }
    absl::StatusOr<v1::Project> created = InsertNew(tx, db, call, pr, detail, now, inv);
    if (!created.ok()) return RowFailed(created.status(), result);
    result->set_project(created->name());
    result->set_outcome(std::string(kRowCreated));
    return absl::OkStatus();
  }

  // An existing project: its descriptive fields are replaced by the row's and its stage moves
  // forward to the row's. Every check comes before the first write.
  CHAINHUB_ASSIGN_OR_RETURN(StoredProject current, db.GetProject(*existing));
  result->set_project(current.project.name());
  if (current.project.chain() != pr.project.chain()) {
    return RowFailed(
        InvalidField("project.chain", absl::StrCat("a project's chain cannot change (", *existing,
                                                   " is on ", current.project.chain(), ")")),
        result);
  }
  if (absl::Status s =
          ReferenceCopy::CheckExists(tx, pr.chain, pr.node, "project.chain", "project.node");
      !s.ok()) {
    return RowFailed(s, result);
  }
  absl::StatusOr<std::vector<v1::StageChange>> moves = ForwardMoves(
      current.state, pr.project.stage(), pr.project.stage_dates(), ChinaDate(now), "project");
  if (!moves.ok()) return RowFailed(moves.status(), result);
  v1::Project merged = current.project;
  CHAINHUB_RETURN_IF_ERROR(ApplyUpdateMask(pr.project, {}, ProjectWritableFields(), &merged));
  // A row that repeats the project's list (an export re-imported) keeps its source.
  CHAINHUB_RETURN_IF_ERROR(SetProvinceChains(
      tx,
      ChooseProvinceChains(
          {.current = &current.project, .merged = &merged, .defaults_follow_node = false}),
      pr.chain, pr.node, &merged));
  const bool same = SameDescription(merged, current.project);
  if (same && moves->empty()) {
    result->set_outcome(std::string(kRowUnchanged));
    return absl::OkStatus();
  }
  result->set_outcome(std::string(kRowUpdated));
  if (!write) return absl::OkStatus();

  StageState state = current.state;
  std::vector<v1::StageChange> stored_moves;
  for (v1::StageChange change : *moves) {
    change.set_from_stage(state.stage);
    change.set_principal(call.principal.subject);
    ApplyTransition(&state, merged.mutable_stage_dates(), change.to_stage(),
                    change.effective_date());
    CHAINHUB_ASSIGN_OR_RETURN(change, db.AppendStageChange(*existing, change, now));
    stored_moves.push_back(std::move(change));
  }
  merged.set_stage(state.stage);
  SetSizeBands(&merged);
  CHAINHUB_ASSIGN_OR_RETURN(bool light_changed, RefreshLight(db, *existing, &merged, state, now));
  CHAINHUB_RETURN_IF_ERROR(db.UpdateProject(*existing, &merged, state, now));
  if (!same) {
    auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_UPDATED, merged.name(),
                          pr.chain.chain, now, merged);
    CHAINHUB_RETURN_IF_ERROR(RecordMutation(tx, call, std::move(event), detail, now));
  }
  for (const auto& change : stored_moves) {
    auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_STAGE_CHANGED,
                          merged.name(), pr.chain.chain, now, change);
    CHAINHUB_RETURN_IF_ERROR(
        RecordMutation(tx, call, std::move(event),
                       absl::StrCat(detail, ": ", StageName(change.from_stage()), "->",
                                    StageName(change.to_stage()), " ", change.effective_date()),
                       now));
  }
  if (light_changed) {
    CHAINHUB_RETURN_IF_ERROR(RecordLightChange(tx, call, merged, pr.chain, now));
  }
  InvalidateProject(inv, *existing, pr.chain.chain);
  return absl::OkStatus();
}

absl::Status IntakeService::FlushImport(const AuthorizedCall& call, std::vector<ImportItem>& batch,
                                        const v1::ImportHeader& header,
                                        v1::ImportProjectsResponse* resp) {
  if (batch.empty()) return absl::OkStatus();
  std::vector<v1::ImportRowResult> results(batch.size());
  const bool write = !header.validate_only();
  auto body = [&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) -> absl::Status {
    const absl::Time now = clock_.Now();
    for (size_t i = 0; i < batch.size(); ++i) {
      v1::ImportRowResult& r = results[i];
      r.Clear();
      r.set_row_number(batch[i].row_number);
      r.set_external_id(batch[i].prepared.project.external_id());
      if (!batch[i].status.ok()) {
        CHAINHUB_RETURN_IF_ERROR(RowFailed(batch[i].status, &r));
        continue;
      }
      CHAINHUB_RETURN_IF_ERROR(
          ApplyImportRow(tx, db, call, batch[i], header.source(), write, now, inv, &r));
    }
    return absl::OkStatus();
  };
  if (write) {
    CHAINHUB_RETURN_IF_ERROR(Mutate(body));
  } else {
    CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) {
      IntakeTx db(tx);
      std::set<std::string> unused;
      return body(tx, db, unused);
    }));
  }
  for (auto& r : results) {
    CountImport(TallyRow(&r, resp));
    *resp->add_results() = std::move(r);
  }
  batch.clear();
  return absl::OkStatus();
}

grpc::ServerReadReactor<v1::ImportProjectsRequest>* IntakeService::ImportProjects(
    Ctx* ctx, v1::ImportProjectsResponse* resp) {
  auto* reader = new ClientStream<v1::ImportProjectsRequest>(ctx);
  return reader->Serve([=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin, roles::kChainOffice}));
    v1::ImportHeader header;
    std::vector<ImportItem> batch;
    v1::ImportProjectsRequest msg;
    int messages = 0;
    while (reader->Read(&msg)) {
      ++messages;
      if (msg.has_header()) {
        if (messages != 1)
          return InvalidField("header", "must be the first message, and only once");
        header = msg.header();
        CHAINHUB_RETURN_IF_ERROR(CheckImportHeader(header));
        continue;
      }
      if (!msg.has_row()) return InvalidField("kind", "each message is a header or a row");
      if (resp->row_count() >= kMaxImportRows) {
        CHAINHUB_RETURN_IF_ERROR(FlushImport(call, batch, header, resp));
        return absl::ResourceExhaustedError(
            absl::StrCat("rows: one call takes at most ", kMaxImportRows, " rows; the first ",
                         kMaxImportRows, " were applied; send the rest in another call"));
      }
      resp->set_row_count(resp->row_count() + 1);
      ImportItem item;
      item.row_number = msg.row().row_number() != 0 ? msg.row().row_number() : resp->row_count();
      const v1::Project& p = msg.row().project();
      item.prepared.project = p;
      if (p.external_id().empty()) {
        item.status = InvalidField("project.external_id", "is required for an import row");
      } else {
        absl::StatusOr<Prepared> prepared = Prepare(call, p, "project", true);
        if (prepared.ok()) {
          item.prepared = std::move(*prepared);
        } else {
          item.status = prepared.status();
        }
      }
      batch.push_back(std::move(item));
      if (static_cast<int>(batch.size()) >= kImportBatchRows) {
        CHAINHUB_RETURN_IF_ERROR(FlushImport(call, batch, header, resp));
      }
    }
    return FlushImport(call, batch, header, resp);
  });
}

}  // namespace chainhub::intake
