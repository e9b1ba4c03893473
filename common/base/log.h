// Structured logging: one JSON object per line on stderr ({"ts","level","msg",…fields}).
// stdout is kept for the one line a service prints when it serves ("listening on HOST:PORT").
#ifndef CHAINHUB_COMMON_LOG_H_
#define CHAINHUB_COMMON_LOG_H_

#include <nlohmann/json.hpp>

#include "absl/strings/string_view.h"

namespace chainhub {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

void SetLogLevel(LogLevel level);
// Parses "debug", "info", "warn", "error"; false when unknown.
bool ParseLogLevel(absl::string_view text, LogLevel* level);
void Log(LogLevel level, absl::string_view msg, nlohmann::json fields = nlohmann::json::object());

inline void LogInfo(absl::string_view msg, nlohmann::json fields = nlohmann::json::object()) {
  Log(LogLevel::kInfo, msg, std::move(fields));
}
inline void LogWarn(absl::string_view msg, nlohmann::json fields = nlohmann::json::object()) {
  Log(LogLevel::kWarn, msg, std::move(fields));
}
inline void LogError(absl::string_view msg, nlohmann::json fields = nlohmann::json::object()) {
  Log(LogLevel::kError, msg, std::move(fields));
}

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_LOG_H_
