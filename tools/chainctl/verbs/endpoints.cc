// endpoints create, list, show, update, delete, rotate, resume: where a recipient's messages go
// outside the inbox (webhook, DingTalk, WeCom, e-mail); dispatches list, show, redeliver: what
// was sent there, its attempts, and the dead-letter list. A secret comes from --secret_file (a
// file, or - for standard input), never from the command line, and is never printed; only a
// secret the service made is shown, once.
#include <iterator>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/env_flags.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/digest.h"
#include "tools/chainctl/notify_client.h"
#include "tools/chainctl/notify_files.h"
#include "tools/chainctl/notify_render.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

namespace nv1 = notify::v1;
using Stub = NotifyClient::Stub;

// The secret --secret_file names (standard input for -), without the line break after it; empty
// when the flag is not given.
absl::StatusOr<std::string> ReadSecret(const CommandLine& cmd) {
  if (cmd.secret_file.empty()) return std::string();
  std::string secret;
  if (cmd.secret_file == "-") {
    secret.assign(std::istreambuf_iterator<char>(*cmd.in), std::istreambuf_iterator<char>());
  } else {
    absl::StatusOr<std::string> bytes = ReadFlagFile(cmd.secret_file, "--secret_file");
    if (!bytes.ok()) return bytes.status();
    secret = *std::move(bytes);
  }
  secret = std::string(absl::StripTrailingAsciiWhitespace(secret));
  if (secret.empty()) return absl::InvalidArgumentError("--secret_file: the secret is empty");
  return secret;
}

// The endpoint file operand `index` names, with the secret of --secret_file; nullopt after a
// usage error.
std::optional<nv1::Endpoint> EndpointOperand(const Call& call, size_t index) {
  const std::string& path = call.operands[index];
  absl::StatusOr<std::string> bytes = ReadFlagFile(path, "FILE");
  if (!bytes.ok()) {
    Usage(call.err, bytes.status().message());
    return std::nullopt;
  }
  absl::StatusOr<nv1::Endpoint> endpoint = ParseEndpointFile(*bytes);
  if (!endpoint.ok()) {
    call.err << path << ": ";
    PrintError(endpoint.status(), call.err, nullptr);
    return std::nullopt;
  }
  absl::StatusOr<std::string> secret = ReadSecret(call.cmd);
  if (!secret.ok()) {
    Usage(call.err, secret.status().message());
    return std::nullopt;
  }
  endpoint->set_secret(*std::move(secret));
  return *std::move(endpoint);
}

// "endpoints/x: created", the endpoint, and a secret the service made (never one it was given).
void PrintSaved(const Call& call, absl::string_view what, const nv1::Endpoint& e) {
  call.out << e.name() << ": " << what << "\n";
  PrintEndpoint(e, call.out);
  if (!e.secret().empty()) {
    call.out << "\nthe new secret, shown this once (give it to the receiver):\n"
             << e.secret() << "\n";
  }
}

// One endpoint call whose answer is shown as PrintSaved shows it. `sent_secret`: the request
// carried a secret, which the answer must not repeat (the service returns none; this makes sure).
template <typename Request>
int SaveAndShow(const Call& call,
                grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, nv1::Endpoint*),
                const Request& req, bool sent_secret, absl::string_view what) {
  NotifyClient& c = *call.notify;
  nv1::Endpoint saved;
  grpc::Status status = CallUnary(c.connection(), c.stub(), rpc, req, &saved);
  if (sent_secret) saved.clear_secret();
  return Show(call, status, saved, [&] { PrintSaved(call, what, saved); });
}

int EndpointsCreate(const Call& call) {
  std::optional<nv1::Endpoint> endpoint = EndpointOperand(call, 0);
  if (!endpoint) return kExitUsage;
  nv1::CreateEndpointRequest req;
  // The same file created again is a retry; the secret stays out of the id.
  nv1::Endpoint keyed = *endpoint;
  keyed.clear_secret();
  req.set_request_id(absl::StrCat("endpoint-", Sha256Hex(keyed.SerializeAsString()).substr(0, 32)));
  const bool sent_secret = !endpoint->secret().empty();
  *req.mutable_endpoint() = *std::move(endpoint);
  return SaveAndShow(call, &Stub::CreateEndpoint, req, sent_secret, "created");
}

