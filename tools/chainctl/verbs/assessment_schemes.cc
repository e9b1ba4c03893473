// schemes apply, show, diff, list; schedules put, list: the assessment schemes (考核方案), their
// versions, and when they run by themselves.
#include <array>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/base/env_flags.h"
#include "common/base/status_util.h"
#include "services/assessment/scheme_file.h"
#include "tools/chainctl/assessment_arguments.h"
#include "tools/chainctl/assessment_client.h"
#include "tools/chainctl/assessment_render.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/line_diff.h"
#include "tools/chainctl/verbs/assessment_list.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

using Stub = AssessmentClient::Stub;

int SchemesApply(const Call& call) {
  const std::string& path = call.operands[0];
  absl::StatusOr<std::string> bytes = ReadFlagFile(path, "FILE");
  if (!bytes.ok()) return Usage(call.err, bytes.status().message());
  absl::StatusOr<av1::Scheme> scheme = assessment::ParseSchemeFile(*bytes);
  if (!scheme.ok()) {
    call.err << path << ": ";
    PrintError(scheme.status(), call.err, nullptr);
    return kExitUsage;
  }
  AssessmentClient& c = *call.assessment;
  // The latest version before the put tells whether the put made a new one.
  int before = 0;
  if (!call.cmd.validate_only) {
    av1::GetSchemeRequest get;
    get.set_name(scheme->name());
    av1::Scheme latest;
    grpc::Status status = c.Call(&Stub::GetScheme, get, &latest);
    if (status.ok()) {
      before = latest.version();
    } else if (status.error_code() != grpc::StatusCode::NOT_FOUND) {
      return call.RpcError(status);
    }
  }
  av1::PutSchemeRequest req;
  *req.mutable_scheme() = *scheme;
  req.set_validate_only(call.cmd.validate_only);
  return CallAndShow(
      call, c.connection(), c.stub(), &Stub::PutScheme, req, [&](const av1::Scheme& put) {
        call.out << put.name() << " " << put.display_name() << ": ";
        if (call.cmd.validate_only) {
          call.out << "valid (" << put.items_size() << " items, total_points "
                   << FormatFigure(put.total_points()) << "), nothing stored\n";
        } else if (before == 0) {
          call.out << "created, version " << put.version() << "\n";
        } else if (put.version() != before) {
          call.out << "changed, version " << before << " → " << put.version() << "\n";
        } else {
          call.out << "unchanged, version " << put.version() << "\n";
        }
      });
}

// The scheme `name` names (schemes/{id} or schemes/{id}/versions/{n}).
grpc::Status GetScheme(AssessmentClient& c, const std::string& name, av1::Scheme* scheme) {
  av1::GetSchemeRequest req;
  req.set_name(name);
  return c.Call(&Stub::GetScheme, req, scheme);
}

int SchemesShow(const Call& call) {
  absl::StatusOr<std::string> name = SchemeArg("SCHEME", call.operands[0]);
  if (!name.ok()) return Usage(call.err, name.status().message());
  av1::Scheme scheme;
  grpc::Status status = GetScheme(*call.assessment, *name, &scheme);
  return Show(call, status, scheme, [&] {
    call.out << "# " << scheme.name() << " version " << scheme.version() << ", "
             << FormatTimestamp(scheme.version_time()) << "\n"
             << assessment::SchemeToYaml(scheme);
  });
}

int SchemesDiff(const Call& call) {
  absl::StatusOr<std::string> name = LatestSchemeArg("SCHEME", call.operands[0]);
  if (!name.ok()) return Usage(call.err, name.status().message());
  std::array<std::string, 2> versions;
  for (size_t k = 0; k < versions.size(); ++k) {
    absl::StatusOr<int> v = SchemeVersionArg(k == 0 ? "V1" : "V2", call.operands[k + 1]);
    if (!v.ok()) return Usage(call.err, v.status().message());
    versions[k] = absl::StrCat(*name, "/versions/", *v);
  }
  std::array<av1::Scheme, 2> schemes;
  for (size_t k = 0; k < schemes.size(); ++k) {
    grpc::Status status = GetScheme(*call.assessment, versions[k], &schemes[k]);
    if (!status.ok()) return call.RpcError(status);
  }
  const std::string diff =
      UnifiedDiff(assessment::SchemeToYaml(schemes[0]), assessment::SchemeToYaml(schemes[1]),
                  versions[0], versions[1]);
  call.out << (diff.empty() ? absl::StrCat(versions[0], " and ", versions[1], " are the same\n")
                            : diff);
  return kExitOk;
}

