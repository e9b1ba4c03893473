#include "tools/bench/notify_bench.h"

#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "chainhub/notify/v1/notify.grpc.pb.h"
#include "common/cache/redis_client.h"
#include "common/events/cloud_event.h"
#include "common/events/outbox.h"
#include "tools/bench/load_engine.h"

namespace chainhub::bench {
namespace {

namespace v1 = notify::v1;
namespace iv1 = intake::v1;

constexpr int kFanoutRecipients = 1000;
// Notices sent to every watcher, one after another.
constexpr int kWatchNotices = 10;
constexpr int kFanoutSamples = 20;
constexpr double kEventRate = 100;
// Recipients of the burst, each with its own endpoint (an endpoint takes at most 6,000 a minute).
constexpr int kBurstRecipients = 20;
constexpr absl::Duration kArrivalTimeout = absl::Seconds(60);

// A local HTTP server taking webhooks: when each arrived, by the `about` of its delivery (the
// event's subject) and in total.
class Receiver {
 public:
  Receiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      const absl::Time now = absl::Now();
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      std::string about;
      if (!body.is_discarded() && body["data"].contains("about")) {
        about = body["data"]["about"].get<std::string>();
      }
      {
        absl::MutexLock lock(&mu_);
        ++count_;
        if (!about.empty()) arrived_.emplace(about, now);
        last_ = now;
      }
      res.set_content("ok", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  std::string Url() const { return absl::StrCat("http://127.0.0.1:", port_, "/hook"); }

  // Waits until `n` webhooks arrived in total; false after kArrivalTimeout.
  bool WaitForCount(int n) {
    absl::MutexLock lock(&mu_);
    auto enough = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return count_ >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), kArrivalTimeout);
  }
  int count() {
    absl::MutexLock lock(&mu_);
    return count_;
  }
  absl::Time last() {
    absl::MutexLock lock(&mu_);
    return last_;
  }
  std::map<std::string, absl::Time> arrived() {
    absl::MutexLock lock(&mu_);
    return arrived_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  int count_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time last_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, absl::Time> arrived_ ABSL_GUARDED_BY(mu_);
};

class NotifyCaller {
 public:
  NotifyCaller(const std::shared_ptr<grpc::Channel>& channel, std::string authorization)
      : stub_(v1::Notifier::NewStub(channel)), authorization_(std::move(authorization)) {}

  template <typename Req, typename Resp>
  absl::Status operator()(grpc::Status (v1::Notifier::Stub::*method)(grpc::ClientContext*,
                                                                     const Req&, Resp*),
                          const Req& req, Resp* resp, const char* what) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", authorization_);
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    grpc::Status s = (stub_.get()->*method)(&ctx, req, resp);
    if (!s.ok()) return absl::UnavailableError(absl::StrCat(what, ": ", s.error_message()));
    return absl::OkStatus();
  }

