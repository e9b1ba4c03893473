// chainctl: flags → CommandLine → the verb table. Every flag can also come from the environment
// as CHAINHUB_<FLAG> (e.g. CHAINHUB_TOKEN); the command line wins.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/env_flags.h"
#include "tools/chainctl/command_line.h"
#include "tools/chainctl/commands.h"

// Global.
ABSL_FLAG(std::string, target, "127.0.0.1:50051", "Service address HOST:PORT");
ABSL_FLAG(std::string, registry_target, "",
          "Registry address; wins over --target for registry calls");
ABSL_FLAG(std::string, intake_target, "",
          "Intake address; wins over --target for intake calls (CHAINHUB_INTAKE_TARGET)");
ABSL_FLAG(std::string, assessment_target, "",
          "Assessment address; wins over --target for assessment calls "
          "(CHAINHUB_ASSESSMENT_TARGET)");
ABSL_FLAG(std::string, notify_target, "",
          "chainhub-notify HOST:PORT (notices, inbox, subscriptions, endpoints, dispatches); "
          "--target when unset");
ABSL_FLAG(std::string, sync_target, "",
          "chainhub-sync HOST:PORT (snapshots, the change feed, the push, reconcile, export); "
          "--target when empty");
ABSL_FLAG(std::string, support_target, "",
          "chainhub-support HOST:PORT (包保, 诉求, 政策, chain lists, spend, plans); --target "
          "when empty");
ABSL_FLAG(std::string, token, "", "Bearer token (JWT); also CHAINHUB_TOKEN");
ABSL_FLAG(std::string, output, "table", "table or json");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "Deadline of each RPC");
ABSL_FLAG(std::string, tls_ca_file, "", "PEM CA bundle: use TLS (plaintext when unset)");
ABSL_FLAG(std::string, tls_client_cert_file, "", "PEM client certificate for mutual TLS");
ABSL_FLAG(std::string, tls_client_key_file, "", "PEM client key for mutual TLS");
// token mint.
ABSL_FLAG(std::string, secret_file, "",
          "token mint: file holding the HS256 secret; endpoints create, update, rotate: file "
          "holding the endpoint's secret, - for standard input");
// endpoints, dispatches.
ABSL_FLAG(int, previous_valid_hours, 0,
          "endpoints rotate: hours the old secret stays valid (0: the service's 24)");
ABSL_FLAG(bool, dead, false, "dispatches list: only dead dispatches (the dead-letter list)");
ABSL_FLAG(std::string, sub, "", "token mint: subject, e.g. systems/ops or departments/fgw");
ABSL_FLAG(std::string, roles, "", "token mint: comma-separated roles, e.g. admin,viewer");
ABSL_FLAG(std::string, chains, "", "token mint: comma-separated chain ids a chain office writes");
ABSL_FLAG(absl::Duration, ttl, absl::Hours(24), "token mint: lifetime of the token");
// seed, import.
ABSL_FLAG(std::string, data, "data", "seed: the seed data directory");
ABSL_FLAG(int, batch_size, 500,
          "enterprises import / seed: rows per BatchUpsertEnterprises (1-1000)");
ABSL_FLAG(bool, validate_only, false,
          "enterprises / projects import: validate every row, write nothing; subscriptions apply: "
          "check the file, send nothing");
// list commands.
ABSL_FLAG(std::string, filter, "", "list: filter expression (docs/filter.md)");
ABSL_FLAG(std::string, order_by, "", "list: ordering, e.g. \"annual_output_yuan desc\"");
ABSL_FLAG(int, page_size, 0, "list: results per page (server default when 0)");
ABSL_FLAG(std::string, page_token, "", "list: continue from this page token");
ABSL_FLAG(bool, all, false, "list: fetch every page");
// province resolve, projects advance, issues move, lights evaluate.
ABSL_FLAG(std::string, date, "",
          "province resolve, lights evaluate, projects advance, issues move: YYYY-MM-DD (today "
          "when empty)");
// intake commands.
ABSL_FLAG(std::string, source, "",
          "projects import: where the rows come from (default: file name)");
