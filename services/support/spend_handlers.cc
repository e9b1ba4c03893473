// Supplier spend and 本地配套率: ReportSupplierSpend, ListSupplierSpend, ImportSupplierSpend and
// ComputeLocalRate. A firm's purchases name its suppliers, so they are seen and written only by
// the chain office of the chain and admins; every other caller, viewers included, is refused.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/fields.h"
#include "common/base/page_token.h"
#include "common/base/status_util.h"
#include "common/files/csv.h"
#include "common/rpc/client_stream.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/list_query.h"
#include "services/assessment/periods.h"
#include "services/registry/names.h"
#include "services/support/csv_import.h"
#include "services/support/enterprises.h"
#include "services/support/figures_load.h"
#include "services/support/local_rate.h"
#include "services/support/names.h"
#include "services/support/spend_store.h"
#include "services/support/supplier_spend.h"
#include "services/support/support_service.h"

namespace chainhub::support {
namespace {

// What one import call takes: the CSV text, and its data rows.
constexpr size_t kMaxImportBytes = 32 << 20;
constexpr size_t kMaxImportRows = 100000;
// Errors listed in an import's response; the rest are counted.
constexpr int kMaxImportErrors = 100;
// Lines a page of ListSupplierSpend carries at most (a page holds at least one report).
constexpr int64_t kMaxListedLines = 20000;

absl::Status RequireSpendAccess(const Principal& principal, absl::string_view chain_id) {
  if (principal.CanWriteChain(chain_id)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("supplier spend of chains/", chain_id,
                   " is seen and written only by that chain's office and admins; ",
                   principal.subject, " is neither"));
}

// The reporter `code` must be an enterprise of the copy on `chain_id`: the rule as text, "" when
// it holds.
absl::StatusOr<std::string> ReporterProblem(SqlTx& tx, const std::string& code,
                                            const std::string& chain_id) {
  CHAINHUB_ASSIGN_OR_RETURN(auto found, EnterpriseCopy(tx).Find(code));
  if (!found) {
    return absl::StrCat("enterprises/", code, " is not an enterprise of the registry");
  }
  if (!found->OnChain(chain_id)) {
    return absl::StrCat("enterprises/", code, " is not on chains/", chain_id,
                        " (reporters are the chain's firms)");
  }
  return std::string();
}

std::string SpendDetail(const v1::SupplierSpend& spend) {
  return absl::StrCat("lines=", spend.lines_size(), " total_yuan=", SpendTotal(spend.lines()));
}

// One report of an import: its key, the line it starts on, its rows' lines.
struct ImportedReport {
  SpendName name;
  int first_line = 0;
  v1::SupplierSpend spend;
  std::vector<int> lines;  // the physical line of each spend line
};

// Reads an import's rows, grouped into reports in the order they first appear; every row and
// report rule broken is added to `errors`.
std::vector<ImportedReport> ReadImport(const CsvImport& file, std::vector<std::string>* errors) {
  std::vector<ImportedReport> reports;
  std::map<std::tuple<std::string, std::string, std::string>, size_t> index;
  std::map<std::pair<size_t, std::string>, int> suppliers;  // (report, supplier) → its line
  for (size_t r = 1; r < file.records.size(); ++r) {
    const CsvRecord& record = file.records[r];
    std::optional<std::map<std::string, std::string>> cells = CsvImportCells(file, record, errors);
    if (!cells) continue;
    std::optional<SpendCsvRow> row = ReadSpendCsvRow(record.line, *cells, errors);
    if (!row) continue;
    auto key = std::make_tuple(row->chain_id, row->reporter, row->period);
    auto [it, added] = index.emplace(key, reports.size());
    if (added) {
      ImportedReport report;
      report.name = SpendName{row->chain_id, row->reporter, row->period};
      report.first_line = row->line;
      reports.push_back(std::move(report));
    }
    ImportedReport& report = reports[it->second];
    if (report.spend.lines_size() >= kMaxSpendLines) {
      errors->push_back(absl::StrCat("line ", row->line, ": row: the report of ",
                                     report.name.String(), " already holds ", kMaxSpendLines,
                                     " lines, the most one report may"));
      continue;
    }
    const std::string supplier = SupplierKey(row->spend_line);
    if (!supplier.empty()) {
      auto [seen, first] = suppliers.emplace(std::make_pair(it->second, supplier), row->line);
      if (!first) {
        errors->push_back(absl::StrCat(
            "line ", row->line, ": ",
            absl::StartsWith(supplier, "code:") ? "supplier_credit_code" : "supplier_name",
            ": the supplier is already on line ", seen->second, " of the report of ",
            report.name.String(), ": list each supplier once"));
        continue;
      }
    }
    *report.spend.add_lines() = std::move(row->spend_line);
    report.lines.push_back(row->line);
  }
  for (const ImportedReport& report : reports) {
    if (SpendTotal(report.spend.lines()) > kMaxSpendYuan) {
      errors->push_back(absl::StrCat("line ", report.first_line, ": amount_yuan: the report of ",
                                     report.name.String(), " must total at most 10^15 yuan"));
    }
  }
  return reports;
}

bool SameLines(const v1::SupplierSpend& a, const v1::SupplierSpend& b) {
  if (a.lines_size() != b.lines_size()) return false;
  for (int i = 0; i < a.lines_size(); ++i) {
    if (a.lines(i).SerializeAsString() != b.lines(i).SerializeAsString()) return false;
  }
  return true;
}

// The request's locality as local_rate.h takes it, its violations named by the request's fields.
absl::StatusOr<LocalityParams> LocalityOf(const v1::ComputeLocalRateRequest& req) {
  LocalityParams params;
  std::vector<FieldViolation> v;
  switch (req.scope()) {
    case v1::LOCAL_SCOPE_UNSPECIFIED:
    case v1::IN_CITY:
      params.scope = LocalScope::kCity;
      break;
    case v1::IN_PROVINCE:
      params.scope = LocalScope::kProvince;
      break;
    case v1::IN_REGION:
      params.scope = LocalScope::kRegion;
      break;
    default:
      v.push_back({"scope", "must be IN_CITY, IN_PROVINCE or IN_REGION"});
  }
  if (!req.city_code().empty()) params.city_code = req.city_code();
  if (!req.region_provinces().empty()) {
    params.region_provinces.assign(req.region_provinces().begin(), req.region_provinces().end());
  }
  if (absl::Status s = CheckLocalityParams(params); !s.ok()) {
    for (FieldViolation f : FieldViolationsOf(s)) {
      f.field = std::string(absl::StripPrefix(f.field, "locality."));
      v.push_back(std::move(f));
    }
    if (FieldViolationsOf(s).empty()) return s;
  }
  CHAINHUB_RETURN_IF_ERROR(ToStatus(v));
  return params;
}

}  // namespace

grpc::ServerUnaryReactor* SupportService::ReportSupplierSpend(
    Ctx* ctx, const v1::ReportSupplierSpendRequest* req, v1::SupplierSpend* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    const v1::SupplierSpend& in = req->spend();
    CHAINHUB_ASSIGN_OR_RETURN(ChainName chain, ChainName::Parse("spend.chain", in.chain()));
    CHAINHUB_RETURN_IF_ERROR(RequireSpendAccess(call.principal, chain.chain));
    std::vector<FieldViolation> v;
    absl::StatusOr<registry::EnterpriseName> reporter =
        registry::EnterpriseName::Parse("spend.reporter", in.reporter());
    if (!reporter.ok()) {
      for (const FieldViolation& f : FieldViolationsOf(reporter.status())) v.push_back(f);
    }
    absl::StatusOr<assessment::Period> period =
        assessment::Period::Parse("spend.period", in.period());
    if (!period.ok()) {
      for (const FieldViolation& f : FieldViolationsOf(period.status())) v.push_back(f);
    }
    CheckSpendLines(in.lines(), "spend", &v);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(v));
    CHAINHUB_RETURN_IF_ERROR(reporter.status());
    CHAINHUB_RETURN_IF_ERROR(period.status());
    const SpendName name{chain.chain, reporter->credit_code, period->String()};
    return Mutate([&](SqlTx& tx) -> absl::Status {
      // Unknown to support's copy of the registry: NOT_FOUND; known but off the chain: a bad
      // reporter for this chain.
      CHAINHUB_RETURN_IF_ERROR(EnterpriseCopy(tx).Get("spend.reporter", in.reporter()).status());
      CHAINHUB_ASSIGN_OR_RETURN(std::string problem,
                                ReporterProblem(tx, name.reporter, name.chain));
      if (!problem.empty()) return InvalidField("spend.reporter", problem);
      const absl::Time now = clock_.Now();
      SpendTx db(tx);
      CHAINHUB_RETURN_IF_ERROR(db.Put(name, in, call.principal.subject, now));
      CHAINHUB_ASSIGN_OR_RETURN(auto stored, db.Find(name));
      if (!stored) return absl::InternalError("a report just stored is gone");
      *resp = std::move(*stored);
      return AppendAudit(tx, call, name.String(), SpendDetail(*resp), now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::ListSupplierSpend(Ctx* ctx,
                                                            const v1::ListSupplierSpendRequest* req,
                                                            v1::ListSupplierSpendResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    // chains/- lists every chain the caller may see: all for an admin, its own for an office.
    std::optional<std::set<std::string>> chains;
    if (req->parent() == "chains/-") {
      if (!call.principal.IsAdmin()) {
        if (!call.principal.HasRole(roles::kChainOffice)) {
          return absl::PermissionDeniedError(
              "supplier spend is seen only by the chain's office and admins");
        }
        chains.emplace(call.principal.chains.begin(), call.principal.chains.end());
      }
    } else {
      CHAINHUB_ASSIGN_OR_RETURN(ChainName chain, ChainName::Parse("parent", req->parent()));
      CHAINHUB_RETURN_IF_ERROR(RequireSpendAccess(call.principal, chain.chain));
      chains.emplace(std::set<std::string>{chain.chain});
    }
    // Paginate's steps, with a page also cut at kMaxListedLines (a report holds up to 5000).
    CHAINHUB_ASSIGN_OR_RETURN(int page_size, EffectivePageSize(req->page_size()));
    const std::string fingerprint =
        QueryFingerprint(absl::StrCat("ListSupplierSpend:", req->parent()), req->filter(), "");
    CHAINHUB_ASSIGN_OR_RETURN(PageToken token, DecodePageToken(req->page_token(), fingerprint));
    PageQuery q;
    CHAINHUB_ASSIGN_OR_RETURN(q.filter, FilterToSql(req->filter(), SpendFilterFields()));
    q.columns = {"s.chain", "s.reporter", "s.period"};
    q.after = token.last_key;
    if (!q.after.empty() && q.after.size() != q.columns.size()) {
      return InvalidField("page_token", "is malformed");
    }
    q.limit = page_size + 1;
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto rows, SpendTx(tx).List(chains, q));
      int64_t lines = 0;
      size_t taken = 0;
      for (; taken < rows.size() && static_cast<int>(taken) < page_size; ++taken) {
        if (taken > 0 && lines + rows[taken].value.line_count > kMaxListedLines) break;
        lines += rows[taken].value.line_count;
        *resp->add_spend() = std::move(rows[taken].value.spend);
      }
      if (taken < rows.size()) {
        resp->set_next_page_token(EncodePageToken({rows[taken - 1].key, fingerprint}));
      }
      return absl::OkStatus();
    });
  });
}

