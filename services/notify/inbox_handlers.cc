// The caller's inbox: ListInbox, MarkRead, AcknowledgeDelivery (签收).
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "chainhub/notify/v1/notify_events.pb.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/list_query.h"
#include "services/notify/internal_support.h"
#include "services/notify/names.h"
#include "services/notify/notices.h"
#include "services/notify/notify_service.h"
#include "services/notify/recipients.h"

namespace chainhub::notify {

using internal::kSource;

namespace {

absl::Status RequireActsFor(const Principal& principal, const v1::Delivery& delivery) {
  CHAINHUB_ASSIGN_OR_RETURN(Recipient recipient,
                            Recipient::Parse("recipient", delivery.recipient()));
  if (ActsFor(principal, recipient)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      delivery.name(), " is addressed to ", Quoted(delivery.recipient()), ", not to the caller"));
}

// The change that leaves a delivery as it is.
DeliveryChange Unchanged(const v1::Delivery& d) {
  DeliveryChange c;
  c.state = d.state();
  c.read_us = d.has_read_time() ? TimestampMicros(d.read_time()) : 0;
  c.acknowledge_us = d.has_acknowledge_time() ? TimestampMicros(d.acknowledge_time()) : 0;
  c.acknowledged_by = d.acknowledged_by();
  c.acknowledge_note = d.acknowledge_note();
  c.late = d.late();
  return c;
}

}  // namespace

grpc::ServerUnaryReactor* NotifyService::ListInbox(Ctx* ctx, const v1::ListInboxRequest* req,
                                                   v1::ListInboxResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    // Admin acts for every recipient: its inbox is every delivery (narrow it with a filter).
    std::vector<std::string> recipients;
    if (!call.principal.IsAdmin()) recipients = RecipientsActedFor(call.principal);
    return ReadTx([&](SqlTx&, NotifyTx& db) -> absl::Status {
      std::vector<v1::Delivery> deliveries;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Delivery>(
          "ListInbox", req->page_size(), req->page_token(), req->filter(), "",
          DeliveryFilterFields(), OrderSpec{{"d.seq"}, true},
          [&](const PageQuery& q) { return db.ListInbox(recipients, q); }, &deliveries, &next));
      for (auto& d : deliveries) *resp->add_deliveries() = std::move(d);
      resp->set_next_page_token(next);
      CHAINHUB_ASSIGN_OR_RETURN(int32_t unread, db.UnreadCount(recipients));
      resp->set_unread_count(unread);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* NotifyService::MarkRead(Ctx* ctx, const v1::MarkReadRequest* req,
                                                  v1::Delivery* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(DeliveryName name, DeliveryName::Parse("name", req->name()));
    return Mutate([&](SqlTx& tx, NotifyTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Delivery current, db.GetDelivery(name.notice, name.id));
      CHAINHUB_RETURN_IF_ERROR(RequireActsFor(call.principal, current));
      if (current.has_read_time()) {
        *resp = std::move(current);
        return absl::OkStatus();
      }
      const absl::Time now = clock_.Now();
      DeliveryChange change = Unchanged(current);
      change.read_us = Micros(now);
      if (current.state() == v1::DELIVERED) change.state = v1::READ;
      CHAINHUB_RETURN_IF_ERROR(db.UpdateDelivery(name.notice, name.id, change, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetDelivery(name.notice, name.id));
      return AppendAudit(tx, call, name.String(), "read", now);
    });
  });
}

grpc::ServerUnaryReactor* NotifyService::AcknowledgeDelivery(
    Ctx* ctx, const v1::AcknowledgeDeliveryRequest* req, v1::Delivery* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(DeliveryName name, DeliveryName::Parse("name", req->name()));
    std::vector<FieldViolation> violations;
    CheckMultiLineText(&violations, "note", req->note(), false, kMaxNoteChars);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    return Mutate([&](SqlTx& tx, NotifyTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Delivery current, db.GetDelivery(name.notice, name.id));
      CHAINHUB_RETURN_IF_ERROR(RequireActsFor(call.principal, current));
      if (current.state() == v1::ACKNOWLEDGED) {
        // A retry of the same acknowledgement is answered with what it did.
        if (current.acknowledge_note() == req->note()) {
          *resp = std::move(current);
          return absl::OkStatus();
        }
        return FailedPrecondition(name.String(),
                                  absl::StrCat("was acknowledged by ", current.acknowledged_by(),
                                               " with another note; an acknowledgement is final"));
      }
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), current.etag(), name.String()));
      const absl::Time now = clock_.Now();
      DeliveryChange change = Unchanged(current);
      change.state = v1::ACKNOWLEDGED;
      change.acknowledge_us = Micros(now);
      if (change.read_us == 0) change.read_us = Micros(now);
      change.acknowledged_by = call.principal.subject;
      change.acknowledge_note = req->note();
      change.late = current.state() == v1::OVERDUE ||
                    (current.has_receipt_deadline() &&
                     Micros(now) > TimestampMicros(current.receipt_deadline()));
      CHAINHUB_RETURN_IF_ERROR(db.UpdateDelivery(name.notice, name.id, change, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetDelivery(name.notice, name.id));
      const std::string chain_id(absl::StripPrefix(resp->chain(), "chains/"));
      return RecordMutation(tx, call,
                            NewEvent(kSource, call, v1::NOTIFY_EVENT_DELIVERY_ACKNOWLEDGED,
                                     resp->name(), chain_id, now, *resp),
                            "acknowledge", now);
    });
  });
}

}  // namespace chainhub::notify