ABSL_FLAG(std::string, to, "", "projects advance: the stage; issues move: the status; notices send: the recipients, comma-separated");
ABSL_FLAG(std::string, reason, "", "projects advance: why (required for STALLED, CANCELLED)");
ABSL_FLAG(std::string, month, "", "projects report: YYYY-MM");
ABSL_FLAG(std::string, completed, "",
          "projects report: cumulative completed investment, yuan (or 12.5亿, 800万)");
ABSL_FLAG(std::string, funds, "",
          "projects report: cumulative funds arrived, yuan (or 12.5亿, 800万)");
ABSL_FLAG(std::string, note, "", "projects report, issues move, inbox ack: a note");
ABSL_FLAG(bool, allow_over_total, false,
          "projects report: allow cumulative figures above the total investment");
ABSL_FLAG(std::string, file, "", "projects report: a progress CSV file");
ABSL_FLAG(std::string, overdue, "",
          "issues list: items overdue on YYYY-MM-DD; a bare --overdue means today (China time)");
ABSL_FLAG(std::string, subject, "",
          "issues create: projects/{id}, a project's external_id or chains/{chain}");
ABSL_FLAG(std::string, title, "", "issues create, notices send: the title");
ABSL_FLAG(std::string, description, "", "issues create: the description; notices send: the body (Markdown)");
ABSL_FLAG(std::string, owner, "", "issues create: the owner department (fgw or departments/fgw)");
ABSL_FLAG(std::string, deadline, "", "issues create: YYYY-MM-DD; notices send: sign (签收) by the end of this day");
ABSL_FLAG(std::string, kind, "",
          "issues create: issue (问题清单, the default) or task (任务清单); runs list: final or "
          "provisional");
ABSL_FLAG(std::string, chain, "", "lights evaluate: only this chain (pv or chains/pv)");
ABSL_FLAG(bool, dry_run, false, "lights evaluate: compute and show, store nothing");
ABSL_FLAG(std::string, period, "",
          "summary: 2026, 2026-Q2 or 2026-05 (the current year when empty); targets, values, runs "
          "list: only this period");
// assessment commands.
ABSL_FLAG(std::string, indicator, "", "targets / values list: only this indicator (output)");
ABSL_FLAG(std::string, evidence, "", "values report: what the figure rests on (required)");
ABSL_FLAG(bool, history, false, "values list: every revision, newest first");
ABSL_FLAG(std::string, as_of, "", "runs create: YYYY-MM-DD whose end the facts are taken at");
ABSL_FLAG(bool, provisional, false,
          "runs create: a provisional run; schedules put: keep a provisional run current");
ABSL_FLAG(std::string, scheme, "", "runs list: only runs of this scheme");
ABSL_FLAG(std::string, trigger, "", "runs list: manual, scheduled or event");
ABSL_FLAG(std::string, format, "", "runs export: csv, xlsx or svg");
ABSL_FLAG(std::string, out, "", "runs export: the file to write");
ABSL_FLAG(std::string, cadence, "", "schedules put: monthly, quarterly or annual");
ABSL_FLAG(int, days_after, 0, "schedules put: days after the period ends the final run starts");
ABSL_FLAG(std::string, time, "", "schedules put: HH:MM China time (02:00 when empty)");
ABSL_FLAG(int64_t, cursor, 0, "inbox watch: resume after this cursor (0: from now on)");
ABSL_FLAG(int, heartbeat, 0, "inbox watch: heartbeat every this many idle seconds (1-300; 15 when 0)");
ABSL_FLAG(int, max, 0, "inbox watch, sync watch: stop after this many deliveries or changes (0: until Ctrl-C)");
ABSL_FLAG(std::string, list, "", "sync snapshot, watch, reconcile, export: the provincial list, e.g. 2026");
ABSL_FLAG(std::string, type, "",
          "sync snapshot, export: one record type (chain, enterprise, project, progress, "
          "assessment_result)");
ABSL_FLAG(bool, from_now, false, "sync watch: start at the newest change (not --cursor)");
ABSL_FLAG(bool, repair, false, "sync reconcile: re-send the records that differ");
// support commands.
ABSL_FLAG(std::string, visitor, "",
          "visits log: DEPT:PERSON[:TITLE] of a visitor; repeat the flag for more");