grpc::ServerReadReactor<v1::ImportRowsRequest>* SupportService::ImportSupplierSpend(
    Ctx* ctx, v1::ImportRowsResponse* resp) {
  auto* reader = new ClientStream<v1::ImportRowsRequest>(ctx);
  return reader->Serve([=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin, roles::kChainOffice}));
    CHAINHUB_ASSIGN_OR_RETURN(
        const CsvImport file,
        ReadCsvImport(*reader, {.columns = &SpendCsvColumns(),
                                .required = SpendCsvColumns().size(),
                                .max_bytes = kMaxImportBytes,
                                .max_rows = kMaxImportRows}));
    const bool validate_only = file.validate_only;
    resp->set_rows(static_cast<int64_t>(file.rows()));
    std::vector<std::string> errors;
    std::vector<ImportedReport> reports = ReadImport(file, &errors);
    for (const ImportedReport& report : reports) {
      if (!call.principal.CanWriteChain(report.name.chain)) {
        return absl::PermissionDeniedError(
            absl::StrCat("line ", report.first_line, ": chain: supplier spend of chains/",
                         report.name.chain, " is written only by that chain's office and admins"));
      }
    }
    // The rows are applied in one transaction, or (with errors, or validate_only) only read.
    auto apply = [&](SqlTx& tx, bool write) -> absl::Status {
      resp->set_created(0);
      resp->set_unchanged(0);
      std::vector<std::string> more = errors;
      for (const ImportedReport& report : reports) {
        CHAINHUB_ASSIGN_OR_RETURN(std::string problem,
                                  ReporterProblem(tx, report.name.reporter, report.name.chain));
        if (!problem.empty()) {
          more.push_back(absl::StrCat("line ", report.first_line, ": reporter: ", problem));
        }
      }
      if (!more.empty()) {
        std::stable_sort(more.begin(), more.end(), [](const std::string& a, const std::string& b) {
          // "line N: …" in line order.
          int na = 0, nb = 0;
          (void)absl::SimpleAtoi(absl::StripPrefix(a.substr(0, a.find(':')), "line "), &na);
          (void)absl::SimpleAtoi(absl::StripPrefix(b.substr(0, b.find(':')), "line "), &nb);
          return na < nb;
        });
        resp->clear_errors();
        for (size_t i = 0; i < more.size() && i < static_cast<size_t>(kMaxImportErrors); ++i) {
          resp->add_errors(more[i]);
        }
        if (more.size() > static_cast<size_t>(kMaxImportErrors)) {
          resp->add_errors(absl::StrCat("and ", more.size() - kMaxImportErrors, " more errors"));
        }
        return absl::OkStatus();
      }
      const absl::Time now = clock_.Now();
      SpendTx db(tx);
      for (const ImportedReport& report : reports) {
        CHAINHUB_ASSIGN_OR_RETURN(auto existing, db.Find(report.name));
        if (existing && SameLines(*existing, report.spend)) {
          resp->set_unchanged(resp->unchanged() + report.spend.lines_size());
          continue;
        }
        resp->set_created(resp->created() + report.spend.lines_size());
        if (!write) continue;
        CHAINHUB_RETURN_IF_ERROR(db.Put(report.name, report.spend, call.principal.subject, now));
        CHAINHUB_RETURN_IF_ERROR(AppendAudit(
            tx, call, report.name.String(),
            absl::StrCat("import from line ", report.first_line, ": ", SpendDetail(report.spend)),
            now));
      }
      return absl::OkStatus();
    };
    if (validate_only || !errors.empty()) {
      return ReadTx([&](SqlTx& tx) { return apply(tx, false); });
    }
    return Mutate([&](SqlTx& tx) { return apply(tx, true); });
  });
}