int SchemesList(const Call& call) {
  return ShowAssessmentList(call, &Stub::ListSchemes, av1::ListSchemesRequest(), PrintSchemesTable);
}

int SchedulesPut(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (cmd.cadence.empty()) return call.UsageError();
  std::optional<av1::Cadence> cadence = ParseCadence(cmd.cadence);
  if (!cadence) {
    return Usage(call.err, absl::StrCat("--cadence: must be monthly, quarterly or annual (月度, "
                                        "季度, 年度), got \"",
                                        cmd.cadence, "\""));
  }
  absl::StatusOr<std::string> scheme = LatestSchemeArg("SCHEME", call.operands[1]);
  if (!scheme.ok()) return Usage(call.err, scheme.status().message());
  av1::PutScheduleRequest req;
  av1::Schedule& s = *req.mutable_schedule();
  s.set_name(ScheduleArg(call.operands[0]));
  s.set_scheme(*scheme);
  s.set_cadence(*cadence);
  s.set_days_after_period_end(cmd.days_after);
  s.set_time_of_day(cmd.time);
  s.set_keep_provisional(cmd.provisional);
  AssessmentClient& c = *call.assessment;
  return CallAndShow(
      call, c.connection(), c.stub(), &Stub::PutSchedule, req, [&](const av1::Schedule& put) {
        call.out << put.name() << ": " << put.scheme() << " " << CadenceName(put.cadence()) << ", "
                 << put.days_after_period_end() << " days after each period at "
                 << put.time_of_day() << " China time"
                 << (put.keep_provisional() ? ", provisional kept current" : "") << "; next run "
                 << FormatTimestamp(put.next_run_time()) << "\n";
      });
}

int SchedulesList(const Call& call) {
  return ShowAssessmentList(call, &Stub::ListSchedules, av1::ListSchedulesRequest(),
                            PrintSchedulesTable);
}

}  // namespace

void AddSchemesVerbs(VerbTable& table) {
  table.Add({.noun = "schemes",
             .verb = "apply",
             .synopsis = "FILE [--validate_only]",
             .help = "a scheme file (data/assessment/scheme-2026.yaml):\n"
                     "a new version when it changed; prints the version",
             .usage = "usage: chainctl schemes apply FILE [--validate_only]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kAssessment,
             .run = SchemesApply});
  table.Add({.noun = "schemes",
             .verb = "show",
             .synopsis = "SCHEME[@VERSION]",
             .help = "the scheme as YAML (the latest version by default)",
             .usage = "usage: chainctl schemes show SCHEME[@VERSION]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kAssessment,
             .run = SchemesShow});
  table.Add({.noun = "schemes",
             .verb = "diff",
             .synopsis = "SCHEME V1 V2",
             .help = "a unified diff of two versions' YAML",
             .usage = "usage: chainctl schemes diff SCHEME V1 V2 (e.g. chain-2026 1 2)",
             .min_operands = 3,
             .max_operands = 3,
             .needs = Needs::kAssessment,
             .run = SchemesDiff});
  table.Add({.noun = "schemes",
             .verb = "list",
             .synopsis = "[--all]",
             .help = "the latest version of each scheme",
             .usage = "schemes list takes no arguments",
             .needs = Needs::kAssessment,
             .run = SchemesList});
}

void AddSchedulesVerbs(VerbTable& table) {
  table.Add({.noun = "schedules",
             .verb = "put",
             .synopsis = "NAME SCHEME --cadence=quarterly [--days_after=5]\n"
                         "[--time=02:00] [--provisional]",
             .help = "a final run each period, days after it ends;\n"
                     "--provisional keeps a provisional run current",
             .usage = "usage: chainctl schedules put NAME SCHEME --cadence=monthly|quarterly|"
                      "annual [--days_after=N] [--time=HH:MM] [--provisional]",
             .min_operands = 2,
             .max_operands = 2,
             .needs = Needs::kAssessment,
             .run = SchedulesPut});
  table.Add({.noun = "schedules",
             .verb = "list",
             .synopsis = "[--all]",
             .help = "last period run and the next run of each",
             .usage = "schedules list takes no arguments",
             .needs = Needs::kAssessment,
             .run = SchedulesList});
}

}  // namespace chainhub::chainctl
