#include "common/base/metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <prometheus/text_serializer.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace chainhub {
namespace {

const prometheus::Histogram::BucketBoundaries& Buckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

prometheus::Labels ToLabels(const MetricLabels& labels) {
  return prometheus::Labels(labels.begin(), labels.end());
}

prometheus::MetricFamily Single(std::string name, std::string help, prometheus::MetricType type,
                                double value) {
  prometheus::MetricFamily family{std::move(name), std::move(help), type, {}};
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
  return family;
}

// The standard process metrics (as the Prometheus client libraries name them), read from /proc.
std::vector<prometheus::MetricFamily> ProcessMetrics() {
  std::vector<prometheus::MetricFamily> out;
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may hold spaces.
  const size_t close = stat.rfind(')');
  if (close != std::string::npos) {
    std::vector<std::string> f = absl::StrSplit(stat.substr(close + 2), ' ', absl::SkipEmpty());
    // f[0] is field 3 (state): utime 14, stime 15, num_threads 20, starttime 22, vsize 23, rss 24.
    const long ticks = sysconf(_SC_CLK_TCK);
    const long page = sysconf(_SC_PAGESIZE);
    double utime = 0, stime = 0, threads = 0, start = 0, vsize = 0, rss = 0;
    if (f.size() > 21 && absl::SimpleAtod(f[11], &utime) && absl::SimpleAtod(f[12], &stime) &&
        absl::SimpleAtod(f[17], &threads) && absl::SimpleAtod(f[19], &start) &&
        absl::SimpleAtod(f[20], &vsize) && absl::SimpleAtod(f[21], &rss)) {
      double boot = 0;
      std::ifstream proc_stat("/proc/stat");
      for (std::string line; std::getline(proc_stat, line);) {
        if (line.rfind("btime ", 0) == 0) (void)absl::SimpleAtod(line.substr(6), &boot);
      }
      out.push_back(Single("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                           prometheus::MetricType::Counter, (utime + stime) / ticks));
      out.push_back(Single("process_start_time_seconds",
                           "Start time of the process since unix epoch in seconds.",
                           prometheus::MetricType::Gauge, boot + start / ticks));
      out.push_back(Single("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                           prometheus::MetricType::Gauge, vsize));
      out.push_back(Single("process_resident_memory_bytes", "Resident memory size in bytes.",
                           prometheus::MetricType::Gauge, rss * page));
      out.push_back(Single("process_threads", "Number of OS threads in the process.",
                           prometheus::MetricType::Gauge, threads));
    }
  }
  // The resident memory only the process holds (heap, stacks, SQLite's page caches): what the
  // kernel cannot drop, so what a container's limit is to be watched against. The rest of
  // process_resident_memory_bytes is file-backed (the binary, the mapped database files).
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    double kib = 0;
    if (line.rfind("RssAnon:", 0) == 0 &&
        absl::SimpleAtod(absl::StripSuffix(absl::StripAsciiWhitespace(line.substr(8)), " kB"),
                         &kib)) {
      out.push_back(Single("chainhub_process_anonymous_memory_bytes",
                           "Resident memory that is the process's own (RssAnon): the heap, "
                           "stacks and SQLite page caches, not the mapped files.",
                           prometheus::MetricType::Gauge, kib * 1024));
    }
  }
  if (DIR* dir = opendir("/proc/self/fd")) {
    double fds = 0;
    while (readdir(dir) != nullptr) ++fds;
    closedir(dir);
    out.push_back(Single("process_open_fds", "Number of open file descriptors.",
                         prometheus::MetricType::Gauge, fds - 3));  // ".", "..", the dir itself
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    out.push_back(Single("process_max_fds", "Maximum number of open file descriptors.",
                         prometheus::MetricType::Gauge, static_cast<double>(limit.rlim_cur)));
  }
  return out;
}

}  // namespace

// What the exposer collects: the registry's families after the collectors ran, and the process.
class MetricsRegistry::Collector : public prometheus::Collectable {
 public:
  explicit Collector(MetricsRegistry* owner) : owner_(owner) {}
  std::vector<prometheus::MetricFamily> Collect() const override {
    owner_->RunCollectors();
    std::vector<prometheus::MetricFamily> out = owner_->registry_->Collect();
    for (auto& family : ProcessMetrics()) out.push_back(std::move(family));
    return out;
  }

 private:
  MetricsRegistry* owner_;
};

MetricsRegistry& MetricsRegistry::Global() {
  static MetricsRegistry* registry = new MetricsRegistry();
  return *registry;
}

MetricsRegistry::MetricsRegistry()
    : registry_(std::make_shared<prometheus::Registry>()),
      collectable_(std::make_shared<Collector>(this)) {}

MetricsRegistry::AnyFamily MetricsRegistry::FamilyLocked(absl::string_view name,
                                                         absl::string_view type,
                                                         absl::string_view help) {
  auto it = families_.find(name);
  if (it != families_.end()) return it->second;
  AnyFamily family;
  const std::string n(name), h(help);
  if (type == "counter") {
    family = &prometheus::BuildCounter().Name(n).Help(h).Register(*registry_);
  } else if (type == "gauge") {
    family = &prometheus::BuildGauge().Name(n).Help(h).Register(*registry_);
  } else {
    family = &prometheus::BuildHistogram().Name(n).Help(h).Register(*registry_);
  }
  families_.emplace(n, family);
  return family;
}

template <typename T>
prometheus::Family<T>* MetricsRegistry::Find(absl::string_view name, absl::string_view type) {
  absl::MutexLock lock(&mu_);
  AnyFamily family = FamilyLocked(name, type, "");
  auto* typed = std::get_if<prometheus::Family<T>*>(&family);
  return typed == nullptr ? nullptr : *typed;
}

void MetricsRegistry::Describe(absl::string_view name, absl::string_view type,
                               absl::string_view help) {
  absl::MutexLock lock(&mu_);
  FamilyLocked(name, type, help);
}

void MetricsRegistry::Add(absl::string_view name, const MetricLabels& labels, double delta) {
  if (auto* family = Find<prometheus::Counter>(name, "counter")) {
    family->Add(ToLabels(labels)).Increment(delta);
  } else if (auto* gauge = Find<prometheus::Gauge>(name, "gauge")) {
    gauge->Add(ToLabels(labels)).Increment(delta);
  }
}

void MetricsRegistry::Set(absl::string_view name, const MetricLabels& labels, double value) {
  if (auto* family = Find<prometheus::Gauge>(name, "gauge")) family->Add(ToLabels(labels)).Set(value);
}

void MetricsRegistry::Observe(absl::string_view name, const MetricLabels& labels, double seconds) {
  if (auto* family = Find<prometheus::Histogram>(name, "histogram")) {
    family->Add(ToLabels(labels), Buckets()).Observe(seconds);
  }
}

void MetricsRegistry::AddCollector(std::function<void()> collector) {
  absl::MutexLock lock(&mu_);
  collectors_.push_back(std::move(collector));
}

void MetricsRegistry::RunCollectors() {
  std::vector<std::function<void()>> collectors;
  {
    absl::MutexLock lock(&mu_);
    collectors = collectors_;
  }
  for (auto& c : collectors) c();
}

double MetricsRegistry::Value(absl::string_view name, const MetricLabels& labels) {
  RunCollectors();
  AnyFamily family;
  {
    absl::MutexLock lock(&mu_);
    auto it = families_.find(name);
    if (it == families_.end()) return 0;
    family = it->second;
  }
  const prometheus::Labels key = ToLabels(labels);
  if (auto* counters = std::get_if<prometheus::Family<prometheus::Counter>*>(&family)) {
    return (*counters)->Has(key) ? (*counters)->Add(key).Value() : 0;
  }
  if (auto* gauges = std::get_if<prometheus::Family<prometheus::Gauge>*>(&family)) {
    return (*gauges)->Has(key) ? (*gauges)->Add(key).Value() : 0;
  }
  return 0;
}

std::string MetricsRegistry::Render() {
  return prometheus::TextSerializer().Serialize(collectable_->Collect());
}

}  // namespace chainhub
