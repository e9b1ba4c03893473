// ExportFigures: the figures of a period as one XLSX workbook (figures_workbook.h; docs/support.md,
// "Export"): the request figures (SummarizeRequests, in total, by department and by chain), the
// payouts of the period's year (SummarizePayouts of each item and of all), the chain's 本地配套率
// (ComputeLocalRate) and the progress of the chain plans (GetPlanProgress), each computed by the
// code its own RPC runs (figures_load.h), all in one read transaction.
//
// Who may: every role, as for the figures RPCs, which carry no enterprise detail; the request
// figures are the same whoever asks, as SummarizeRequests gives them. The local rate names the
// chain-owner firms and what they buy, so, as ComputeLocalRate, only the chain's office and
// admins get it: for anyone else its sheet is left out and the overview says why (the rest of
// the workbook is what they may read anyway, so refusing it all would hide nothing).
#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "common/store/list_query.h"
#include "services/assessment/periods.h"
#include "services/support/chain_plan_store.h"
#include "services/support/chain_plans.h"
#include "services/support/figures_load.h"
#include "services/support/figures_workbook.h"
#include "services/support/names.h"
#include "services/support/policy_store.h"
#include "services/support/request_figures.h"
#include "services/support/support_service.h"

namespace chainhub::support {

namespace {

// Plans are read in pages of this many.
constexpr int kPlanPage = 500;

void Collect(std::vector<FieldViolation>* v, absl::string_view field, const absl::Status& s) {
  if (s.ok()) return;
  std::vector<FieldViolation> found = FieldViolationsOf(s);
  if (found.empty()) found.push_back({std::string(field), std::string(s.message())});
  for (FieldViolation& f : found) v->push_back(std::move(f));
}

// The latest version of every plan (of `chain_id` when it is set) whose span holds `year`, in
// name order.
absl::StatusOr<std::vector<v1::ChainPlan>> PlansInForce(ChainPlansTx& db,
                                                        const std::string& chain_id, int year) {
  std::optional<std::string> chain;
  if (!chain_id.empty()) chain = chain_id;
  PageQuery q;
  q.columns = {"p.id"};
  q.limit = kPlanPage;
  std::vector<v1::ChainPlan> plans;
  while (true) {
    CHAINHUB_ASSIGN_OR_RETURN(std::vector<Keyed<v1::ChainPlan>> page, db.List(chain, q));
    for (Keyed<v1::ChainPlan>& p : page) {
      if (p.value.start_year() <= year && year <= p.value.end_year()) {
        plans.push_back(std::move(p.value));
      }
    }
    if (static_cast<int>(page.size()) < q.limit) break;
    q.after = page.back().key;
  }
  std::sort(plans.begin(), plans.end(),
            [](const v1::ChainPlan& a, const v1::ChainPlan& b) { return a.name() < b.name(); });
  return plans;
}

}  // namespace

grpc::ServerUnaryReactor* SupportService::ExportFigures(Ctx* ctx,
                                                        const v1::ExportFiguresRequest* req,
                                                        v1::ExportFiguresResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    const absl::Time now = clock_.Now();
    const absl::CivilDay today = assessment::ChinaDay(now);
    std::vector<FieldViolation> violations;
    absl::StatusOr<assessment::Period> period = assessment::Period::Parse("period", req->period());
    Collect(&violations, "period", period.status());
    if (period.ok() && period->FirstDay() > today) {
      violations.push_back(
          {"period", absl::StrCat("must have begun by today (", assessment::FormatDate(today),
                                  "): there are no figures of ", period->String(), " yet")});
    }
    std::string chain_id;
    if (!req->chain().empty()) {
      absl::StatusOr<ChainName> chain = ChainName::Parse("chain", req->chain());
      Collect(&violations, "chain", chain.status());
      if (chain.ok()) chain_id = chain->chain;
    }
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));

    SupportFigures figures;
    figures.period = period->String();
    if (!chain_id.empty()) figures.chain = ChainName{chain_id}.String();
    // Requests and plans as they stood at the period's end (or today, while it runs); payouts as
    // the ledger is now.
    const absl::CivilDay as_of = std::min(period->LastDay(), today);
    const int year = period->year;
    figures.as_of = assessment::FormatDate(as_of);
    figures.payout_year = year;
    figures.payouts_as_of = assessment::FormatDate(today);
    figures.created = now;
    const bool with_local_rate = !chain_id.empty() && call.principal.CanWriteChain(chain_id);
    if (chain_id.empty()) {
      figures.local_rate_note = "未导出：导出时指定产业链（chain）才含本地配套率";
    } else if (!with_local_rate) {
      figures.local_rate_note =
          absl::StrCat("未导出：供应商采购数据仅 ", figures.chain, " 的链长办公室和管理员可见");
    } else {
      figures.local_rate_note = absl::StrCat(figures.period, " 报送的供应商采购，市内（",
                                             LocalityParams().city_code, "），按采购额加权");
    }

    CHAINHUB_RETURN_IF_ERROR(ReadTx([&](SqlTx& tx) -> absl::Status {
      // 企业诉求.
      const RequestWindow window = RequestWindowOf(*period, as_of);
      CHAINHUB_ASSIGN_OR_RETURN(std::vector<RequestFacts> facts,
                                LoadRequestFacts(tx, window, chain_id));
      auto summarize = [&](RequestGrouping grouping) {
        return support::SummarizeRequests(facts, window.from, window.to, window.as_of_end,
                                          grouping);
      };
      figures.requests_total = summarize(RequestGrouping::kNone).front();
      figures.requests_by_department = summarize(RequestGrouping::kDepartment);
      figures.requests_by_chain = summarize(RequestGrouping::kChain);

      // 政策兑现: each item whose window overlaps the year, then all of them.
      CHAINHUB_ASSIGN_OR_RETURN(std::vector<v1::PolicyItem> items, PolicyStore(tx).AllItems());
      for (const v1::PolicyItem& item : items) {
        if (!WindowInYear(item, year)) continue;
        CHAINHUB_ASSIGN_OR_RETURN(PayoutFigures f, LoadPayoutFigures(tx, {item}, year, today));
        figures.payouts.push_back({item.name(), item.title(), item.department(), f});
      }
      CHAINHUB_ASSIGN_OR_RETURN(figures.payouts_total, LoadPayoutFigures(tx, items, year, today));

      // 本地配套率: ComputeLocalRate's defaults (in the city, every firm that reported).
      if (with_local_rate) {
        v1::LocalRateResponse rate;
        rate.set_chain(figures.chain);
        rate.set_period(figures.period);
        rate.set_scope(v1::IN_CITY);
        CHAINHUB_RETURN_IF_ERROR(
            LoadLocalRate(tx, chain_id, figures.period, LocalityParams(), {}, &rate));
        figures.local_rate = std::move(rate);
      }

      // 规划: the plans in force in the period's year.
      ChainPlansTx db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(std::vector<v1::ChainPlan> plans, PlansInForce(db, chain_id, year));
      for (v1::ChainPlan& plan : plans) {
        CHAINHUB_ASSIGN_OR_RETURN(ChainPlanName name, ChainPlanName::Parse("plan", plan.name()));
        CHAINHUB_ASSIGN_OR_RETURN(PlanProgressFacts plan_facts, ProgressFacts(db, name, plan));
        v1::PlanProgress progress = ComputePlanProgress(plan_facts, as_of);
        figures.plans.push_back({std::move(plan), std::move(progress)});
      }
      return absl::OkStatus();
    }));

    CHAINHUB_ASSIGN_OR_RETURN(std::string xlsx, FiguresWorkbook(figures));
    resp->set_xlsx(std::move(xlsx));
    resp->set_filename(FiguresFilename(figures.period, chain_id));
    return absl::OkStatus();
  });
}

}  // namespace chainhub::support
