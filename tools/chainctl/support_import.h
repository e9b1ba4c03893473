// The CSV imports of the support commands (requests import, items import, spend import): the file
// streamed to the service's Import RPC (ImportRequests, ImportPolicyItems, ImportSupplierSpend) in
// pieces of whole rows that put together are the file, so the line numbers the service reports
// are the file's. The service checks every row before it stores any: either every row is stored
// (or found unchanged) or none is, and each refused row comes back as "line N: column: rule".
#ifndef CHAINHUB_TOOLS_CHAINCTL_SUPPORT_IMPORT_H_
#define CHAINHUB_TOOLS_CHAINCTL_SUPPORT_IMPORT_H_

#include <memory>
#include <ostream>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/strings/string_view.h"
#include "tools/chainctl/support_client.h"

namespace chainhub::chainctl {

// Bytes of CSV per ImportRowsRequest message.
inline constexpr size_t kSupportImportPieceBytes = 64 << 10;

using SupportImportRpc = std::unique_ptr<grpc::ClientWriter<support::v1::ImportRowsRequest>> (
    SupportClient::Stub::*)(grpc::ClientContext*, support::v1::ImportRowsResponse*);

// Reads `path` and streams it to `rpc`; prints "imported FILE: N rows, C created, U unchanged"
// (or "validated …; nothing stored" with `validate_only`), or the refused rows. Returns the exit
// code: 0 done; 3 rows refused (nothing stored); 2 the call failed; 1 the file is unusable.
// With `json` the ImportRowsResponse is printed as JSON instead.
int RunSupportImport(SupportClient& client, SupportImportRpc rpc, const std::string& path,
                     bool validate_only, bool json, std::ostream& out, std::ostream& err);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_SUPPORT_IMPORT_H_
