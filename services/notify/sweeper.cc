// Overdue deliveries and the escalation of supervision letters (sweeper.h).
#include "services/notify/sweeper.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "chainhub/notify/v1/notify_events.pb.h"
#include "common/base/ids.h"
#include "common/base/log.h"
#include "common/base/utf8.h"
#include "common/rpc/system_principal.h"
#include "common/service/resource.h"
#include "services/notify/internal_support.h"
#include "services/notify/names.h"
#include "services/notify/notices.h"

namespace chainhub::notify {

using internal::kSource;

namespace {

constexpr char kSystemSubject[] = "systems/notify";

const Principal& SweeperPrincipal() {
  static const Principal* principal = new Principal(SystemPrincipal(kSystemSubject));
  return *principal;
}

// The alert to the leader's office about `letter`, which `unsigned_by` have not signed.
v1::Notice EscalationOf(const v1::Notice& letter, const std::vector<std::string>& unsigned_by,
                        const std::string& leader) {
  v1::Notice n;
  n.set_kind(v1::ALERT);
  n.set_title(Utf8Prefix(absl::StrCat("【逾期未签收】", letter.title()), kMaxTitleChars));
  std::string body = absl::StrCat("督办函「**", letter.title(), "**」（", letter.name(),
                                  "）签收期限已过，以下单位仍未签收，请链长办公室督促：\n\n");
  for (const std::string& r : unsigned_by) absl::StrAppend(&body, "- ", r, "\n");
  absl::StrAppend(&body, "\n原发送：", letter.sender(), "\n");
  n.set_body(Utf8Prefix(body, kMaxBodyChars));
  n.add_recipients(leader);
  n.set_about(letter.about());
  n.set_chain(letter.chain());
  return n;
}

}  // namespace

absl::StatusOr<NotifyService::SweepResult> NotifyService::SweepOnce(int batch) {
  SweepResult result;
  const std::string method = "notify.sweep";
  CHAINHUB_RETURN_IF_ERROR(Mutate([&](SqlTx& tx, NotifyTx& db) -> absl::Status {
    result = SweepResult();
    const absl::Time now = clock_.Now();
    CHAINHUB_ASSIGN_OR_RETURN(
        auto due,
        tx.Query("SELECT notice_id, id FROM deliveries WHERE receipt_required = 1 AND "
                 "deadline_us > 0 AND deadline_us < $1 AND state IN ($2, $3) "
                 "ORDER BY deadline_us LIMIT $4",
                 {Micros(now), int64_t{v1::DELIVERED}, int64_t{v1::READ}, int64_t{batch}}));
    for (const SqlRow& row : due) {
      CHAINHUB_ASSIGN_OR_RETURN(
          int64_t changed,
          tx.Exec("UPDATE deliveries SET state = $3, revision = revision + 1, update_us = $4 "
                  "WHERE notice_id = $1 AND id = $2 AND state IN ($5, $6)",
                  {row.Text(0), row.Text(1), int64_t{v1::OVERDUE}, Micros(now),
                   int64_t{v1::DELIVERED}, int64_t{v1::READ}}));
      if (changed != 1) continue;
      CHAINHUB_ASSIGN_OR_RETURN(v1::Delivery d, db.GetDelivery(row.Text(0), row.Text(1)));
      const AuthorizedCall call{SweeperPrincipal(), d.name(), method};
      const std::string chain_id(absl::StripPrefix(d.chain(), "chains/"));
      CHAINHUB_RETURN_IF_ERROR(RecordMutation(
          tx, call,
          NewEvent(kSource, call, v1::NOTIFY_EVENT_DELIVERY_OVERDUE, d.name(), chain_id, now, d),
          "overdue", now));
      ++result.overdue;
    }

    // Supervision letters of a chain with an overdue delivery not yet escalated.
    CHAINHUB_ASSIGN_OR_RETURN(
        auto letters,
        tx.Query("SELECT DISTINCT notice_id FROM deliveries WHERE state = $1 AND escalated = 0 "
                 "AND kind = $2 AND chain != '' LIMIT $3",
                 {int64_t{v1::OVERDUE}, int64_t{v1::SUPERVISION}, int64_t{batch}}));
    for (const SqlRow& row : letters) {
      const std::string notice_id = row.Text(0);
      CHAINHUB_RETURN_IF_ERROR(
          tx.Exec("UPDATE deliveries SET escalated = 1, revision = revision + 1, update_us = $2 "
                  "WHERE notice_id = $1 AND state = $3 AND escalated = 0",
                  {notice_id, Micros(now), int64_t{v1::OVERDUE}})
              .status());
      CHAINHUB_ASSIGN_OR_RETURN(
          auto done, tx.Query("SELECT 1 FROM escalations WHERE notice_id = $1", {notice_id}));
      if (!done.empty()) continue;  // escalated once already; later overdue ones are marked only
      CHAINHUB_ASSIGN_OR_RETURN(v1::Notice letter, db.GetNotice(notice_id));
      CHAINHUB_ASSIGN_OR_RETURN(
          auto open,
          tx.Query("SELECT recipient FROM deliveries WHERE notice_id = $1 AND state IN "
                   "($2, $3, $4) ORDER BY seq",
                   {notice_id, int64_t{v1::DELIVERED}, int64_t{v1::READ}, int64_t{v1::OVERDUE}}));
      std::vector<std::string> unsigned_by;
      for (const SqlRow& r : open) unsigned_by.push_back(r.Text(0));
      const std::string chain_id(absl::StripPrefix(letter.chain(), "chains/"));
      CHAINHUB_ASSIGN_OR_RETURN(
          Recipient leader,
          Recipient::Parse("recipient", absl::StrCat("chains/", chain_id, "/leader")));
      auto checked = CheckNotice(EscalationOf(letter, unsigned_by, leader.String()), now);
      if (!checked.ok()) return checked.status();
      const std::string id = NewUuidV7(now);
      v1::Notice alert = checked->notice;
      alert.set_name(NoticeName{id}.String());
      alert.set_sender(kSystemSubject);
      CHAINHUB_ASSIGN_OR_RETURN(v1::Notice made,
                                MakeNotice(tx, db, id, alert, checked->recipients, now));
      CHAINHUB_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO escalations (notice_id, escalation, create_us) VALUES ($1, $2, $3)",
                  {notice_id, made.name(), Micros(now)})
              .status());
      const AuthorizedCall call{SweeperPrincipal(), letter.name(), method};
      CHAINHUB_RETURN_IF_ERROR(RecordMutation(
          tx, call,
          NewEvent(kSource, call, v1::NOTIFY_EVENT_NOTICE_SENT, made.name(), chain_id, now, made),
          absl::StrCat("escalation of ", letter.name()), now));
      ++result.escalated;
    }
    return absl::OkStatus();
  }));
  return result;
}

Sweeper::Sweeper(NotifyService* service, SweeperOptions options)
    : service_(service), options_(std::move(options)) {}

Sweeper::~Sweeper() { Stop(); }

void Sweeper::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Sweeper::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Sweeper::Run() {
  while (true) {
    absl::StatusOr<NotifyService::SweepResult> swept = service_->SweepOnce();
    if (!swept.ok()) {
      LogWarn("notify: sweeping overdue deliveries", {{"error", swept.status().ToString()}});
    } else if (swept->overdue > 0 || swept->escalated > 0) {
      LogInfo("notify: swept", {{"overdue", swept->overdue}, {"escalated", swept->escalated}});
    }
    absl::StatusOr<int> digests = service_->FlushDigests();
    if (!digests.ok()) {
      LogWarn("notify: flushing digests", {{"error", digests.status().ToString()}});
    } else if (*digests > 0) {
      LogInfo("notify: digests sent", {{"notices", *digests}});
    }
    absl::MutexLock lock(&mu_);
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_; };
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping), options_.interval)) return;
  }
}

}  // namespace chainhub::notify
