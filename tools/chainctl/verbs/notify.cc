// notices (send, list, show) and inbox (list, read, ack, watch): chainhub.notify.v1.Notifier.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/digest.h"
#include "tools/chainctl/notify_client.h"
#include "tools/chainctl/render.h"
#include "tools/chainctl/text_table.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

namespace nv1 = notify::v1;
using Stub = NotifyClient::Stub;

std::optional<nv1::NoticeKind> ParseNoticeKind(absl::string_view text) {
  const std::string k = absl::AsciiStrToLower(text);
  if (k == "notice" || k == "通知") return nv1::NOTICE;
  if (k == "reminder" || k == "提醒") return nv1::REMINDER;
  if (k == "alert" || k == "预警") return nv1::ALERT;
  if (k == "supervision" || k == "督办") return nv1::SUPERVISION;
  return std::nullopt;
}

std::string KindText(nv1::NoticeKind kind) {
  switch (kind) {
    case nv1::NOTICE:
      return "通知";
    case nv1::REMINDER:
      return "提醒";
    case nv1::ALERT:
      return "预警";
    case nv1::SUPERVISION:
      return "督办";
    default:
      return "-";
  }
}

std::string StateText(nv1::DeliveryState state) {
  switch (state) {
    case nv1::PENDING:
      return "待送达";
    case nv1::DELIVERED:
      return "未读";
    case nv1::READ:
      return "已读";
    case nv1::ACKNOWLEDGED:
      return "已签收";
    case nv1::OVERDUE:
      return "逾期未签收";
    default:
      return "-";
  }
}

// --deadline: YYYY-MM-DD (the end of that day, China time) or an RFC 3339 instant.
std::optional<absl::Time> ParseDeadline(absl::string_view text) {
  absl::Time t;
  std::string err;
  const absl::TimeZone china = absl::FixedTimeZone(8 * 3600);
  if (absl::ParseTime("%Y-%m-%d", text, china, &t, &err)) return t + absl::Hours(24) - absl::Seconds(1);
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err)) return t;
  return std::nullopt;
}

std::string NoticeArg(absl::string_view arg) {
  return absl::StartsWith(arg, "notices/") ? std::string(arg) : absl::StrCat("notices/", arg);
}

void PrintNotice(const nv1::Notice& n, std::ostream& out) {
  KeyValueList kv;
  kv.Add("名称", n.name());
  kv.Add("类型", KindText(n.kind()));
  kv.Add("标题", n.title());
  kv.Add("发送方", n.sender());
  if (!n.chain().empty()) kv.Add("产业链", n.chain());
  if (!n.about().empty()) kv.Add("关于", n.about());
  if (n.receipt_required()) kv.Add("签收期限", FormatTimestamp(n.receipt_deadline()));
  kv.Add("送达", absl::StrCat(n.delivery_count(), " (已读 ", n.read_count(), ", 已签收 ",
                            n.acknowledged_count(), ", 逾期 ", n.overdue_count(), ")"));
  kv.Print(out);
  if (!n.body().empty()) out << "\n" << n.body() << "\n";
}

void PrintDeliveries(const nv1::ListDeliveriesResponse& resp, std::ostream& out) {
  TextTable table({"接收方", "状态", "签收人", "签收时间", "签收意见"});
  for (const auto& d : resp.deliveries()) {
    std::string state = StateText(d.state());
    if (d.late()) absl::StrAppend(&state, " (逾期)");
    table.AddRow({d.recipient(), state, d.acknowledged_by(),
                  d.has_acknowledge_time() ? FormatTimestamp(d.acknowledge_time()) : "",
                  std::vector<std::string>(absl::StrSplit(d.acknowledge_note(), '\n'))[0]});
  }
  table.Print(out);
}

void PrintInbox(const nv1::ListInboxResponse& resp, std::ostream& out) {
  TextTable table({"送达时间", "类型", "标题", "状态", "签收期限", "DELIVERY"});
  for (const auto& d : resp.deliveries()) {
    table.AddRow({FormatTimestamp(d.deliver_time()), KindText(d.kind()), d.title(),
                  StateText(d.state()),
                  d.receipt_required() ? FormatTimestamp(d.receipt_deadline()) : "",
                  d.name()});
  }
  table.Print(out);
  out << "未读 " << resp.unread_count() << "\n";
}