 private:
  std::unique_ptr<v1::Notifier::Stub> stub_;
  std::string authorization_;
};

absl::Status MakeEndpoint(NotifyCaller& call, const std::string& id, const std::string& recipient,
                          const std::string& url) {
  v1::CreateEndpointRequest req;
  v1::Endpoint* e = req.mutable_endpoint();
  e->set_name("endpoints/" + id);
  e->set_recipient(recipient);
  e->set_channel(v1::WEBHOOK);
  e->set_url(url);
  e->set_rate_per_minute(6000);
  v1::Endpoint made;
  return call(&v1::Notifier::Stub::CreateEndpoint, req, &made, "CreateEndpoint");
}

v1::SendNoticeRequest Notice(const std::string& request_id, int recipients,
                             const std::string& prefix) {
  v1::SendNoticeRequest req;
  v1::Notice* n = req.mutable_notice();
  n->set_kind(v1::NOTICE);
  n->set_title("调度通知（压测）");
  n->set_body("请各单位按时报送本月项目进展。");
  for (int i = 0; i < recipients; ++i) n->add_recipients(absl::StrCat("departments/", prefix, i));
  req.set_request_id(request_id);
  return req;
}

absl::StatusOr<LatencyFigures> MeasureFanout(NotifyCaller& call, const std::string& run) {
  std::vector<absl::Duration> samples;
  for (int i = 0; i < kFanoutSamples; ++i) {
    const absl::Time start = absl::Now();
    v1::Notice sent;
    if (auto s = call(&v1::Notifier::Stub::SendNotice,
                      Notice(absl::StrCat(run, "-fanout-", i), kFanoutRecipients, "fan"), &sent,
                      "SendNotice");
        !s.ok()) {
      return s;
    }
    samples.push_back(absl::Now() - start);
    if (sent.delivery_count() != kFanoutRecipients) {
      return absl::InternalError(absl::StrCat("a notice to ", kFanoutRecipients, " made ",
                                              sent.delivery_count(), " deliveries"));
    }
  }
  return Summarize(std::move(samples));
}

absl::StatusOr<LatencyFigures> MeasureEventToWebhook(NotifyCaller& call, Receiver& receiver,
                                                     const std::string& redis_address,
                                                     const std::string& run, int events) {
  if (auto s = MakeEndpoint(call, "bench-events", "departments/bench-events", receiver.Url());
      !s.ok()) {
    return s;
  }
  v1::CreateSubscriptionRequest sub;
  v1::Subscription* s = sub.mutable_subscription();
  s->set_name("subscriptions/bench-red-light");
  s->add_event_types("project.light_changed");
  s->set_filter("light = \"RED\"");
  s->add_recipient_sources(v1::FIXED);
  s->add_recipients("departments/bench-events");
  s->set_kind(v1::ALERT);
  v1::Subscription made;
  if (auto st = call(&v1::Notifier::Stub::CreateSubscription, sub, &made, "CreateSubscription");
      !st.ok()) {
    return st;
  }
  absl::StatusOr<RedisOptions> options = ParseRedisAddress(redis_address);
  if (!options.ok()) return options.status();
  RedisClient redis(*options);
  std::map<std::string, absl::Time> published;
  const int before = receiver.count();
  const absl::Time start = absl::Now();
  for (int i = 0; i < events; ++i) {
    absl::SleepFor(start + absl::Seconds(i / kEventRate) - absl::Now());
    iv1::Project p;
    p.set_name(absl::StrCat("projects/", run, "-", i));
    p.set_display_name(absl::StrCat("压测项目", i));
    p.set_chain("chains/pv");
    p.set_light(iv1::LIGHT_RED);
    CloudEvent e =
        MakeCloudEvent("intake", EventKindDescriptor(iv1::INTAKE_EVENT_PROJECT_LIGHT_CHANGED),
                       p.name(), "chains/pv", absl::Now(), p);
    e.set_id(absl::StrCat(run, "-event-", i));
    published[p.name()] = absl::Now();
    auto reply = redis.Command({"XADD", std::string(kEventStream), "*", "id", e.id(), "type",
                                e.type(), "event", e.SerializeAsString()});
    if (!reply.ok()) return reply.status();
  }
  if (!receiver.WaitForCount(before + events)) {
    return absl::DeadlineExceededError(absl::StrCat(receiver.count() - before, " of ", events,
                                                    " event webhooks arrived within ",
                                                    absl::FormatDuration(kArrivalTimeout)));
  }
  const auto arrived = receiver.arrived();
  std::vector<absl::Duration> samples;
  for (const auto& [about, at] : published) {
    auto it = arrived.find(about);
    if (it != arrived.end()) samples.push_back(it->second - at);
  }
  return Summarize(std::move(samples));
}

// `watchers` departments each watching their own inbox (WatchInbox, one stream each, over a few
// channels), then kWatchNotices notices to all of them: from each SendNotice call until each
// watcher has the delivery.
absl::StatusOr<LatencyFigures> MeasureWatchers(
    NotifyCaller& call, const std::string& target, const std::string& run, int watchers,
    const std::function<absl::StatusOr<std::string>(const std::string&)>& department_token) {
  const std::vector<std::shared_ptr<grpc::Channel>> channels = MakeChannels(target, 4);
  struct Watcher {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<v1::WatchInboxResponse>> reader;
    std::thread thread;
  };
  absl::Mutex mu;
  // Arrival times by notice title, one per watcher.
  std::map<std::string, std::vector<absl::Time>> arrived;
  std::vector<std::unique_ptr<Watcher>> open;
  auto close_all = [&] {
    for (auto& w : open) w->context.TryCancel();
    for (auto& w : open) {
      if (w->thread.joinable()) w->thread.join();
    }
  };
  std::vector<std::unique_ptr<v1::Notifier::Stub>> stubs;
  for (const auto& channel : channels) stubs.push_back(v1::Notifier::NewStub(channel));
  for (int i = 0; i < watchers; ++i) {
    absl::StatusOr<std::string> token = department_token(absl::StrCat("departments/watch", i));
    if (!token.ok()) {
      close_all();
      return token.status();
    }
    auto w = std::make_unique<Watcher>();
    w->context.AddMetadata("authorization", "Bearer " + *token);
    v1::WatchInboxRequest req;
    req.set_heartbeat_seconds(60);
    w->reader = stubs[static_cast<size_t>(i) % stubs.size()]->WatchInbox(&w->context, req);
    Watcher* raw = w.get();
    w->thread = std::thread([raw, &mu, &arrived] {
      v1::WatchInboxResponse resp;
      while (raw->reader->Read(&resp)) {
        if (!resp.has_delivery()) continue;
        const absl::Time now = absl::Now();
        absl::MutexLock lock(&mu);
        arrived[resp.delivery().title()].push_back(now);
      }
      raw->reader->Finish().IgnoreError();
    });
    open.push_back(std::move(w));
  }
  // Waits until every watcher has the notice titled `title`.
  auto everyone_has = [&](const std::string& title) {
    absl::MutexLock lock(&mu);
    auto all = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      auto it = arrived.find(title);
      return it != arrived.end() && static_cast<int>(it->second.size()) >= watchers;
    };
    return mu.AwaitWithTimeout(absl::Condition(&all), kArrivalTimeout);
  };
  auto send = [&](const std::string& title) -> absl::Status {
    v1::SendNoticeRequest req = Notice(absl::StrCat(run, "-", title), watchers, "watch");
    req.mutable_notice()->set_title(title);
    v1::Notice sent;
    return call(&v1::Notifier::Stub::SendNotice, req, &sent, "SendNotice");
  };
  // Every stream is open once a first notice reached all of them (a stream starts from the
  // moment the server has it: a notice sent before that is not on it).
  bool ready = false;
  for (int attempt = 0; attempt < 20 && !ready; ++attempt) {
    const std::string title = absl::StrCat("watch-warmup-", attempt);
    if (absl::Status s = send(title); !s.ok()) {
      close_all();
      return s;
    }
    absl::MutexLock lock(&mu);
    auto all = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      auto it = arrived.find(title);
      return it != arrived.end() && static_cast<int>(it->second.size()) >= watchers;
    };
    ready = mu.AwaitWithTimeout(absl::Condition(&all), absl::Seconds(2));
  }
  if (!ready) {
    close_all();
    return absl::DeadlineExceededError(
        absl::StrCat("not all ", watchers, " WatchInbox streams were open after 20 notices"));
  }
  std::vector<absl::Duration> samples;
  for (int k = 0; k < kWatchNotices; ++k) {
    const std::string title = absl::StrCat("watch-", k);
    const absl::Time start = absl::Now();
    if (absl::Status s = send(title); !s.ok()) {
      close_all();
      return s;
    }
    if (!everyone_has(title)) {
      close_all();
      return absl::DeadlineExceededError(absl::StrCat(title, " did not reach every watcher"));
    }
    absl::MutexLock lock(&mu);
    for (absl::Time at : arrived[title]) samples.push_back(at - start);
  }
  close_all();
  return Summarize(std::move(samples));
}

}  // namespace

