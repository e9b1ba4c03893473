// Subscriptions: Create/Get/List/Update/DeleteSubscription. Admin writes; every role reads. The
// rules they hold run in rules.cc.
#include <utility>

#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/notify/names.h"
#include "services/notify/notify_service.h"
#include "services/notify/subscription_store.h"
#include "services/notify/subscriptions.h"

namespace chainhub::notify {

namespace {

absl::Status RequireAdmin(const AuthorizedCall& call) {
  if (call.principal.IsAdmin()) return absl::OkStatus();
  return absl::PermissionDeniedError("writing subscriptions needs the admin role");
}

// The subscription as stored: output-only fields cleared, defaults applied, its rules checked.
absl::StatusOr<v1::Subscription> Checked(v1::Subscription s) {
  s.clear_etag();
  s.clear_create_time();
  s.clear_update_time();
  ApplySubscriptionDefaults(&s);
  CHAINHUB_RETURN_IF_ERROR(CheckSubscription(s));
  return s;
}

}  // namespace

grpc::ServerUnaryReactor* NotifyService::CreateSubscription(
    Ctx* ctx, const v1::CreateSubscriptionRequest* req, v1::Subscription* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAdmin(call));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    CHAINHUB_ASSIGN_OR_RETURN(v1::Subscription subscription, Checked(req->subscription()));
    CHAINHUB_ASSIGN_OR_RETURN(SubscriptionName name,
                              SubscriptionName::Parse("subscription.name", subscription.name()));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, NotifyTx&) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          auto replay, ReplayIdempotent<v1::Subscription>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      SubscriptionsTx db(tx);
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.Insert(name.id, subscription, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.Get(name.id));
      CHAINHUB_RETURN_IF_ERROR(
          AppendAudit(tx, call, name.String(), CreateDetail(req->request_id()), now));
      return RememberResponse(tx, call, req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* NotifyService::GetSubscription(Ctx* ctx,
                                                         const v1::GetSubscriptionRequest* req,
                                                         v1::Subscription* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(SubscriptionName name, SubscriptionName::Parse("name", req->name()));
    return ReadTx([&](SqlTx& tx, NotifyTx&) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, SubscriptionsTx(tx).Get(name.id));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* NotifyService::ListSubscriptions(Ctx* ctx,
                                                           const v1::ListSubscriptionsRequest* req,
                                                           v1::ListSubscriptionsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    return ReadTx([&](SqlTx& tx, NotifyTx&) -> absl::Status {
      SubscriptionsTx db(tx);
      std::vector<v1::Subscription> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Subscription>(
          "ListSubscriptions", req->page_size(), req->page_token(), req->filter(), "",
          SubscriptionFilterFields(), OrderSpec{{"s.id"}, false},
          [&](const PageQuery& q) { return db.List(q); }, &page, &next));
      for (auto& s : page) *resp->add_subscriptions() = std::move(s);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* NotifyService::UpdateSubscription(
    Ctx* ctx, const v1::UpdateSubscriptionRequest* req, v1::Subscription* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAdmin(call));
    CHAINHUB_ASSIGN_OR_RETURN(
        SubscriptionName name,
        SubscriptionName::Parse("subscription.name", req->subscription().name()));
    return Mutate([&](SqlTx& tx, NotifyTx&) -> absl::Status {
      SubscriptionsTx db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(v1::Subscription current, db.Get(name.id));
      if (!req->subscription().etag().empty()) {
        CHAINHUB_RETURN_IF_ERROR(
            CheckEtag(req->subscription().etag(), current.etag(), name.String()));
      }
      CHAINHUB_RETURN_IF_ERROR(ApplyUpdateMask(req->subscription(), req->update_mask(),
                                               SubscriptionWritableFields(), &current));
      CHAINHUB_ASSIGN_OR_RETURN(v1::Subscription updated, Checked(current));
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.Update(name.id, updated, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.Get(name.id));
      return AppendAudit(tx, call, name.String(), MaskText(req->update_mask()), now);
    });
  });
}

grpc::ServerUnaryReactor* NotifyService::DeleteSubscription(
    Ctx* ctx, const v1::DeleteSubscriptionRequest* req, google::protobuf::Empty*) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAdmin(call));
    CHAINHUB_ASSIGN_OR_RETURN(SubscriptionName name, SubscriptionName::Parse("name", req->name()));
    return Mutate([&](SqlTx& tx, NotifyTx&) -> absl::Status {
      SubscriptionsTx db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(v1::Subscription current, db.Get(name.id));
      if (!req->etag().empty()) {
        CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), current.etag(), name.String()));
      }
      CHAINHUB_RETURN_IF_ERROR(db.Delete(name.id));
      return AppendAudit(tx, call, name.String(), "delete", clock_.Now());
    });
  });
}

}  // namespace chainhub::notify
