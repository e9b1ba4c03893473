#include "common/metrics.h"

#include <array>
#include <cstdio>

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace chainhub {
namespace {

constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,     10};

std::string EscapeLabelValue(absl::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string LabelText(const MetricLabels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    if (!out.empty()) out.push_back(',');
    absl::StrAppend(&out, k, "=\"", EscapeLabelValue(v), "\"");
  }
  return out;
}

std::string FormatValue(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

std::string Series(absl::string_view name, absl::string_view labels, absl::string_view extra = "") {
  std::string all(labels);
  if (!extra.empty()) {
    if (!all.empty()) all.push_back(',');
    all.append(extra.data(), extra.size());
  }
  if (all.empty()) return std::string(name);
  return absl::StrCat(name, "{", all, "}");
}

}  // namespace

MetricsRegistry& MetricsRegistry::Global() {
  static MetricsRegistry* registry = new MetricsRegistry();
  return *registry;
}

void MetricsRegistry::Describe(absl::string_view name, absl::string_view type,
                               absl::string_view help) {
  absl::MutexLock lock(&mu_);
  auto& f = families_[std::string(name)];
  f.type = std::string(type);
  f.help = std::string(help);
}

void MetricsRegistry::Add(absl::string_view name, const MetricLabels& labels, double delta) {
  std::string key = LabelText(labels);
  absl::MutexLock lock(&mu_);
  auto it = families_.find(name);
  if (it == families_.end())
    it = families_.emplace(std::string(name), Family{"counter", "", {}, {}}).first;
  it->second.values[key] += delta;
}

void MetricsRegistry::Set(absl::string_view name, const MetricLabels& labels, double value) {
  std::string key = LabelText(labels);
  absl::MutexLock lock(&mu_);
  auto it = families_.find(name);
  if (it == families_.end())
    it = families_.emplace(std::string(name), Family{"gauge", "", {}, {}}).first;
  it->second.values[key] = value;
}

void MetricsRegistry::Observe(absl::string_view name, const MetricLabels& labels, double seconds) {
  std::string key = LabelText(labels);
  absl::MutexLock lock(&mu_);
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{"histogram", "", {}, {}}).first;
  }
  Histogram& h = it->second.histograms[key];
  if (h.counts.empty()) h.counts.assign(kBuckets.size(), 0);
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      h.counts[i] += 1;
      break;
    }
  }
  h.sum += seconds;
  h.count += 1;
}

void MetricsRegistry::AddCollector(std::function<void()> collector) {
  absl::MutexLock lock(&mu_);
  collectors_.push_back(std::move(collector));
}

double MetricsRegistry::Value(absl::string_view name, const MetricLabels& labels) {
  std::string key = LabelText(labels);
  absl::MutexLock lock(&mu_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  auto v = it->second.values.find(key);
  return v == it->second.values.end() ? 0 : v->second;
}

std::string MetricsRegistry::Render() {
  std::vector<std::function<void()>> collectors;
  {
    absl::MutexLock lock(&mu_);
    collectors = collectors_;
  }
  for (auto& c : collectors) c();
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& [name, f] : families_) {
    if (!f.help.empty()) absl::StrAppend(&out, "# HELP ", name, " ", f.help, "\n");
    absl::StrAppend(&out, "# TYPE ", name, " ", f.type, "\n");
    for (const auto& [labels, v] : f.values) {
      absl::StrAppend(&out, Series(name, labels), " ", FormatValue(v), "\n");
    }
    for (const auto& [labels, h] : f.histograms) {
      double cumulative = 0;
      const std::string bucket = absl::StrCat(name, "_bucket");
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += h.counts[i];
        absl::StrAppend(
            &out, Series(bucket, labels, absl::StrCat("le=\"", FormatValue(kBuckets[i]), "\"")),
            " ", FormatValue(cumulative), "\n");
      }
      absl::StrAppend(&out, Series(bucket, labels, "le=\"+Inf\""), " ", FormatValue(h.count), "\n");
      absl::StrAppend(&out, Series(absl::StrCat(name, "_sum"), labels), " ", FormatValue(h.sum),
                      "\n");
      absl::StrAppend(&out, Series(absl::StrCat(name, "_count"), labels), " ", FormatValue(h.count),
                      "\n");
    }
  }
  return out;
}

MetricsServer::MetricsServer() : server_(std::make_unique<httplib::Server>()) {}

MetricsServer::~MetricsServer() { Stop(); }

absl::StatusOr<int> MetricsServer::Start(absl::string_view listen) {
  std::vector<std::string> parts = absl::StrSplit(listen, absl::MaxSplits(':', 1));
  int port = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[1], &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError("--metrics_listen: must be HOST:PORT");
  }
  server_->Get("/metrics", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(MetricsRegistry::Global().Render(), "text/plain; version=0.0.4");
  });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  int bound = port;
  if (port == 0) {
    bound = server_->bind_to_any_port(parts[0]);
    if (bound < 0) return absl::UnavailableError("--metrics_listen: cannot bind");
  } else if (!server_->bind_to_port(parts[0], port)) {
    return absl::UnavailableError(absl::StrCat("--metrics_listen: cannot bind ", listen));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return bound;
}

void MetricsServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace chainhub
