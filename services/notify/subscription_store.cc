#include "services/notify/subscription_store.h"

#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/notify/names.h"

namespace chainhub::notify {

namespace {

constexpr char kColumns[] =
    "SELECT s.data, s.revision, s.create_us, s.update_us, s.id FROM "
    "subscriptions s";

absl::StatusOr<v1::Subscription> SubscriptionOf(const SqlRow& r) {
  CHAINHUB_ASSIGN_OR_RETURN(auto s, DecodeResource<v1::Subscription>(r.Bytes(0)));
  SetVersion(&s, r.Int(1), r.Int(2), r.Int(3));
  return s;
}

}  // namespace

const std::map<std::string, FilterField>& SubscriptionFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"event_type",
       {FilterField::Type::kString,
        "",
        "EXISTS (SELECT 1 FROM subscription_types t WHERE t.subscription = s.id AND t.type = {})",
        true,
        {FilterOp::kEq, FilterOp::kNe, FilterOp::kHas},
        nullptr}},
      {"disabled", BoolFilter("s.disabled")},
      {"digest", EnumFilter("s.digest", v1::DigestMode_descriptor(), "")},
  };
  return *fields;
}

absl::Status SubscriptionsTx::Insert(const std::string& id, const v1::Subscription& s,
                                     absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query("SELECT 1 FROM subscriptions WHERE id = $1", {id}));
  if (!rows.empty()) return AlreadyExists("Subscription", SubscriptionName{id}.String());
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO subscriptions (id, disabled, digest, data, revision, create_us, "
               "update_us) VALUES ($1, $2, $3, $4, 1, $5, $5)",
               {id, int64_t{s.disabled() ? 1 : 0}, int64_t{s.digest()}, Blob{EncodeResource(s)},
                Micros(now)})
          .status());
  return WriteTypes(id, s);
}

absl::StatusOr<v1::Subscription> SubscriptionsTx::Get(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(absl::StrCat(kColumns, " WHERE s.id = $1"), {id}));
  if (rows.empty()) return NotFound("Subscription", SubscriptionName{id}.String());
  return SubscriptionOf(rows[0]);
}

absl::Status SubscriptionsTx::Update(const std::string& id, const v1::Subscription& s,
                                     absl::Time now) {
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("UPDATE subscriptions SET disabled = $2, digest = $3, data = $4, "
               "revision = revision + 1, update_us = $5 WHERE id = $1",
               {id, int64_t{s.disabled() ? 1 : 0}, int64_t{s.digest()}, Blob{EncodeResource(s)},
                Micros(now)})
          .status());
  return WriteTypes(id, s);
}

absl::Status SubscriptionsTx::Delete(const std::string& id) {
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("DELETE FROM subscription_types WHERE subscription = $1", {id}).status());
  return tx_.Exec("DELETE FROM subscriptions WHERE id = $1", {id}).status();
}

absl::StatusOr<std::vector<Keyed<v1::Subscription>>> SubscriptionsTx::List(const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  const std::string sql = kColumns + PageClause(q, &params, {}, {false});
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Subscription>> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Subscription s, SubscriptionOf(r));
    out.push_back({std::move(s), {r.Text(4)}});
  }
  return out;
}

absl::StatusOr<std::vector<v1::Subscription>> SubscriptionsTx::EnabledFor(const std::string& type) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query(absl::StrCat(kColumns,
                                        " JOIN subscription_types t ON t.subscription = s.id "
                                        "WHERE t.type = $1 AND s.disabled = 0 ORDER BY s.id"),
                           {type}));
  std::vector<v1::Subscription> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Subscription s, SubscriptionOf(r));
    out.push_back(std::move(s));
  }
  return out;
}

absl::Status SubscriptionsTx::WriteTypes(const std::string& id, const v1::Subscription& s) {
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("DELETE FROM subscription_types WHERE subscription = $1", {id}).status());
  for (const std::string& type : s.event_types()) {
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("INSERT INTO subscription_types (type, subscription) VALUES ($1, $2)", {type, id})
            .status());
  }
  return absl::OkStatus();
}

}  // namespace chainhub::notify