int NoticesSend(const Call& call) {
  const CommandLine& cmd = call.cmd;
  nv1::SendNoticeRequest req;
  nv1::Notice* n = req.mutable_notice();
  std::optional<nv1::NoticeKind> kind = ParseNoticeKind(cmd.kind.empty() ? "notice" : cmd.kind);
  if (!kind) {
    return Usage(call.err, absl::StrCat("--kind: must be notice, reminder, alert or supervision "
                                        "(通知, 提醒, 预警, 督办), got \"", cmd.kind, "\""));
  }
  n->set_kind(*kind);
  if (cmd.title.empty()) return Usage(call.err, "--title: required");
  if (cmd.to.empty()) return Usage(call.err, "--to: required (comma-separated recipients)");
  n->set_title(cmd.title);
  n->set_body(cmd.description);
  for (absl::string_view r : absl::StrSplit(cmd.to, ',', absl::SkipWhitespace())) {
    n->add_recipients(std::string(absl::StripAsciiWhitespace(r)));
  }
  n->set_chain(cmd.chain);
  n->set_about(cmd.subject);
  if (!cmd.deadline.empty()) {
    std::optional<absl::Time> deadline = ParseDeadline(cmd.deadline);
    if (!deadline) {
      return Usage(call.err, absl::StrCat("--deadline: must be YYYY-MM-DD or an RFC 3339 time, "
                                          "got \"", cmd.deadline, "\""));
    }
    n->set_receipt_required(true);
    n->mutable_receipt_deadline()->set_seconds(absl::ToUnixSeconds(*deadline));
  }
  // The same command sent again is the same notice (a retry, not a second one).
  req.set_request_id(absl::StrCat("notice-", Sha256Hex(n->SerializeAsString()).substr(0, 32)));
  NotifyClient& c = *call.notify;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::SendNotice, req,
                     [&](const nv1::Notice& sent) { PrintNotice(sent, call.out); });
}

int NoticesList(const Call& call) {
  NotifyClient& c = *call.notify;
  nv1::ListNoticesRequest req;
  req.set_filter(call.cmd.filter);
  req.set_page_size(call.cmd.list_page_size());
  req.set_page_token(call.cmd.page_token);
  return ListAndShow(call, c.connection(), c.stub(), &Stub::ListNotices, req,
                     [&](const nv1::ListNoticesResponse& resp) {
                       TextTable table({"发送时间", "类型", "标题", "送达", "已签收", "NOTICE"});
                       for (const auto& n : resp.notices()) {
                         table.AddRow({FormatTimestamp(n.create_time()), KindText(n.kind()),
                                       n.title(), absl::StrCat(n.delivery_count()),
                                       absl::StrCat(n.acknowledged_count()), n.name()});
                       }
                       table.Print(call.out);
                       PrintNextPage(resp.next_page_token(), call.err);
                     });
}

int NoticesShow(const Call& call) {
  NotifyClient& c = *call.notify;
  nv1::GetNoticeRequest get;
  get.set_name(NoticeArg(call.operands[0]));
  nv1::Notice notice;
  grpc::Status status = CallUnary(c.connection(), c.stub(), &Stub::GetNotice, get, &notice);
  if (!status.ok()) return call.RpcError(status);
  nv1::ListDeliveriesRequest list;
  list.set_parent(notice.name());
  list.set_filter(call.cmd.filter);
  list.set_page_size(1000);
  nv1::ListDeliveriesResponse deliveries;
  status = FetchPages(c.connection(), c.stub(), &Stub::ListDeliveries, list, true, &deliveries);
  if (!status.ok()) return call.RpcError(status);
  if (call.cmd.json()) {
    call.out << ToJson(notice) << ToJson(deliveries);
    return kExitOk;
  }
  PrintNotice(notice, call.out);
  call.out << "\n";
  PrintDeliveries(deliveries, call.out);
  return kExitOk;
}

int InboxList(const Call& call) {
  NotifyClient& c = *call.notify;
  nv1::ListInboxRequest req;
  req.set_filter(call.cmd.filter);
  req.set_page_size(call.cmd.list_page_size());
  req.set_page_token(call.cmd.page_token);
  return ListAndShow(call, c.connection(), c.stub(), &Stub::ListInbox, req,
                     [&](const nv1::ListInboxResponse& resp) {
                       PrintInbox(resp, call.out);
                       PrintNextPage(resp.next_page_token(), call.err);
                     });
}

void PrintDelivery(const nv1::Delivery& d, std::ostream& out) {
  out << d.name() << ": " << StateText(d.state()) << (d.late() ? " (逾期)" : "") << "\n";
}

int InboxRead(const Call& call) {
  NotifyClient& c = *call.notify;
  nv1::MarkReadRequest req;
  req.set_name(call.operands[0]);
  return CallAndShow(call, c.connection(), c.stub(), &Stub::MarkRead, req,
                     [&](const nv1::Delivery& d) { PrintDelivery(d, call.out); });
}

int InboxAck(const Call& call) {
  NotifyClient& c = *call.notify;
  nv1::AcknowledgeDeliveryRequest req;
  req.set_name(call.operands[0]);
  req.set_note(call.cmd.note);
  return CallAndShow(call, c.connection(), c.stub(), &Stub::AcknowledgeDelivery, req,
                     [&](const nv1::Delivery& d) { PrintDelivery(d, call.out); });
}