ABSL_FLAG(std::string, reviewer, "", "firm-plans review: DEPT:PERSON[:TITLE] of the reviewer");
ABSL_FLAG(std::string, summary, "", "visits log, firm-plans review: what was found");
ABSL_FLAG(int, rating, 0, "firm-plans review: 1 (far behind) to 5 (ahead)");
ABSL_FLAG(std::string, enterprise, "",
          "requests create, claims apply: the enterprise's credit code (or enterprises/CODE)");
ABSL_FLAG(std::string, channel, "", "requests create: visit, hotline, system or letter");
ABSL_FLAG(std::string, tier, "", "requests create: city or county");
ABSL_FLAG(bool, urgent, false, "requests create: an urgent request");
ABSL_FLAG(bool, common, false, "requests create: common to the chain (共性问题; needs --chain)");
ABSL_FLAG(std::string, tags, "", "requests create: tags separated by ';', e.g. 用地;融资");
ABSL_FLAG(std::string, assignee, "",
          "requests create, move: departments/{dept} (or the id) or chains/{chain}/team");
ABSL_FLAG(int, satisfaction, 0, "requests move --to=revisited: 1 (very dissatisfied) to 5");
ABSL_FLAG(std::string, by, "", "requests figures: department or chain (one row when empty)");
ABSL_FLAG(bool, misses, false, "items for: also the items the enterprise misses, and why");
ABSL_FLAG(bool, approve, false, "claims decide: approve the claim");
ABSL_FLAG(bool, reject, false, "claims decide: reject the claim (--note required)");
ABSL_FLAG(std::string, amount, "", "claims decide, pay: yuan (or 12.5万, 1亿)");
ABSL_FLAG(int, year, 0, "payouts figures: the year, e.g. 2026");
ABSL_FLAG(std::string, scope, "",
          "payouts figures: a policy or item; spend rate: city, province or region");
ABSL_FLAG(std::string, department, "", "payouts figures: only items this department pays");
ABSL_FLAG(std::string, reporters, "",
          "spend rate: the reporting firms' credit codes, comma-separated (all when empty)");
ABSL_FLAG(std::string, actual, "",
          "plans report: indicators/KEY=VALUE (or KEY=VALUE); repeat the flag for more");
ABSL_FLAG(std::string, task, "",
          "plans report: NUMBER:PERCENT[:done]; repeat the flag for more");

namespace {

// The value a bare --overdue stands for (absl string flags need a value).
constexpr char kOverdueToday[] = "today";

// The flags that may be given more than once, each occurrence a value of its own (absl keeps only
// the last): taken out of argv before parsing, in order.
struct RepeatedFlags {
  std::vector<std::string> visitor;
  std::vector<std::string> actual;
  std::vector<std::string> task;
};

// Removes every --visitor, --actual and --task (as --NAME=VALUE or --NAME VALUE) before "--" from
// `argv`, collecting their values; returns the arguments left.
std::vector<char*> TakeRepeatedFlags(int argc, char** argv, RepeatedFlags* taken) {
  const std::pair<const char*, std::vector<std::string>*> flags[] = {
      {"visitor", &taken->visitor}, {"actual", &taken->actual}, {"task", &taken->task}};
  std::vector<char*> rest = {argv[0]};
  bool positional_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") positional_only = true;
    bool consumed = false;
    for (const auto& [name, values] : flags) {
      if (positional_only) break;
      for (const char* dashes : {"--", "-"}) {
        const std::string bare = absl::StrCat(dashes, name);
        if (arg == bare && i + 1 < argc) {
          values->push_back(argv[++i]);
          consumed = true;
        } else if (arg.rfind(bare + "=", 0) == 0) {
          values->push_back(arg.substr(bare.size() + 1));
          consumed = true;
        }
        if (consumed) break;
      }
      if (consumed) break;
    }
    if (!consumed) rest.push_back(argv[i]);
  }
  rest.push_back(nullptr);  // argv[argc], as a main's argv has it
  return rest;
}

