// Issues and tasks (问题清单, 任务清单): CreateWorkItem, GetWorkItem, ListWorkItems,
// UpdateWorkItem, TransitionWorkItem, RemindOverdueWorkItems.
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "common/base/fields.h"
#include "common/base/ids.h"
#include "common/base/status_util.h"
#include "common/events/outbox.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/intake/intake_service.h"
#include "services/intake/internal/handler_common.h"
#include "services/intake/names.h"
#include "services/intake/validation.h"
#include "services/intake/work_items.h"

namespace chainhub::intake {

using internal::kSource;

namespace {

// The stored item `name` names: NOT_FOUND as well when the id holds an item of the other kind.
absl::StatusOr<v1::WorkItem> GetNamedWorkItem(IntakeTx& db, const WorkItemName& name,
                                              const std::string& text) {
  absl::StatusOr<v1::WorkItem> item = db.GetWorkItem(name.id);
  if (item.ok() && item->kind() != name.kind) return NotFound("WorkItem", text);
  return item;
}

}  // namespace

grpc::ServerUnaryReactor* IntakeService::CreateWorkItem(Ctx* ctx,
                                                        const v1::CreateWorkItemRequest* req,
                                                        v1::WorkItem* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    v1::WorkItem item = req->work_item();
    std::vector<FieldViolation> violations;
    CheckWorkItem(item, "work_item", &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    // A chain subject is checked against the registry; a project subject against the store.
    std::optional<ChainName> subject_chain;
    std::optional<ProjectName> subject_project;
    if (absl::StartsWith(item.subject(), "chains/")) {
      CHAINHUB_ASSIGN_OR_RETURN(subject_chain,
                                ChainName::Parse("work_item.subject", item.subject()));
      if (reference_ != nullptr) {
        CHAINHUB_RETURN_IF_ERROR(reference_->EnsureKnown(*subject_chain, std::nullopt,
                                                         "work_item.subject", "work_item.subject"));
      }
    } else {
      CHAINHUB_ASSIGN_OR_RETURN(subject_project,
                                ProjectName::Parse("work_item.subject", item.subject()));
    }
    return MutateOnce<v1::WorkItem>(
        call, *req, req->request_id(), resp,
        [&](SqlTx& tx, IntakeTx& db, std::set<std::string>&, absl::Time now) -> absl::Status {
          ChainName chain;
          if (subject_project) {
            absl::StatusOr<StoredProject> project = db.GetProject(subject_project->id);
            if (absl::IsNotFound(project.status())) {
              return InvalidField("work_item.subject", item.subject() + " does not exist");
            }
            CHAINHUB_RETURN_IF_ERROR(project.status());
            chain = project->chain;
          } else {
            chain = *subject_chain;
            CHAINHUB_RETURN_IF_ERROR(ReferenceCopy::CheckExists(
                tx, chain, std::nullopt, "work_item.subject", "work_item.subject"));
          }
          // The chain's office (or an admin) opens items; a department may open one it owns.
          if (!call.principal.CanWriteChain(chain.chain) &&
              !(call.principal.HasRole(roles::kDepartment) &&
                call.principal.subject == item.owner_department())) {
            return absl::PermissionDeniedError(
                absl::StrCat(call.principal.subject, " may not open items on ", chain.String(),
                             ": only an admin, that chain's office, or the owner department may"));
          }
          const std::string id = NewUuidV7(now);
          v1::WorkItem w = item;
          w.set_name(WorkItemName{w.kind(), id}.String());
          w.set_chain(chain.String());
          w.set_status(v1::WORK_ITEM_STATUS_OPEN);
          w.clear_status_note();
          w.clear_resolved_date();
          w.clear_overdue();
          CHAINHUB_RETURN_IF_ERROR(db.InsertWorkItem(id, w, now));
          CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetWorkItem(id));
          SetOverdue(resp, ChinaDate(now));
          auto event = NewEvent(kSource, call, WorkItemEventType(w.kind(), w.status()),
                                resp->name(), chain.chain, now, *resp);
          return RecordMutation(tx, call, std::move(event), CreateDetail(req->request_id()), now);
        });
  });
}

