#include "common/events/group_position.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace chainhub {

absl::StatusOr<std::string> StreamPosition(RedisClient& redis, const std::string& stream) {
  auto reply = redis.Command({"XREVRANGE", stream, "+", "-", "COUNT", "1"});
  if (!reply.ok()) return reply.status();
  if (reply->type == RedisReply::Type::kError) {
    return absl::InternalError(absl::StrCat("reading the stream's position: ", reply->str));
  }
  if (reply->elements.empty() || reply->elements[0].elements.empty()) return std::string("0-0");
  return reply->elements[0].elements[0].str;
}

absl::Status PlaceGroup(RedisClient& redis, const std::string& stream, const std::string& group,
                        const std::string& position) {
  auto created = redis.Command({"XGROUP", "CREATE", stream, group, position, "MKSTREAM"});
  if (!created.ok()) return created.status();
  if (created->type != RedisReply::Type::kError) return absl::OkStatus();
  if (!absl::StartsWith(created->str, "BUSYGROUP")) {
    return absl::InternalError(absl::StrCat("creating consumer group ", group, ": ", created->str));
  }
  auto moved = redis.Command({"XGROUP", "SETID", stream, group, position});
  if (!moved.ok()) return moved.status();
  if (moved->type == RedisReply::Type::kError) {
    return absl::InternalError(absl::StrCat("moving consumer group ", group, ": ", moved->str));
  }
  return absl::OkStatus();
}

}  // namespace chainhub
