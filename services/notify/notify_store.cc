#include "services/notify/notify_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/notify/names.h"
#include "services/notify/notices.h"

namespace chainhub::notify {

namespace {

constexpr char kDeliveryColumns[] =
    "SELECT d.seq, d.notice_id, d.id, d.recipient, d.state, d.late, d.escalated, d.deliver_us, "
    "d.read_us, d.acknowledge_us, d.acknowledged_by, d.acknowledge_note, d.revision, "
    "d.update_us, n.data FROM deliveries d JOIN notices n ON n.id = d.notice_id";

absl::StatusOr<v1::Delivery> DeliveryOf(const SqlRow& r) {
  v1::Notice notice;
  if (!notice.ParseFromString(r.Bytes(14)))
    return absl::DataLossError("stored notice does not decode");
  v1::Delivery d;
  d.set_name(DeliveryName{r.Text(1), r.Text(2)}.String());
  d.set_recipient(r.Text(3));
  d.set_state(static_cast<v1::DeliveryState>(r.Int(4)));
  d.set_late(r.Int(5) != 0);
  d.set_escalated(r.Int(6) != 0);
  SetTimestamp(d.mutable_deliver_time(), r.Int(7));
  if (r.Int(8) != 0) SetTimestamp(d.mutable_read_time(), r.Int(8));
  if (r.Int(9) != 0) SetTimestamp(d.mutable_acknowledge_time(), r.Int(9));
  d.set_acknowledged_by(r.Text(10));
  d.set_acknowledge_note(r.Text(11));
  d.set_etag(MakeEtag(r.Int(7), r.Int(12)));
  d.set_cursor(r.Int(0));
  CopyNoticeInto(notice, &d);
  return d;
}

// " AND recipient IN ($n, …)" as a condition, its values appended to `params`.
std::string RecipientIn(const std::vector<std::string>& recipients, std::vector<SqlValue>* params) {
  std::vector<std::string> marks;
  for (const std::string& r : recipients) {
    params->push_back(r);
    marks.push_back(absl::StrCat("$", params->size()));
  }
  return absl::StrCat("d.recipient IN (", absl::StrJoin(marks, ", "), ")");
}

}  // namespace

const std::map<std::string, FilterField>& DeliveryFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"state", EnumFilter("d.state", v1::DeliveryState_descriptor(), "")},
      {"kind", EnumFilter("d.kind", v1::NoticeKind_descriptor(), "")},
      {"chain", ChainFilter("d.chain")},
      {"recipient", StringFilter("d.recipient")},
      {"about", StringFilter("d.about")},
      {"receipt_required", BoolFilter("d.receipt_required")},
      {"late", BoolFilter("d.late")},
  };
  return *fields;
}

const std::map<std::string, FilterField>& NoticeFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"kind", EnumFilter("kind", v1::NoticeKind_descriptor(), "")},
      {"chain", ChainFilter("chain")},
      {"sender", StringFilter("sender")},
      {"about", StringFilter("about")},
      {"create_time", IntFilter("create_us")},
  };
  return *fields;
}

absl::Status NotifyTx::InsertNotice(const std::string& id, const v1::Notice& notice,
                                    absl::Time now) {
  v1::Notice stored = notice;
  stored.clear_delivery_count();
  stored.clear_read_count();
  stored.clear_acknowledged_count();
  stored.clear_overdue_count();
  SetTimestamp(stored.mutable_create_time(), Micros(now));
  std::string chain;
  if (!notice.chain().empty()) chain = std::string(absl::StripPrefix(notice.chain(), "chains/"));
  return tx_
      .Exec(
          "INSERT INTO notices (id, sender, chain, kind, about, create_us, data) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {id, notice.sender(), chain, int64_t{notice.kind()}, notice.about(), Micros(now),
           Blob{stored.SerializeAsString()}})
      .status();
}

absl::StatusOr<v1::Notice> NotifyTx::GetNotice(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query("SELECT data FROM notices WHERE id = $1", {id}));
  if (rows.empty()) return NotFound("Notice", NoticeName{id}.String());
  v1::Notice notice;
  if (!notice.ParseFromString(rows[0].Bytes(0))) {
    return absl::DataLossError("stored notice does not decode");
  }
  CHAINHUB_ASSIGN_OR_RETURN(auto counts, StateCounts(id));
  int32_t total = 0;
  for (const auto& [state, n] : counts) total += n;
  notice.set_delivery_count(total);
  notice.set_read_count(counts["READ"] + counts["ACKNOWLEDGED"]);
  notice.set_acknowledged_count(counts["ACKNOWLEDGED"]);
  notice.set_overdue_count(counts["OVERDUE"]);
  return notice;
}

absl::StatusOr<std::vector<Keyed<v1::Notice>>> NotifyTx::ListNotices(const std::string& sender,
                                                                     const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  std::vector<std::string> conditions;
  if (!sender.empty()) {
    params.push_back(sender);
    conditions.push_back(absl::StrCat("sender = $", params.size()));
  }
  const std::string sql = "SELECT id FROM notices" + PageClause(q, &params, conditions, {false});
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Notice>> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Notice notice, GetNotice(r.Text(0)));
    out.push_back({std::move(notice), {r.Text(0)}});
  }
  return out;
}

absl::StatusOr<int64_t> NotifyTx::ReserveSeqs(int n) {
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("UPDATE delivery_seq SET last = last + $1 WHERE id = 1", {int64_t{n}}).status());
  CHAINHUB_ASSIGN_OR_RETURN(SqlRow row, tx_.QueryOne("SELECT last FROM delivery_seq WHERE id = 1"));
  return row.Int(0) - n + 1;
}