int EndpointsUpdate(const Call& call) {
  std::optional<nv1::Endpoint> endpoint = EndpointOperand(call, 1);
  if (!endpoint) return kExitUsage;
  nv1::UpdateEndpointRequest req;
  for (const std::string& path : EndpointFileFields(*endpoint)) {
    req.mutable_update_mask()->add_paths(path);
  }
  const bool sent_secret = !endpoint->secret().empty();
  if (sent_secret) req.mutable_update_mask()->add_paths("secret");
  if (req.update_mask().paths().empty()) {
    return Usage(call.err, "the file sets no field to change (and no --secret_file)");
  }
  *req.mutable_endpoint() = *std::move(endpoint);
  req.mutable_endpoint()->set_name(NotifyResourceName("endpoints", call.operands[0]));
  return SaveAndShow(call, &Stub::UpdateEndpoint, req, sent_secret, "updated");
}

int EndpointsRotate(const Call& call) {
  absl::StatusOr<std::string> secret = ReadSecret(call.cmd);
  if (!secret.ok()) return Usage(call.err, secret.status().message());
  nv1::RotateEndpointSecretRequest req;
  req.set_name(NotifyResourceName("endpoints", call.operands[0]));
  req.set_secret(*std::move(secret));
  req.set_previous_valid_hours(call.cmd.previous_valid_hours);
  return SaveAndShow(call, &Stub::RotateEndpointSecret, req, !req.secret().empty(),
                     "secret rotated");
}

int EndpointsResume(const Call& call) {
  nv1::ResumeEndpointRequest req;
  req.set_name(NotifyResourceName("endpoints", call.operands[0]));
  return SaveAndShow(call, &Stub::ResumeEndpoint, req, false, "resumed");
}

int EndpointsShow(const Call& call) {
  nv1::GetEndpointRequest req;
  req.set_name(NotifyResourceName("endpoints", call.operands[0]));
  NotifyClient& c = *call.notify;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::GetEndpoint, req,
                     [&](const nv1::Endpoint& e) { PrintEndpoint(e, call.out); });
}

int EndpointsList(const Call& call) {
  NotifyClient& c = *call.notify;
  return ShowList(call, c.connection(), c.stub(), &Stub::ListEndpoints,
                  ListRequest<nv1::ListEndpointsRequest>(call.cmd), PrintEndpointsTable);
}

int EndpointsDelete(const Call& call) {
  NotifyClient& c = *call.notify;
  nv1::DeleteEndpointRequest req;
  req.set_name(NotifyResourceName("endpoints", call.operands[0]));
  return CallAndShow(call, c.connection(), c.stub(), &Stub::DeleteEndpoint, req,
                     [&](const google::protobuf::Empty&) {
                       call.out << "deleted " << req.name()
                                << " (its queued dispatches are now dead)\n";
                     });
}

int DispatchesList(const Call& call) {
  auto req = ListRequest<nv1::ListDispatchesRequest>(call.cmd);
  if (call.cmd.dead) {
    // The dead-letter list, narrowed further by --filter when given.
    req.set_filter(call.cmd.filter.empty()
                       ? std::string("state = \"DEAD\"")
                       : absl::StrCat("state = \"DEAD\" AND (", call.cmd.filter, ")"));
  }
  NotifyClient& c = *call.notify;
  return ShowList(call, c.connection(), c.stub(), &Stub::ListDispatches, std::move(req),
                  PrintDispatchesTable);
}

int DispatchesShow(const Call& call) {
  nv1::GetDispatchRequest req;
  req.set_name(NotifyResourceName("dispatches", call.operands[0]));
  NotifyClient& c = *call.notify;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::GetDispatch, req,
                     [&](const nv1::Dispatch& d) { PrintDispatch(d, call.out); });
}

