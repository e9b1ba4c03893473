#include "tools/chainctl/cli_util.h"

#include <algorithm>
#include <iostream>

#include <unistd.h>

namespace chainhub::chainctl {

int Usage(std::ostream& err, absl::string_view problem) {
  err << "chainctl: " << problem << "\nrun `chainctl help` for every command and flag\n";
  return kExitUsage;
}

void PrintNextPage(const std::string& token, std::ostream& err) {
  if (!token.empty()) err << "more results: --page_token=" << token << " (or --all)\n";
}

absl::StatusOr<std::unique_ptr<Connection>> OpenRegistry(const CommandLine& cmd) {
  return Connection::Open(cmd.client, cmd.client.registry_target.empty()
                                          ? cmd.client.target
                                          : cmd.client.registry_target);
}

absl::StatusOr<std::unique_ptr<Connection>> OpenRegistryBriefly(const CommandLine& cmd) {
  CommandLine quick = cmd;
  quick.client.timeout = std::min(quick.client.timeout, absl::Seconds(3));
  return OpenRegistry(quick);
}

DepartmentNames LoadDepartmentNames(Connection& c) {
  DepartmentNames names;
  registry::v1::ListDepartmentsRequest req;
  req.set_page_size(1000);
  registry::v1::ListDepartmentsResponse resp;
  grpc::Status status = FetchPages(
      c, c.registry(), &registry::v1::ChainRegistry::Stub::ListDepartments, req, true, &resp);
  if (!status.ok()) return names;
  for (const auto& d : resp.departments()) names[d.name()] = d.short_name();
  return names;
}

DepartmentNames LoadDepartmentNames(const CommandLine& cmd) {
  auto conn = OpenRegistryBriefly(cmd);
  if (!conn.ok()) return {};
  return LoadDepartmentNames(**conn);
}

Progress::Progress(std::ostream& err, std::string what, int total, bool enabled, bool tty,
                   int min_total)
    : err_(err),
      what_(std::move(what)),
      total_(total),
      enabled_(enabled && total > 0 && total >= min_total),
      tty_(tty) {}

void Progress::Update(int done) {
  done_ = done;
  if (!enabled_) return;
  if (tty_) {
    const int percent = done_ * 100 / total_;
    if (drawn_ && percent == last_percent_ && done_ != total_) return;
    last_percent_ = percent;
    Draw();
  } else if (done_ == total_ || done_ * 10 / total_ > last_decile_) {
    last_decile_ = done_ * 10 / total_;
    err_ << what_ << ": " << done_ << "/" << total_ << " rows sent (" << done_ * 100 / total_
         << "%)\n";
  }
}

void Progress::Say(const std::string& line) {
  if (enabled_ && tty_ && drawn_) err_ << "\r\033[K";
  err_ << line << "\n";
  if (enabled_ && tty_ && drawn_) Draw();
}

void Progress::Finish() {
  if (enabled_ && tty_ && drawn_) err_ << "\n";
  err_.flush();
}

void Progress::Draw() {
  constexpr int kWidth = 30;
  const int filled = done_ * kWidth / total_;
  err_ << "\r" << what_ << " [" << std::string(static_cast<size_t>(filled), '#')
       << std::string(static_cast<size_t>(kWidth - filled), '.') << "] " << done_ << "/" << total_
       << " " << (done_ * 100 / total_) << "%" << std::flush;
  drawn_ = true;
}

bool IsTerminal(const std::ostream& err) {
  return &err == &std::cerr && isatty(STDERR_FILENO) == 1;
}

}  // namespace chainhub::chainctl
