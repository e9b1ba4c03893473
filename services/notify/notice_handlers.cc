// Notices: SendNotice, GetNotice, ListNotices, and who has signed (ListDeliveries).
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "chainhub/notify/v1/notify_events.pb.h"
#include "common/base/ids.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/notify/internal_support.h"
#include "services/notify/names.h"
#include "services/notify/notices.h"
#include "services/notify/notify_service.h"
#include "services/notify/recipients.h"

namespace chainhub::notify {

using internal::kSource;

namespace {

// The sender, admin, or someone acting for one of its recipients.
bool MayReadNotice(const Principal& principal, const v1::Notice& notice) {
  if (principal.IsAdmin() || principal.subject == notice.sender()) return true;
  for (const std::string& text : notice.recipients()) {
    auto recipient = Recipient::Parse("recipient", text);
    if (recipient.ok() && ActsFor(principal, *recipient)) return true;
  }
  return false;
}

absl::Status RequireSenderOrAdmin(const Principal& principal, const v1::Notice& notice) {
  if (principal.IsAdmin() || principal.subject == notice.sender()) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("only the sender of ", notice.name(), " and admin see its receipts"));
}

}  // namespace

grpc::ServerUnaryReactor* NotifyService::SendNotice(Ctx* ctx, const v1::SendNoticeRequest* req,
                                                    v1::Notice* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), true));
    if (!call.principal.IsAdmin() && !call.principal.HasRole(roles::kChainOffice)) {
      return absl::PermissionDeniedError("sending notices needs the admin or chain_office role");
    }
    const absl::Time now = clock_.Now();
    CHAINHUB_ASSIGN_OR_RETURN(CheckedNotice checked, CheckNotice(req->notice(), now));
    for (const Recipient& recipient : checked.recipients) {
      CHAINHUB_RETURN_IF_ERROR(RequireMaySendTo(call.principal, recipient));
    }
    const std::string chain_id(absl::StripPrefix(checked.notice.chain(), "chains/"));
    if (!chain_id.empty()) CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, chain_id));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, NotifyTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto replay,
                                ReplayIdempotent<v1::Notice>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      const std::string id = NewUuidV7(now);
      v1::Notice notice = checked.notice;
      notice.set_name(NoticeName{id}.String());
      notice.set_sender(call.principal.subject);
      notice.clear_source_event();
      CHAINHUB_ASSIGN_OR_RETURN(*resp, MakeNotice(tx, db, id, notice, checked.recipients, now));
      CHAINHUB_RETURN_IF_ERROR(RecordMutation(
          tx, call,
          NewEvent(kSource, call, v1::NOTIFY_EVENT_NOTICE_SENT, resp->name(), chain_id, now, *resp),
          CreateDetail(req->request_id()), now));
      return RememberResponse(tx, call, req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* NotifyService::GetNotice(Ctx* ctx, const v1::GetNoticeRequest* req,
                                                   v1::Notice* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(NoticeName name, NoticeName::Parse("name", req->name()));
    CHAINHUB_RETURN_IF_ERROR(ReadTx([&](SqlTx&, NotifyTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetNotice(name.id));
      return absl::OkStatus();
    }));
    if (!MayReadNotice(call.principal, *resp)) {
      resp->Clear();
      return absl::PermissionDeniedError(absl::StrCat("only the sender of ", name.String(),
                                                      ", its recipients and admin may read it"));
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* NotifyService::ListNotices(Ctx* ctx, const v1::ListNoticesRequest* req,
                                                     v1::ListNoticesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    const std::string sender = call.principal.IsAdmin() ? "" : call.principal.subject;
    return ReadTx([&](SqlTx&, NotifyTx& db) -> absl::Status {
      std::vector<v1::Notice> notices;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Notice>(
          "ListNotices", req->page_size(), req->page_token(), req->filter(), "",
          NoticeFilterFields(), OrderSpec{{"id"}, true},
          [&](const PageQuery& q) { return db.ListNotices(sender, q); }, &notices, &next));
      for (auto& n : notices) *resp->add_notices() = std::move(n);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* NotifyService::ListDeliveries(Ctx* ctx,
                                                        const v1::ListDeliveriesRequest* req,
                                                        v1::ListDeliveriesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(NoticeName parent, NoticeName::Parse("parent", req->parent()));
    return ReadTx([&](SqlTx&, NotifyTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Notice notice, db.GetNotice(parent.id));
      CHAINHUB_RETURN_IF_ERROR(RequireSenderOrAdmin(call.principal, notice));
      std::vector<v1::Delivery> deliveries;
      std::string next;
      // The page token is bound to the notice too (the method text is its fingerprint).
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Delivery>(
          absl::StrCat("ListDeliveries ", parent.id), req->page_size(), req->page_token(),
          req->filter(), "", DeliveryFilterFields(), OrderSpec{{"d.seq"}, false},
          [&](const PageQuery& q) { return db.ListDeliveries(parent.id, q); }, &deliveries, &next));
      for (auto& d : deliveries) *resp->add_deliveries() = std::move(d);
      resp->set_next_page_token(next);
      CHAINHUB_ASSIGN_OR_RETURN(auto counts, db.StateCounts(parent.id));
      for (const auto& [state, n] : counts) (*resp->mutable_state_counts())[state] = n;
      return absl::OkStatus();
    });
  });
}

}  // namespace chainhub::notify