absl::Status NotifyTx::InsertDelivery(const std::string& notice_id, const std::string& id,
                                      const std::string& recipient, int64_t seq,
                                      const v1::Notice& notice, absl::Time now) {
  const int64_t deadline_us =
      notice.has_receipt_deadline() ? TimestampMicros(notice.receipt_deadline()) : 0;
  std::string chain(absl::StripPrefix(notice.chain(), "chains/"));
  return tx_
      .Exec(
          "INSERT INTO deliveries (seq, notice_id, id, recipient, state, kind, chain, about, "
          "receipt_required, deadline_us, late, escalated, deliver_us, read_us, "
          "acknowledge_us, acknowledged_by, acknowledge_note, revision, update_us) VALUES ($1, "
          "$2, $3, $4, $5, $6, $7, $8, $9, $10, 0, 0, $11, 0, 0, '', '', 1, $11)",
          {seq, notice_id, id, recipient, int64_t{v1::DELIVERED}, int64_t{notice.kind()}, chain,
           notice.about(), int64_t{notice.receipt_required() ? 1 : 0}, deadline_us, Micros(now)})
      .status();
}

absl::StatusOr<v1::Delivery> NotifyTx::GetDelivery(const std::string& notice_id,
                                                   const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query(absl::StrCat(kDeliveryColumns, " WHERE d.notice_id = $1 AND d.id = $2"),
                           {notice_id, id}));
  if (rows.empty()) return NotFound("Delivery", DeliveryName{notice_id, id}.String());
  return DeliveryOf(rows[0]);
}

absl::Status NotifyTx::UpdateDelivery(const std::string& notice_id, const std::string& id,
                                      const DeliveryChange& c, absl::Time now) {
  return tx_
      .Exec(
          "UPDATE deliveries SET state = $3, read_us = $4, acknowledge_us = $5, "
          "acknowledged_by = $6, acknowledge_note = $7, late = $8, revision = revision + 1, "
          "update_us = $9 WHERE notice_id = $1 AND id = $2",
          {notice_id, id, int64_t{c.state}, c.read_us, c.acknowledge_us, c.acknowledged_by,
           c.acknowledge_note, int64_t{c.late ? 1 : 0}, Micros(now)})
      .status();
}

absl::StatusOr<std::vector<Keyed<v1::Delivery>>> NotifyTx::QueryDeliveries(
    const std::vector<std::string>& conditions, std::vector<SqlValue> params, const PageQuery& q,
    const std::vector<bool>& numeric) {
  const std::string sql = kDeliveryColumns + PageClause(q, &params, conditions, numeric);
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Delivery>> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Delivery d, DeliveryOf(r));
    out.push_back({std::move(d), {absl::StrCat(r.Int(0))}});
  }
  return out;
}

absl::StatusOr<std::vector<Keyed<v1::Delivery>>> NotifyTx::ListDeliveries(
    const std::string& notice_id, const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  params.push_back(notice_id);
  return QueryDeliveries({absl::StrCat("d.notice_id = $", params.size())}, params, q, {true});
}

absl::StatusOr<std::map<std::string, int32_t>> NotifyTx::StateCounts(const std::string& notice_id) {
  std::map<std::string, int32_t> counts;
  const auto* states = v1::DeliveryState_descriptor();
  for (int i = 0; i < states->value_count(); ++i) {
    if (states->value(i)->number() != 0) counts[states->value(i)->name()] = 0;
  }
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query("SELECT state, COUNT(*) FROM deliveries WHERE notice_id = $1 GROUP BY state",
                {notice_id}));
  for (const auto& r : rows) {
    const auto* value = states->FindValueByNumber(static_cast<int>(r.Int(0)));
    if (value != nullptr) counts[value->name()] = static_cast<int32_t>(r.Int(1));
  }
  return counts;
}

absl::StatusOr<std::vector<Keyed<v1::Delivery>>> NotifyTx::ListInbox(
    const std::vector<std::string>& recipients, const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  std::vector<std::string> conditions;
  if (!recipients.empty()) conditions.push_back(RecipientIn(recipients, &params));
  return QueryDeliveries(conditions, params, q, {true});
}

absl::StatusOr<int32_t> NotifyTx::UnreadCount(const std::vector<std::string>& recipients) {
  std::vector<SqlValue> params = {int64_t{v1::DELIVERED}};
  std::string sql = "SELECT COUNT(*) FROM deliveries d WHERE d.state = $1";
  if (!recipients.empty()) absl::StrAppend(&sql, " AND ", RecipientIn(recipients, &params));
  CHAINHUB_ASSIGN_OR_RETURN(SqlRow row, tx_.QueryOne(sql, params));
  return static_cast<int32_t>(row.Int(0));
}

absl::StatusOr<int64_t> NotifyTx::LastSeq() {
  CHAINHUB_ASSIGN_OR_RETURN(SqlRow row, tx_.QueryOne("SELECT last FROM delivery_seq WHERE id = 1"));
  return row.Int(0);
}

absl::StatusOr<std::vector<v1::Delivery>> NotifyTx::DeliveriesAfter(
    int64_t after_seq, const std::vector<std::string>& recipients, int limit) {
  std::vector<SqlValue> params = {after_seq};
  std::string sql = absl::StrCat(kDeliveryColumns, " WHERE d.seq > $1");
  if (!recipients.empty()) absl::StrAppend(&sql, " AND ", RecipientIn(recipients, &params));
  params.push_back(int64_t{limit});
  absl::StrAppend(&sql, " ORDER BY d.seq LIMIT $", params.size());
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<v1::Delivery> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Delivery d, DeliveryOf(r));
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace chainhub::notify