grpc::ServerUnaryReactor* IntakeService::GetWorkItem(Ctx* ctx, const v1::GetWorkItemRequest* req,
                                                     v1::WorkItem* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(WorkItemName name, WorkItemName::Parse("name", req->name()));
    return ReadTx([&](IntakeTx& db) -> absl::Status {
      absl::StatusOr<v1::WorkItem> item = GetNamedWorkItem(db, name, req->name());
      if (absl::IsNotFound(item.status())) return NotFound("WorkItem", req->name());
      CHAINHUB_RETURN_IF_ERROR(item.status());
      *resp = std::move(*item);
      SetOverdue(resp, Today());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::ListWorkItems(Ctx* ctx,
                                                       const v1::ListWorkItemsRequest* req,
                                                       v1::ListWorkItemsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    if (!req->overdue_on().empty() && !IsValidDate(req->overdue_on())) {
      return InvalidField("overdue_on", "must be a date YYYY-MM-DD");
    }
    CHAINHUB_ASSIGN_OR_RETURN(OrderSpec order, WorkItemOrder(req->order_by()));
    const std::string filter = WithOverdueOn(req->filter(), req->overdue_on());
    const std::string today = Today();
    return ReadTx([&](IntakeTx& db) -> absl::Status {
      std::vector<v1::WorkItem> items;
      std::string next;
      CompiledFilter compiled;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::WorkItem>(
          "ListWorkItems", req->page_size(), req->page_token(), filter, req->order_by(),
          WorkItemFilterFields(), order, [&](const PageQuery& q) { return db.ListWorkItems(q); },
          &items, &next, &compiled));
      for (auto& w : items) {
        SetOverdue(&w, today);
        *resp->add_work_items() = std::move(w);
      }
      resp->set_next_page_token(next);
      CHAINHUB_ASSIGN_OR_RETURN(int64_t total, db.CountWorkItems(compiled));
      resp->set_total_size(static_cast<int32_t>(total));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::UpdateWorkItem(Ctx* ctx,
                                                        const v1::UpdateWorkItemRequest* req,
                                                        v1::WorkItem* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(WorkItemName name,
                              WorkItemName::Parse("work_item.name", req->work_item().name()));
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>&) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::WorkItem current,
                                GetNamedWorkItem(db, name, req->work_item().name()));
      CHAINHUB_ASSIGN_OR_RETURN(ChainName chain,
                                ChainName::Parse("work_item.chain", current.chain()));
      // The chain's office edits any item; the owner department edits its own (责任清单).
      const bool owner = call.principal.HasRole(roles::kDepartment) &&
                         call.principal.subject == current.owner_department();
      if (!owner) CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, chain.chain));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->work_item().etag(), current.etag(), current.name()));
      v1::WorkItem merged = current;
      CHAINHUB_RETURN_IF_ERROR(
          ApplyUpdateMask(req->work_item(), req->update_mask(), WorkItemWritableFields(), &merged));
      std::vector<FieldViolation> violations;
      CheckWorkItem(merged, "work_item", &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.UpdateWorkItem(name.id, merged, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetWorkItem(name.id));
      SetOverdue(resp, ChinaDate(now));
      auto event = NewEvent(kSource, call, WorkItemEventType(resp->kind(), {}), resp->name(),
                            chain.chain, now, *resp);
      return RecordMutation(tx, call, std::move(event), MaskText(req->update_mask()), now);
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::TransitionWorkItem(
    Ctx* ctx, const v1::TransitionWorkItemRequest* req, v1::WorkItem* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(WorkItemName name, WorkItemName::Parse("name", req->name()));
    if (!req->effective_date().empty() && !IsValidDate(req->effective_date())) {
      return InvalidField("effective_date", "must be a date YYYY-MM-DD");
    }
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>&) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::WorkItem current, GetNamedWorkItem(db, name, req->name()));
      CHAINHUB_ASSIGN_OR_RETURN(ChainName chain,
                                ChainName::Parse("work_item.chain", current.chain()));
      // The chain's office moves any item; the owner department works its own, short of
      // escalating it (that is the office's call).
      const bool office = call.principal.CanWriteChain(chain.chain);
      const bool owner = call.principal.HasRole(roles::kDepartment) &&
                         call.principal.subject == current.owner_department();
      if (!office && !(owner && req->to_status() != v1::WORK_ITEM_STATUS_ESCALATED)) {
        return absl::PermissionDeniedError(
            absl::StrCat(call.principal.subject, " may not move ", current.name(), " to ",
                         v1::WorkItemStatus_Name(req->to_status()),
                         ": the chain's office may; the owner department may, except escalating"));
      }
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), current.etag(), current.name()));
      CHAINHUB_RETURN_IF_ERROR(
          CheckWorkItemTransition(current.status(), req->to_status(), req->note()));
      const absl::Time now = clock_.Now();
      v1::WorkItem w = current;
      w.set_status(req->to_status());
      w.set_status_note(req->note());
      if (req->to_status() == v1::WORK_ITEM_STATUS_RESOLVED) {
        w.set_resolved_date(req->effective_date().empty() ? ChinaDate(now) : req->effective_date());
      }
      CHAINHUB_RETURN_IF_ERROR(db.UpdateWorkItem(name.id, w, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetWorkItem(name.id));
      SetOverdue(resp, ChinaDate(now));
      auto event = NewEvent(kSource, call, WorkItemEventType(w.kind(), w.status()), resp->name(),
                            chain.chain, now, *resp);
      return RecordMutation(tx, call, std::move(event),
                            absl::StrCat(v1::WorkItemStatus_Name(current.status()), "->",
                                         v1::WorkItemStatus_Name(req->to_status())),
                            now);
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::RemindOverdueWorkItems(
    Ctx* ctx, const v1::RemindOverdueWorkItemsRequest* req,
    v1::RemindOverdueWorkItemsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(std::optional<ChainName> chain,
                              ScopeOfPass(call, req->chain(), req->date(), req->dry_run()));
    const std::string today = Today();
    // A reminder stamped with a later date would hold back the reminders of the days before it.
    if (req->date() > today) {
      return InvalidField("date", absl::StrCat("must not be after today (", today, ")"));
    }
    return RemindOverdueAt(call, req->date().empty() ? today : req->date(), chain,
                           req->dry_run(), resp);
  });
}

