#include "services/notify/outgoing.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/service/resource.h"

namespace chainhub::notify {

std::string KindLabel(v1::NoticeKind kind) {
  switch (kind) {
    case v1::NOTICE:
      return "通知";
    case v1::REMINDER:
      return "提醒";
    case v1::ALERT:
      return "预警";
    case v1::SUPERVISION:
      return "督办";
    default:
      return "通知";
  }
}

std::string BeijingTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M", t, ChinaTimeZone());
}

std::string RenderMarkdown(const v1::Delivery& delivery) {
  std::string text =
      absl::StrCat("#### 【", KindLabel(delivery.kind()), "】", delivery.title(), "\n\n");
  if (!delivery.body().empty()) absl::StrAppend(&text, delivery.body(), "\n\n");
  if (delivery.receipt_required() && delivery.has_receipt_deadline()) {
    absl::StrAppend(&text, "- 签收期限：",
                    BeijingTime(absl::FromUnixMicros(TimestampMicros(delivery.receipt_deadline()))),
                    "（北京时间）\n");
  }
  if (!delivery.about().empty()) absl::StrAppend(&text, "- 事项：", delivery.about(), "\n");
  if (!delivery.sender().empty()) absl::StrAppend(&text, "- 发送：", delivery.sender(), "\n");
  absl::StrAppend(&text, "- 编号：", delivery.name(), "\n");
  return text;
}

std::string WebhookJson(const v1::Delivery& delivery, absl::Time now) {
  std::string data;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  // A Delivery always converts (no Any, no unknown enum values).
  (void)google::protobuf::util::MessageToJsonString(delivery, &data, options);
  return absl::StrCat(R"({"type":"notify.delivery","timestamp":")",
                      absl::FormatTime(absl::RFC3339_sec, now, absl::UTCTimeZone()), R"(","data":)",
                      data, "}");
}

OutgoingMessage MessageFor(const v1::Delivery& delivery, absl::Time now) {
  OutgoingMessage m;
  m.deliveries = {delivery.name()};
  m.recipient = delivery.recipient();
  m.kind = delivery.kind();
  m.title = absl::StrCat("【", KindLabel(delivery.kind()), "】", delivery.title());
  m.markdown = RenderMarkdown(delivery);
  m.webhook_json = WebhookJson(delivery, now);
  return m;
}

}  // namespace chainhub::notify