int DispatchesRedeliver(const Call& call) {
  nv1::RedeliverRequest req;
  req.set_name(NotifyResourceName("dispatches", call.operands[0]));
  NotifyClient& c = *call.notify;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::Redeliver, req,
                     [&](const nv1::Dispatch& d) {
                       call.out << d.name() << ": " << nv1::DispatchState_Name(d.state())
                                << ", to be sent again with the same id\n";
                     });
}

}  // namespace

void AddEndpointsVerbs(VerbTable& table) {
  table.Add({.noun = "endpoints",
             .verb = "create",
             .synopsis = "FILE [--secret_file=FILE|-]",
             .help = "an endpoint from a YAML/JSON file (Endpoint fields);\n"
                     "the secret from a file or stdin, never printed (a\n"
                     "webhook's secret, when none is given, is made and\n"
                     "shown once)",
             .usage = "usage: chainctl endpoints create FILE [--secret_file=FILE|-]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kNotify,
             .run = EndpointsCreate});
  table.Add({.noun = "endpoints",
             .verb = "list",
             .synopsis = "[--filter='recipient = \"…\"'] [--all]",
             .help = "endpoints, their state and secret's fingerprint",
             .usage = "endpoints list takes no arguments",
             .needs = Needs::kNotify,
             .run = EndpointsList});
  table.Add({.noun = "endpoints",
             .verb = "show",
             .synopsis = "ENDPOINT",
             .help = "one endpoint (whether a secret is set, not the secret)",
             .usage = "usage: chainctl endpoints show ENDPOINT",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kNotify,
             .run = EndpointsShow});
  table.Add({.noun = "endpoints",
             .verb = "update",
             .synopsis = "ENDPOINT FILE [--secret_file=FILE|-]",
             .help = "changes the fields the file sets (the secret only\n"
                     "with --secret_file); the rest stay",
             .usage = "usage: chainctl endpoints update ENDPOINT FILE [--secret_file=FILE|-]",
             .min_operands = 2,
             .max_operands = 2,
             .needs = Needs::kNotify,
             .run = EndpointsUpdate});
  table.Add({.noun = "endpoints",
             .verb = "delete",
             .synopsis = "ENDPOINT",
             .help = "deletes an endpoint; its queued dispatches go dead",
             .usage = "usage: chainctl endpoints delete ENDPOINT",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kNotify,
             .run = EndpointsDelete});
  table.Add({.noun = "endpoints",
             .verb = "rotate",
             .synopsis = "ENDPOINT [--secret_file=FILE|-] [--previous_valid_hours=24]",
             .help = "a new secret (made and shown once for a webhook when\n"
                     "none is given); the old one stays valid that long",
             .usage = "usage: chainctl endpoints rotate ENDPOINT [--secret_file=FILE|-]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kNotify,
             .run = EndpointsRotate});
  table.Add({.noun = "endpoints",
             .verb = "resume",
             .synopsis = "ENDPOINT",
             .help = "a paused endpoint sends again, oldest dispatch first",
             .usage = "usage: chainctl endpoints resume ENDPOINT",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kNotify,
             .run = EndpointsResume});
}

void AddDispatchesVerbs(VerbTable& table) {
  table.Add({.noun = "dispatches",
             .verb = "list",
             .synopsis = "[--dead] [--filter='endpoint = \"…\"'] [--all]",
             .help = "messages to endpoints, newest first; --dead: the\n"
                     "dead-letter list",
             .usage = "dispatches list takes no arguments",
             .needs = Needs::kNotify,
             .run = DispatchesList});
  table.Add({.noun = "dispatches",
             .verb = "show",
             .synopsis = "DISPATCH",
             .help = "one dispatch and its attempts, newest first",
             .usage = "usage: chainctl dispatches show DISPATCH",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kNotify,
             .run = DispatchesShow});
  table.Add({.noun = "dispatches",
             .verb = "redeliver",
             .synopsis = "DISPATCH",
             .help = "sends a dead (or queued) dispatch again, with the same\n"
                     "id for the receiver to deduplicate on",
             .usage = "usage: chainctl dispatches redeliver DISPATCH",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kNotify,
             .run = DispatchesRedeliver});
}

}  // namespace chainhub::chainctl