absl::StatusOr<v1::RemindOverdueWorkItemsResponse> IntakeService::RemindOverdueToday() {
  v1::RemindOverdueWorkItemsResponse resp;
  CHAINHUB_RETURN_IF_ERROR(AsIntake("internal:RemindOverdueWorkItems",
                                    [&](const AuthorizedCall& call) {
                                      return RemindOverdueAt(call, Today(), std::nullopt, false,
                                                             &resp);
                                    }));
  return resp;
}

absl::Status IntakeService::RemindOverdueAt(const AuthorizedCall& call, const std::string& date,
                                            const std::optional<ChainName>& chain, bool dry_run,
                                            v1::RemindOverdueWorkItemsResponse* resp) {
  // A city's backlog goes out in transactions of this many items.
  constexpr int kBatch = 500;
  // A dry run lists at most this many.
  constexpr int kDryRunLimit = 10000;
  const std::string chain_id = chain ? chain->chain : "";
  resp->Clear();
  resp->set_date(date);
  if (dry_run) {
    return ReadTx([&](IntakeTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto due, db.DueReminders(chain_id, date, kDryRunLimit));
      for (const auto& [id, item] : due) resp->add_work_items(item.name());
      resp->set_reminded_count(resp->work_items_size());
      return absl::OkStatus();
    });
  }
  for (bool more = true; more;) {
    std::vector<std::string> reminded;
    CHAINHUB_RETURN_IF_ERROR(Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>&) {
      reminded.clear();  // a transaction run again starts over
      CHAINHUB_ASSIGN_OR_RETURN(auto due, db.DueReminders(chain_id, date, kBatch));
      more = static_cast<int>(due.size()) == kBatch;
      if (due.empty()) return absl::OkStatus();
      const absl::Time now = clock_.Now();
      for (auto& [id, item] : due) {
        CHAINHUB_RETURN_IF_ERROR(db.SetReminded(id, date));
        SetOverdue(&item, date);
        CHAINHUB_ASSIGN_OR_RETURN(ChainName item_chain,
                                  ChainName::Parse("work_item.chain", item.chain()));
        reminded.push_back(item.name());
        CHAINHUB_RETURN_IF_ERROR(AppendEvent(tx, NewEvent(kSource, call,
                                                          OverdueEventType(item.kind()),
                                                          item.name(), item_chain.chain, now,
                                                          item)));
      }
      return AppendAudit(tx, call, chain ? chain->String() : "work_items",
                         absl::StrCat("remind overdue date=", date, " reminded=", due.size()),
                         now);
    }));
    for (std::string& name : reminded) resp->add_work_items(std::move(name));
  }
  resp->set_reminded_count(resp->work_items_size());
  return absl::OkStatus();
}

}  // namespace chainhub::intake