// One line per message: the cursor first, so that a user can resume from it.
void PrintWatchMessage(const nv1::WatchInboxResponse& m, std::ostream& out) {
  if (!m.has_delivery()) {
    out << "cursor=" << m.cursor() << "  (无新消息)\n";
    return;
  }
  const nv1::Delivery& d = m.delivery();
  out << "cursor=" << m.cursor() << "  " << FormatTimestamp(d.deliver_time()) << "  "
      << KindText(d.kind()) << "  " << d.title() << "  " << StateText(d.state());
  if (d.receipt_required()) out << "  签收期限 " << FormatTimestamp(d.receipt_deadline());
  out << "  " << d.name() << "\n";
}

int InboxWatch(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (cmd.cursor < 0) {
    return Usage(call.err, "--cursor: must be 0 (from now on) or a cursor printed earlier");
  }
  if (cmd.max_deliveries < 0) return Usage(call.err, "--max: must not be negative");
  NotifyClient& c = *call.notify;
  nv1::WatchInboxRequest req;
  req.set_cursor(cmd.cursor);
  req.set_heartbeat_seconds(cmd.heartbeat);
  grpc::ClientContext ctx;
  c.connection().Prepare(&ctx);
  // A watch lasts until interrupted: --timeout bounds single calls, not this one.
  ctx.set_deadline(std::chrono::system_clock::time_point::max());
  std::unique_ptr<grpc::ClientReader<nv1::WatchInboxResponse>> reader =
      c.stub().WatchInbox(&ctx, req);
  nv1::WatchInboxResponse m;
  int64_t cursor = cmd.cursor;
  int deliveries = 0;
  while (reader->Read(&m)) {
    cursor = m.cursor();
    if (cmd.json()) {
      call.out << ToJson(m);
    } else {
      PrintWatchMessage(m, call.out);
    }
    call.out.flush();
    if (m.has_delivery() && cmd.max_deliveries > 0 && ++deliveries >= cmd.max_deliveries) {
      ctx.TryCancel();
      (void)reader->Finish();
      return kExitOk;
    }
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok() && cursor > 0) {
    call.err << "resume with: chainctl inbox watch --cursor=" << cursor << "\n";
  }
  return status.ok() ? kExitOk : call.RpcError(status);
}

}  // namespace

void AddNoticesVerbs(VerbTable& table) {
  table.Add({.noun = "notices",
             .verb = "send",
             .synopsis = "--to=RECIPIENT,… --title=… [--description=BODY]\n"
                         "[--kind=notice|reminder|alert|supervision] [--chain=pv]\n"
                         "[--subject=ABOUT] [--deadline=YYYY-MM-DD]",
             .help = "sends a notice; --deadline requires each recipient to\n"
                     "sign (签收) by the end of that day (supervision always\n"
                     "does); sending the same again is a retry, not a second one",
             .usage = "usage: chainctl notices send --to=RECIPIENT,… --title=… [--kind=…] "
                      "[--deadline=YYYY-MM-DD]",
             .needs = Needs::kNotify,
             .run = NoticesSend});
  table.Add({.noun = "notices",
             .verb = "list",
             .synopsis = "[--filter=…] [--all]",
             .help = "the notices the caller sent (admin: every notice), newest first",
             .usage = "notices list takes no arguments",
             .needs = Needs::kNotify,
             .run = NoticesList});
  table.Add({.noun = "notices",
             .verb = "show",
             .synopsis = "NOTICE [--filter='state != \"ACKNOWLEDGED\"']",
             .help = "the notice and each recipient's delivery: who has and\n"
                     "has not signed",
             .usage = "usage: chainctl notices show NOTICE",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kNotify,
             .run = NoticesShow});
}

void AddInboxVerbs(VerbTable& table) {
  table.Add({.noun = "inbox",
             .verb = "list",
             .synopsis = "[--filter='state = \"DELIVERED\"'] [--all]",
             .help = "the caller's deliveries, newest first, and how many are unread",
             .usage = "inbox list takes no arguments",
             .needs = Needs::kNotify,
             .run = InboxList});
  table.Add({.noun = "inbox",
             .verb = "read",
             .synopsis = "DELIVERY",
             .help = "marks a delivery read",
             .usage = "usage: chainctl inbox read DELIVERY",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kNotify,
             .run = InboxRead});
  table.Add({.noun = "inbox",
             .verb = "ack",
             .synopsis = "DELIVERY [--note=…]",
             .help = "signs for a delivery (签收) with a note; again with the\n"
                     "same note changes nothing",
             .usage = "usage: chainctl inbox ack DELIVERY [--note=…]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kNotify,
             .run = InboxAck});
  table.Add({.noun = "inbox",
             .verb = "watch",
             .synopsis = "[--cursor=N] [--heartbeat=SECONDS] [--max=N]",
             .help = "streams new deliveries as they arrive, one line each\n"
                     "with its cursor (a heartbeat line while idle); resume\n"
                     "after a disconnect with --cursor=<the last one printed>;\n"
                     "Ctrl-C ends, as does --max deliveries",
             .usage = "inbox watch takes no arguments",
             .needs = Needs::kNotify,
             .run = InboxWatch});
}

}  // namespace chainhub::chainctl
