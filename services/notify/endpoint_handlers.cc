// Endpoints and dispatches: each call is authenticated here and answered by the Dispatcher
// (delivery/dispatcher.h), which checks the caller is admin.
#include "common/base/status_util.h"
#include "services/notify/notify_service.h"

namespace chainhub::notify {

namespace {

// Serves a call with `method`, given the dispatcher and the caller.
template <typename Resp, typename Method>
grpc::ServerUnaryReactor* ServeByDispatcher(grpc::CallbackServerContext* ctx, Resp* resp,
                                            absl::StatusOr<Dispatcher*> dispatcher, Method method) {
  return Serve(ctx, [=](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(dispatcher.status());
    CHAINHUB_ASSIGN_OR_RETURN(*resp, method(**dispatcher, call));
    return absl::OkStatus();
  });
}

}  // namespace

grpc::ServerUnaryReactor* NotifyService::CreateEndpoint(Ctx* ctx,
                                                        const v1::CreateEndpointRequest* req,
                                                        v1::Endpoint* resp) {
  return ServeByDispatcher(
      ctx, resp, RequireDispatcher(),
      [req](Dispatcher& d, const AuthorizedCall& call) { return d.CreateEndpoint(call, *req); });
}

grpc::ServerUnaryReactor* NotifyService::GetEndpoint(Ctx* ctx, const v1::GetEndpointRequest* req,
                                                     v1::Endpoint* resp) {
  return ServeByDispatcher(
      ctx, resp, RequireDispatcher(),
      [req](Dispatcher& d, const AuthorizedCall& call) { return d.GetEndpoint(call, *req); });
}

grpc::ServerUnaryReactor* NotifyService::ListEndpoints(Ctx* ctx,
                                                       const v1::ListEndpointsRequest* req,
                                                       v1::ListEndpointsResponse* resp) {
  return ServeByDispatcher(
      ctx, resp, RequireDispatcher(),
      [req](Dispatcher& d, const AuthorizedCall& call) { return d.ListEndpoints(call, *req); });
}

grpc::ServerUnaryReactor* NotifyService::UpdateEndpoint(Ctx* ctx,
                                                        const v1::UpdateEndpointRequest* req,
                                                        v1::Endpoint* resp) {
  return ServeByDispatcher(
      ctx, resp, RequireDispatcher(),
      [req](Dispatcher& d, const AuthorizedCall& call) { return d.UpdateEndpoint(call, *req); });
}

grpc::ServerUnaryReactor* NotifyService::RotateEndpointSecret(
    Ctx* ctx, const v1::RotateEndpointSecretRequest* req, v1::Endpoint* resp) {
  return ServeByDispatcher(ctx, resp, RequireDispatcher(),
                           [req](Dispatcher& d, const AuthorizedCall& call) {
                             return d.RotateEndpointSecret(call, *req);
                           });
}

grpc::ServerUnaryReactor* NotifyService::ResumeEndpoint(Ctx* ctx,
                                                        const v1::ResumeEndpointRequest* req,
                                                        v1::Endpoint* resp) {
  return ServeByDispatcher(
      ctx, resp, RequireDispatcher(),
      [req](Dispatcher& d, const AuthorizedCall& call) { return d.ResumeEndpoint(call, *req); });
}

grpc::ServerUnaryReactor* NotifyService::GetDispatch(Ctx* ctx, const v1::GetDispatchRequest* req,
                                                     v1::Dispatch* resp) {
  return ServeByDispatcher(
      ctx, resp, RequireDispatcher(),
      [req](Dispatcher& d, const AuthorizedCall& call) { return d.GetDispatch(call, *req); });
}

grpc::ServerUnaryReactor* NotifyService::ListDispatches(Ctx* ctx,
                                                        const v1::ListDispatchesRequest* req,
                                                        v1::ListDispatchesResponse* resp) {
  return ServeByDispatcher(
      ctx, resp, RequireDispatcher(),
      [req](Dispatcher& d, const AuthorizedCall& call) { return d.ListDispatches(call, *req); });
}

grpc::ServerUnaryReactor* NotifyService::Redeliver(Ctx* ctx, const v1::RedeliverRequest* req,
                                                   v1::Dispatch* resp) {
  return ServeByDispatcher(
      ctx, resp, RequireDispatcher(),
      [req](Dispatcher& d, const AuthorizedCall& call) { return d.Redeliver(call, *req); });
}

grpc::ServerUnaryReactor* NotifyService::DeleteEndpoint(Ctx* ctx,
                                                        const v1::DeleteEndpointRequest* req,
                                                        google::protobuf::Empty*) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(Dispatcher * dispatcher, RequireDispatcher());
    return dispatcher->DeleteEndpoint(call, *req);
  });
}

}  // namespace chainhub::notify
