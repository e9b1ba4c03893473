// chainhub-notify: notifications. Wiring only: flags → host → dispatcher → service → serve.
#include <cstdio>
#include <string>
#include <vector>

#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/log.h"
#include "common/events/event_consumer.h"
#include "common/service/flags.h"
#include "common/service/server.h"
#include "services/notify/delivery/dispatcher.h"
#include "services/notify/notify_service.h"
#include "services/notify/sweeper.h"

ABSL_FLAG(std::string, endpoint_allow, "",
          "comma-separated URL prefixes an endpoint's URL must start with, e.g. "
          "https://oapi.dingtalk.com/robot/send,https://qyapi.weixin.qq.com/ (empty: no endpoint "
          "may be created) (env CHAINHUB_ENDPOINT_ALLOW)");
ABSL_FLAG(int, dispatch_workers, 4,
          "concurrent sends to endpoints (env CHAINHUB_DISPATCH_WORKERS)");
ABSL_FLAG(absl::Duration, sweep_interval, absl::Seconds(30),
          "how often deliveries past their receipt deadline are marked overdue and unsigned "
          "supervision letters escalated (env CHAINHUB_SWEEP_INTERVAL)");
ABSL_FLAG(absl::Duration, dispatch_timeout, absl::Seconds(10),
          "connect and total timeout of every send to an endpoint (env "
          "CHAINHUB_DISPATCH_TIMEOUT)");

namespace chainhub {
const std::vector<Migration>& NotifyMigrations();
}  // namespace chainhub

namespace {

int Fail(absl::string_view what, const absl::Status& s) {
  chainhub::LogError(std::string(what), {{"error", std::string(s.message())}});
  std::fprintf(stderr, "chainhub-notify: %s\n", std::string(s.message()).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  chainhub::BlockTerminationSignals();
  chainhub::ParseFlagsWithEnv(argc, argv,
                              "chainhub-notify: notifications (notices, deliveries and receipts, "
                              "the inbox)");
  auto config = chainhub::ServerConfigFromFlags("notify");
  if (!config.ok()) {
    std::fprintf(stderr, "chainhub-notify: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  chainhub::ServiceHost host(*config);
  if (absl::Status s = host.Init("notify", chainhub::NotifyMigrations()); !s.ok()) {
    return Fail("cannot start", s);
  }
  if (absl::Status s =
          host.store()->Migrate("notify_delivery", chainhub::notify::Dispatcher::Migrations());
      !s.ok()) {
    return Fail("cannot start", s);
  }
  const chainhub::Clock& clock = chainhub::Clock::Real();
  chainhub::notify::DispatcherOptions dispatch;
  for (absl::string_view prefix :
       absl::StrSplit(absl::GetFlag(FLAGS_endpoint_allow), ',', absl::SkipWhitespace())) {
    dispatch.allow.emplace_back(prefix);
  }
  dispatch.workers = absl::GetFlag(FLAGS_dispatch_workers);
  dispatch.attempt_timeout = absl::GetFlag(FLAGS_dispatch_timeout);
  char hostname[256] = {0};
  gethostname(hostname, sizeof(hostname) - 1);
  // A holder that survives a restart, so the restarted process frees its own leases at once
  // instead of waiting for them to run out.
  dispatch.holder = absl::StrCat(hostname, ":", config->data_dir.empty() ? "db" : config->data_dir);
  chainhub::notify::Dispatcher dispatcher(host.store(), host.relay(), dispatch, clock);

  chainhub::notify::NotifyService service(host.store(), host.relay(), clock, &dispatcher);
  host.AddService(&service, chainhub::notify::v1::Notifier::service_full_name());

  // Rules on events: the `notify` group reads only what is published from its first start on
  // (notices are about now, not about history).
  chainhub::EventConsumerOptions consumer_options;
  consumer_options.group = "notify";
  consumer_options.start_id = "$";
  consumer_options.inbox_retention = config->event_retention;
  // A name that survives a restart, so the restarted process takes back its own pending entries.
  consumer_options.consumer =
      absl::StrCat(hostname, ":", config->data_dir.empty() ? "db" : config->data_dir);
  consumer_options.on_committed = [&service] { service.Committed(); };
  chainhub::EventConsumer rules(host.store(), host.redis(), consumer_options,
                                service.RuleHandlers());

  chainhub::notify::SweeperOptions sweep;
  sweep.interval = absl::GetFlag(FLAGS_sweep_interval);
  chainhub::notify::Sweeper sweeper(&service, sweep);

  host.OnDrain([&service] { service.DrainWatches(); });
  dispatcher.Start();
  rules.Start();
  sweeper.Start();
  absl::Status served = host.Run();
  sweeper.Stop();
  rules.Stop();
  dispatcher.Stop();
  if (!served.ok()) return Fail("serving failed", served);
  return 0;
}
