// Figures and audit: not built yet.
#include "services/support/support_service.h"

namespace chainhub::support {

grpc::ServerUnaryReactor* SupportService::ExportFigures(Ctx* ctx, const v1::ExportFiguresRequest*,
                                                        v1::ExportFiguresResponse*) {
  auto* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "ExportFigures: not built yet"));
  return reactor;
}

}  // namespace chainhub::support
