#include "tools/chainctl/support_import.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/env_flags.h"
#include "tools/chainctl/cli_util.h"
#include "common/files/csv.h"
#include "tools/chainctl/support_files.h"

namespace chainhub::chainctl {

int RunSupportImport(SupportClient& c, SupportImportRpc rpc, const std::string& path,
                     bool validate_only, bool json, std::ostream& out, std::ostream& err) {
  absl::StatusOr<std::string> bytes = ReadFlagFile(path, "FILE");
  if (!bytes.ok()) return Usage(err, bytes.status().message());
  if (StripUtf8Bom(*bytes).find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    return Usage(err, absl::StrCat(path, ": empty (a header row is required)"));
  }
  const std::vector<std::string> pieces = CsvPieces(*bytes, kSupportImportPieceBytes);

  grpc::ClientContext ctx;
  c.connection().Prepare(&ctx);
  // --timeout is for one question and answer; an upload checked whole before anything is stored
  // gets at least five minutes.
  ctx.set_deadline(
      std::chrono::system_clock::now() +
      absl::ToChronoMilliseconds(std::max(c.connection().options().timeout, absl::Minutes(5))));
  support::v1::ImportRowsResponse response;
  std::unique_ptr<grpc::ClientWriter<support::v1::ImportRowsRequest>> writer =
      (c.stub().*rpc)(&ctx, &response);
  support::v1::ImportRowsRequest message;
  message.set_validate_only(validate_only);
  bool open = true;
  for (const std::string& piece : pieces) {
    message.set_csv(piece);
    open = writer->Write(message);
    if (!open) break;
    message.clear_validate_only();  // said once, in the first message
  }
  if (open) writer->WritesDone();
  const grpc::Status status = writer->Finish();
  if (!status.ok()) {
    ReportRpcError(status, err, c.connection().options());
    err << "nothing was stored; re-running the same command is safe\n";
    return kExitRpcError;
  }
  if (json) {
    out << ToJson(response);
    return response.errors().empty() ? kExitOk : kExitPartialFailure;
  }
  if (!response.errors().empty()) {
    out << "refused " << path << ": " << response.rows() << " rows, nothing stored; fix these "
        << "and run it again:\n";
    for (const std::string& e : response.errors()) out << "  " << e << "\n";
    return kExitPartialFailure;
  }
  if (validate_only) {
    out << "validated " << path << ": " << response.rows() << " rows, all valid ("
        << response.created() << " would be stored, " << response.unchanged()
        << " unchanged); nothing stored\n";
  } else {
    out << "imported " << path << ": " << response.rows() << " rows, " << response.created()
        << " created, " << response.unchanged() << " unchanged\n";
  }
  return kExitOk;
}

}  // namespace chainhub::chainctl