absl::StatusOr<NotifyFigures> MeasureNotify(
    const std::string& target, const std::string& authorization, const std::string& redis_address,
    int events, int watchers,
    const std::function<absl::StatusOr<std::string>(const std::string&)>& department_token) {
  const std::shared_ptr<grpc::Channel> notify = MakeChannels(target, 1)[0];
  NotifyCaller call(notify, authorization);
  Receiver receiver;
  const std::string run = absl::StrCat("b", absl::ToUnixMillis(absl::Now()));
  NotifyFigures figures;
  figures.fanout_recipients = kFanoutRecipients;
  absl::StatusOr<LatencyFigures> fanout = MeasureFanout(call, run);
  if (!fanout.ok()) return fanout.status();
  figures.fanout = *fanout;

  // The consumer group is made at notify's start, so events published from here on are read.
  figures.event_rate = kEventRate;
  absl::StatusOr<LatencyFigures> latency =
      MeasureEventToWebhook(call, receiver, redis_address, run, events);
  if (!latency.ok()) return latency.status();
  figures.event_to_webhook = *latency;

  for (int r = 0; r < kBurstRecipients; ++r) {
    if (auto s = MakeEndpoint(call, absl::StrCat("bench-burst-", r),
                              absl::StrCat("departments/burst", r), receiver.Url());
        !s.ok()) {
      return s;
    }
  }
  const int notices = std::max(1, events / kBurstRecipients);
  const int before = receiver.count();
  const absl::Time start = absl::Now();
  for (int i = 0; i < notices; ++i) {
    v1::Notice sent;
    if (auto s = call(&v1::Notifier::Stub::SendNotice,
                      Notice(absl::StrCat(run, "-burst-", i), kBurstRecipients, "burst"), &sent,
                      "SendNotice");
        !s.ok()) {
      return s;
    }
  }
  figures.webhooks = notices * kBurstRecipients;
  if (!receiver.WaitForCount(before + figures.webhooks)) {
    return absl::DeadlineExceededError(absl::StrCat(receiver.count() - before, " of ",
                                                    figures.webhooks, " burst webhooks arrived"));
  }
  const double seconds = absl::ToDoubleSeconds(receiver.last() - start);
  figures.webhooks_per_second = seconds > 0 ? figures.webhooks / seconds : 0;

  if (watchers > 0) {
    figures.watchers = watchers;
    absl::StatusOr<LatencyFigures> watch =
        MeasureWatchers(call, target, run, watchers, department_token);
    if (!watch.ok()) return watch.status();
    figures.watch = *watch;
  }
  return figures;
}

}  // namespace chainhub::bench