grpc::ServerUnaryReactor* SupportService::ComputeLocalRate(Ctx* ctx,
                                                           const v1::ComputeLocalRateRequest* req,
                                                           v1::LocalRateResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(ChainName chain, ChainName::Parse("chain", req->chain()));
    CHAINHUB_RETURN_IF_ERROR(RequireSpendAccess(call.principal, chain.chain));
    CHAINHUB_ASSIGN_OR_RETURN(assessment::Period period,
                              assessment::Period::Parse("period", req->period()));
    CHAINHUB_ASSIGN_OR_RETURN(LocalityParams params, LocalityOf(*req));
    std::set<std::string> reporting_set;
    std::vector<FieldViolation> v;
    for (int i = 0; i < req->reporters_size(); ++i) {
      auto reporter =
          registry::EnterpriseName::Parse(absl::StrCat("reporters[", i, "]"), req->reporters(i));
      if (reporter.ok()) {
        reporting_set.insert(reporter->credit_code);
      } else {
        for (const FieldViolation& f : FieldViolationsOf(reporter.status())) v.push_back(f);
      }
    }
    CHAINHUB_RETURN_IF_ERROR(ToStatus(v));
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      resp->set_chain(chain.String());
      resp->set_period(period.String());
      resp->set_scope(req->scope() == v1::LOCAL_SCOPE_UNSPECIFIED ? v1::IN_CITY : req->scope());
      return LoadLocalRate(tx, chain.chain, period.String(), params, reporting_set, resp);
    });
  });
}

}  // namespace chainhub::support
