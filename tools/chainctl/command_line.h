// What chainctl was told on its command line: every flag's value, read once by main.cc, so that a
// verb can be run (and tested) without flags or a process of its own.
#ifndef CHAINHUB_TOOLS_CHAINCTL_COMMAND_LINE_H_
#define CHAINHUB_TOOLS_CHAINCTL_COMMAND_LINE_H_

#include <iostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/base/clock.h"
#include "tools/chainctl/client.h"

namespace chainhub::chainctl {

// The global flags in `client`; the rest are read by one verb or another (`chainctl help` says
// which).
struct CommandLine {
  ClientOptions client;
  // What "today" and "now" are: the date --overdue and summary default to, a token's issue time.
  const Clock* clock = &Clock::Real();
  // Where intake is (--intake_target / CHAINHUB_INTAKE_TARGET); --target when empty.
  std::string intake_target;
  // Where assessment is (--assessment_target / CHAINHUB_ASSESSMENT_TARGET); --target when empty.
  std::string assessment_target;
  // Where notify is (--notify_target / CHAINHUB_NOTIFY_TARGET); --target when empty.
  std::string notify_target;
  // Where sync is (--sync_target / CHAINHUB_SYNC_TARGET); --target when empty.
  std::string sync_target;
  // Where support is (--support_target / CHAINHUB_SUPPORT_TARGET); --target when empty.
  std::string support_target;

  // token mint
  std::string secret_file;
  std::string sub;
  std::string roles;
  std::string chains;
  absl::Duration ttl = absl::Hours(24);
  // seed
  std::string data_dir = "data";
  // enterprises import (and seed); projects import
  int batch_size = 500;
  bool validate_only = false;
  // list verbs
  std::string filter;
  std::string order_by;
  std::string page_token;
  int page_size = 0;
  bool all = false;
  // province resolve, lights evaluate, projects advance, issues move
  std::string date;

  // projects import: recorded as the import's source (default: the file's name).
  std::string source;
  // projects advance / issues move: the stage or status to move to.
  std::string to;
  std::string reason;
  // projects report.
  std::string month;
  std::string completed;
  std::string funds;
  std::string note;
  bool allow_over_total = false;
  std::string file;
  // issues list: --overdue (today, China time) or --overdue=DATE.
  bool overdue = false;
  std::string overdue_on;
  // issues create.
  std::string subject;
  std::string title;
  std::string description;
  std::string owner;
  std::string deadline;
  // issues create: issue (the default when empty) or task; runs list: final or provisional.
  std::string kind;
  // lights evaluate.
  std::string chain;
  bool dry_run = false;
  // summary: YYYY, YYYY-Qn or YYYY-MM (the current year, China time, when empty); targets,
  // values and runs list: only this period.
  std::string period;

  // Assessment. targets / values list: only this indicator (--subject narrows by subject).
  std::string indicator;
  // values report: what the figure rests on.
  std::string evidence;
  // values list: every revision, not only the latest.
  bool history = false;
  // runs create: YYYY-MM-DD, the day whose end the facts are taken at (today when empty).
  std::string as_of;
  // runs create: a provisional run; schedules put: keep a provisional run current.
  bool provisional = false;
  // runs list: only runs of this scheme, of this trigger (manual, scheduled, event).
  std::string scheme;
  std::string trigger;
  // runs export: csv, xlsx or svg, written to --out.
  std::string format;
  std::string out;
  // schedules put: monthly, quarterly or annual; days after the period ends; HH:MM China time.
  std::string cadence;
  int days_after = 0;
  std::string time;

  // inbox watch: resume after this cursor (0: from now on); the heartbeat in seconds (0: the
  // server's default); stop after this many deliveries (0: until interrupted).
  int64_t cursor = 0;
  int heartbeat = 0;
  int max_deliveries = 0;
  // Notify. dispatches list: only the dead-letter list. endpoints rotate: hours the old secret
  // stays valid (the service's default when 0). endpoints create, update, rotate: --secret_file
  // (above) names the secret's file, or `-` for `in`.
  bool dead = false;
  int previous_valid_hours = 0;
  std::istream* in = &std::cin;
  // Sync. snapshot, watch, reconcile, export: the provincial list (2021, 2026); snapshot, export:
  // one record type (chain, enterprise, project, progress, assessment_result); watch: start at the
  // newest change instead of --cursor; reconcile: re-send what differs.
  std::string list;
  std::string type;
  bool from_now = false;
  bool repair = false;

  // Support (verbs/support_*.cc). Also read there: --date, --note, --to, --title, --description,
  // --chain, --period, --as_of, --out, --filter, --overdue, --validate_only.
  // visits log: DEPT:PERSON[:TITLE] per visitor (--visitor may be repeated); firm-plans review:
  // the reviewer, the same way.
  std::vector<std::string> visitors;
  std::string reviewer;
  // visits log, firm-plans review: what was discussed, how the plan stands (1-5).
  std::string summary;
  int rating = 0;
  // requests create, items for, claims apply: the enterprise (its credit code or name).
  std::string enterprise;
  // requests create: visit|hotline|system|letter, city|county, ';'-separated tags.
  std::string channel;
  std::string tier;
  bool urgent = false;
  bool common = false;
  std::string tags;
  // requests create, move: departments/{dept} (or the bare id) or chains/{chain}/team.
  std::string assignee;
  // requests move --to=revisited: 1-5.
  int satisfaction = 0;
  // requests figures: department or chain.
  std::string by;
  // items for: also the items it misses.
  bool misses = false;
  // claims decide.
  bool approve = false;
  bool reject = false;
  // claims decide, pay: yuan (or 12.5万, 1亿).
  std::string amount;
  // payouts figures: the year, the scope (a policy or an item), the paying department; spend rate:
  // the scope (city, province, region) and the reporting firms (comma-separated).
  int year = 0;
  std::string scope;
  std::string department;
  std::string reporters;
  // plans report: indicators/x=VALUE and N:PERCENT[:done], each flag repeatable.
  std::vector<std::string> actuals;
  std::vector<std::string> tasks;

  bool json() const { return client.output == OutputFormat::kJson; }
  // The page size a List asks for: --page_size, else 1000 with --all, else the server's default.
  int list_page_size() const { return page_size > 0 ? page_size : (all ? 1000 : 0); }
};

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_COMMAND_LINE_H_