// The values a repeatable flag was given on the command line, else its one value from the
// environment (CHAINHUB_<FLAG>), if any.
std::vector<std::string> Values(std::vector<std::string> given, const std::string& flag_value) {
  if (given.empty() && !flag_value.empty()) given.push_back(flag_value);
  return given;
}

}  // namespace

int main(int argc, char** argv) {
  // `--overdue` alone means "overdue today"; absl string flags need a value, so give it one.
  static std::string overdue_today = std::string("--overdue=") + kOverdueToday;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--overdue") == 0) argv[i] = overdue_today.data();
  }
  RepeatedFlags repeated;
  std::vector<char*> rest = TakeRepeatedFlags(argc, argv, &repeated);
  std::vector<char*> positional = chainhub::ParseFlagsWithEnv(
      static_cast<int>(rest.size()) - 1, rest.data(),
      "chainctl [flags] COMMAND [args]; `chainctl help` lists the commands");

  chainhub::chainctl::CommandLine cmd;
  cmd.client.target = absl::GetFlag(FLAGS_target);
  cmd.client.registry_target = absl::GetFlag(FLAGS_registry_target);
  cmd.client.token = absl::GetFlag(FLAGS_token);
  cmd.client.timeout = absl::GetFlag(FLAGS_timeout);
  cmd.client.tls_ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  cmd.client.tls_client_cert_file = absl::GetFlag(FLAGS_tls_client_cert_file);
  cmd.client.tls_client_key_file = absl::GetFlag(FLAGS_tls_client_key_file);
  const std::string output = absl::GetFlag(FLAGS_output);
  if (output == "json") {
    cmd.client.output = chainhub::chainctl::OutputFormat::kJson;
  } else if (output != "table") {
    std::cerr << "chainctl: --output must be table or json\n";
    return chainhub::chainctl::kExitUsage;
  }
  if (cmd.client.timeout <= absl::ZeroDuration()) {
    std::cerr << "chainctl: --timeout must be positive\n";
    return chainhub::chainctl::kExitUsage;
  }
  cmd.intake_target = absl::GetFlag(FLAGS_intake_target);
  cmd.assessment_target = absl::GetFlag(FLAGS_assessment_target);
  cmd.notify_target = absl::GetFlag(FLAGS_notify_target);
  cmd.sync_target = absl::GetFlag(FLAGS_sync_target);
  cmd.support_target = absl::GetFlag(FLAGS_support_target);
  cmd.visitors = Values(std::move(repeated.visitor), absl::GetFlag(FLAGS_visitor));
  cmd.actuals = Values(std::move(repeated.actual), absl::GetFlag(FLAGS_actual));
  cmd.tasks = Values(std::move(repeated.task), absl::GetFlag(FLAGS_task));
  cmd.reviewer = absl::GetFlag(FLAGS_reviewer);
  cmd.summary = absl::GetFlag(FLAGS_summary);
  cmd.rating = absl::GetFlag(FLAGS_rating);
  cmd.enterprise = absl::GetFlag(FLAGS_enterprise);
  cmd.channel = absl::GetFlag(FLAGS_channel);
  cmd.tier = absl::GetFlag(FLAGS_tier);
  cmd.urgent = absl::GetFlag(FLAGS_urgent);
  cmd.common = absl::GetFlag(FLAGS_common);
  cmd.tags = absl::GetFlag(FLAGS_tags);
  cmd.assignee = absl::GetFlag(FLAGS_assignee);
  cmd.satisfaction = absl::GetFlag(FLAGS_satisfaction);
  cmd.by = absl::GetFlag(FLAGS_by);
  cmd.misses = absl::GetFlag(FLAGS_misses);
  cmd.approve = absl::GetFlag(FLAGS_approve);
  cmd.reject = absl::GetFlag(FLAGS_reject);
  cmd.amount = absl::GetFlag(FLAGS_amount);
  cmd.year = absl::GetFlag(FLAGS_year);
  cmd.scope = absl::GetFlag(FLAGS_scope);
  cmd.department = absl::GetFlag(FLAGS_department);
  cmd.reporters = absl::GetFlag(FLAGS_reporters);
  cmd.list = absl::GetFlag(FLAGS_list);
  cmd.type = absl::GetFlag(FLAGS_type);
  cmd.from_now = absl::GetFlag(FLAGS_from_now);
  cmd.repair = absl::GetFlag(FLAGS_repair);
  cmd.secret_file = absl::GetFlag(FLAGS_secret_file);
  cmd.previous_valid_hours = absl::GetFlag(FLAGS_previous_valid_hours);
  cmd.dead = absl::GetFlag(FLAGS_dead);
  cmd.sub = absl::GetFlag(FLAGS_sub);
  cmd.roles = absl::GetFlag(FLAGS_roles);
  cmd.chains = absl::GetFlag(FLAGS_chains);
  cmd.ttl = absl::GetFlag(FLAGS_ttl);
  cmd.data_dir = absl::GetFlag(FLAGS_data);
  cmd.batch_size = absl::GetFlag(FLAGS_batch_size);
  cmd.validate_only = absl::GetFlag(FLAGS_validate_only);
  cmd.filter = absl::GetFlag(FLAGS_filter);
  cmd.order_by = absl::GetFlag(FLAGS_order_by);
  cmd.page_size = absl::GetFlag(FLAGS_page_size);
  cmd.page_token = absl::GetFlag(FLAGS_page_token);
  cmd.all = absl::GetFlag(FLAGS_all);
  cmd.date = absl::GetFlag(FLAGS_date);
  cmd.source = absl::GetFlag(FLAGS_source);
  cmd.to = absl::GetFlag(FLAGS_to);
  cmd.reason = absl::GetFlag(FLAGS_reason);
  cmd.month = absl::GetFlag(FLAGS_month);
  cmd.completed = absl::GetFlag(FLAGS_completed);
  cmd.funds = absl::GetFlag(FLAGS_funds);
  cmd.note = absl::GetFlag(FLAGS_note);
  cmd.allow_over_total = absl::GetFlag(FLAGS_allow_over_total);
  cmd.file = absl::GetFlag(FLAGS_file);
  const std::string overdue = absl::GetFlag(FLAGS_overdue);
  cmd.overdue = !overdue.empty();
  if (overdue != kOverdueToday) cmd.overdue_on = overdue;
  cmd.subject = absl::GetFlag(FLAGS_subject);
  cmd.title = absl::GetFlag(FLAGS_title);
  cmd.description = absl::GetFlag(FLAGS_description);
  cmd.owner = absl::GetFlag(FLAGS_owner);
  cmd.deadline = absl::GetFlag(FLAGS_deadline);
  cmd.kind = absl::GetFlag(FLAGS_kind);
  cmd.chain = absl::GetFlag(FLAGS_chain);
  cmd.dry_run = absl::GetFlag(FLAGS_dry_run);
  cmd.period = absl::GetFlag(FLAGS_period);
  cmd.indicator = absl::GetFlag(FLAGS_indicator);
  cmd.evidence = absl::GetFlag(FLAGS_evidence);
  cmd.history = absl::GetFlag(FLAGS_history);
  cmd.as_of = absl::GetFlag(FLAGS_as_of);
  cmd.provisional = absl::GetFlag(FLAGS_provisional);
  cmd.scheme = absl::GetFlag(FLAGS_scheme);
  cmd.trigger = absl::GetFlag(FLAGS_trigger);
  cmd.format = absl::GetFlag(FLAGS_format);
  cmd.out = absl::GetFlag(FLAGS_out);
  cmd.cadence = absl::GetFlag(FLAGS_cadence);
  cmd.days_after = absl::GetFlag(FLAGS_days_after);
  cmd.time = absl::GetFlag(FLAGS_time);
  cmd.cursor = absl::GetFlag(FLAGS_cursor);
  cmd.heartbeat = absl::GetFlag(FLAGS_heartbeat);
  cmd.max_deliveries = absl::GetFlag(FLAGS_max);

  const std::vector<std::string> args(positional.begin() + 1, positional.end());
  return chainhub::chainctl::Commands().Run(cmd, args, std::cout, std::cerr);
}
