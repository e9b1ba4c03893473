#include "services/intake/summary.h"

#include <algorithm>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/base/status_util.h"

namespace chainhub::intake {
namespace {

constexpr v1::SizeBand kBands[] = {
    v1::SIZE_BAND_1E8_PLUS,   v1::SIZE_BAND_5E8_TO_1E9, v1::SIZE_BAND_1E9_TO_2E9,
    v1::SIZE_BAND_2E9_TO_5E9, v1::SIZE_BAND_5E9_PLUS,   v1::SIZE_BAND_1E10_PLUS,
};

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

bool InBand(int64_t total, v1::SizeBand band) {
  const BandRange r = RangeOf(band);
  return total >= r.min && (r.max < 0 || total < r.max);
}

// First reached within [start, end] (dates as YYYY-MM-DD sort as text).
bool ReachedIn(const std::string& date, const Period& period) {
  return !date.empty() && date >= period.start_date && date <= period.end_date;
}

bool ReachedBy(const std::string& date, const Period& period) {
  return !date.empty() && date <= period.end_date;
}

void Add(v1::Tally* tally, int64_t count, int64_t investment) {
  tally->set_count(static_cast<int32_t>(tally->count() + count));
  tally->set_investment_yuan(tally->investment_yuan() + investment);
}

double Ratio(int64_t part, int64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

std::vector<v1::SizeBand> SizeBandsOf(int64_t total_investment_yuan) {
  std::vector<v1::SizeBand> out;
  for (v1::SizeBand band : kBands) {
    if (InBand(total_investment_yuan, band)) out.push_back(band);
  }
  return out;
}

int SizeBucketOf(int64_t total_investment_yuan) {
  // The bounds of every band, ascending: 1, 5, 10, 20, 50, 100亿.
  static constexpr int64_t kBounds[] = {kYi, 5 * kYi, 10 * kYi, 20 * kYi, 50 * kYi, 100 * kYi};
  int bucket = 0;
  for (int64_t bound : kBounds) bucket += total_investment_yuan >= bound ? 1 : 0;
  return bucket;
}

BucketRun BucketsOf(v1::SizeBand band) {
  const BandRange r = RangeOf(band);
  if (r.max == 0) return {};
  return {SizeBucketOf(r.min),
          r.max < 0 ? SizeBucketOf(std::numeric_limits<int64_t>::max()) : SizeBucketOf(r.max - 1)};
}

BandRange RangeOf(v1::SizeBand band) {
  switch (band) {
    case v1::SIZE_BAND_1E8_PLUS:
      return {kYi, -1};
    case v1::SIZE_BAND_5E8_TO_1E9:
      return {5 * kYi, 10 * kYi};
    case v1::SIZE_BAND_1E9_TO_2E9:
      return {10 * kYi, 20 * kYi};
    case v1::SIZE_BAND_2E9_TO_5E9:
      return {20 * kYi, 50 * kYi};
    case v1::SIZE_BAND_5E9_PLUS:
      return {50 * kYi, -1};
    case v1::SIZE_BAND_1E10_PLUS:
      return {100 * kYi, -1};
    default:
      // No project falls in an unknown band.
      return {0, 0};
  }
}

std::string SizeBandLabel(v1::SizeBand band) {
  switch (band) {
    case v1::SIZE_BAND_1E8_PLUS:
      return "≥1亿";
    case v1::SIZE_BAND_5E8_TO_1E9:
      return "5–10亿";
    case v1::SIZE_BAND_1E9_TO_2E9:
      return "10–20亿";
    case v1::SIZE_BAND_2E9_TO_5E9:
      return "20–50亿";
    case v1::SIZE_BAND_5E9_PLUS:
      return "≥50亿";
    case v1::SIZE_BAND_1E10_PLUS:
      return "≥100亿";
    default:
      return "";
  }
}

std::string SizeBandName(v1::SizeBand band) {
  if (!v1::SizeBand_IsValid(band)) return absl::StrCat("SIZE_BAND_", static_cast<int>(band));
  std::string name = v1::SizeBand_Name(band);
  if (absl::StartsWith(name, "SIZE_BAND_")) name.erase(0, 10);
  return name;
}

absl::StatusOr<Period> ParsePeriod(absl::string_view text) {
  auto bad = [&] {
    return InvalidField("period",
                        absl::StrCat("must be YYYY, YYYY-Qn or YYYY-MM, got ", Quoted(text)));
  };
  Period p;
  p.text = std::string(text);
  absl::string_view year_text = text.substr(0, 4);
  if (text.size() < 4 || !AllDigits(year_text) || !absl::SimpleAtoi(year_text, &p.year) ||
      p.year < 2000 || p.year > 2100) {
    return bad();
  }
  absl::string_view rest = text.substr(4);
  if (rest.empty()) {
    p.first_month = 1;
    p.months = 12;
  } else if (rest.size() == 3 && rest[0] == '-' && rest[1] == 'Q' && rest[2] >= '1' &&
             rest[2] <= '4') {
    p.first_month = 3 * (rest[2] - '1') + 1;
    p.months = 3;
  } else if (rest.size() == 3 && rest[0] == '-' && AllDigits(rest.substr(1))) {
    int month = 0;
    if (!absl::SimpleAtoi(rest.substr(1), &month) || month < 1 || month > 12) return bad();
    p.first_month = month;
    p.months = 1;
  } else {
    return bad();
  }
  const absl::CivilMonth first(p.year, p.first_month);
  p.start_date = absl::FormatCivilTime(absl::CivilDay(first));
  // The day before the first day of the month after the period: leap years come out right.
  p.end_date = absl::FormatCivilTime(absl::CivilDay(first + p.months) - 1);
  return p;
}

absl::StatusOr<std::string> SummaryAsOf(const Period& period, absl::string_view today) {
  if (period.start_date > today) {
    return InvalidField("period",
                        absl::StrCat(period.text, " has not begun (today is ", today, ")"));
  }
  return std::string(std::min<absl::string_view>(period.end_date, today));
}

v1::ProjectSummary Summarize(const std::vector<SummaryProject>& projects, const Period& period,
                             absl::string_view chain) {
  v1::ProjectSummary out;
  out.set_chain(std::string(chain));
  out.set_period(period.text);
  out.set_start_date(period.start_date);
  out.set_end_date(period.end_date);

  v1::StageTally* by_stage[v1::Stage_ARRAYSIZE] = {};
  for (int s = v1::STAGE_NEGOTIATING; s <= v1::STAGE_CANCELLED; ++s) {
    by_stage[s] = out.add_by_stage();
    by_stage[s]->set_stage(static_cast<v1::Stage>(s));
    by_stage[s]->mutable_tally();
  }
  v1::SizeBandTally* by_band[v1::SizeBand_ARRAYSIZE] = {};
  for (v1::SizeBand band : kBands) {
    by_band[band] = out.add_by_size_band();
    by_band[band]->set_band(band);
    by_band[band]->mutable_tally();
  }

  int64_t signed_count = 0;
  int64_t started_count = 0;
  // Σ annual plan × months, divided by 12 once at the end so rounding loses at most one yuan.
  __int128 planned_times_12 = 0;
  int64_t completed = 0;
  int64_t funds = 0;
  int64_t signed_total = 0;

  for (const SummaryProject& p : projects) {
    const int64_t n = p.count;
    const int64_t total = p.total_investment_yuan;
    const int64_t band_total = p.band_total_yuan < 0 ? total : p.band_total_yuan;
    // Reached in the period counts even for a project cancelled since: it was signed.
    if (band_total >= kYi) {
      if (ReachedIn(p.dates.signed_(), period)) Add(out.mutable_signed_1e8_plus(), n, total);
      if (ReachedIn(p.dates.started(), period)) Add(out.mutable_started_1e8_plus(), n, total);
      if (ReachedIn(p.dates.in_production(), period)) {
        Add(out.mutable_in_production_1e8_plus(), n, total);
      }
    }
    switch (p.light_at_end) {
      case v1::LIGHT_GREEN:
        out.set_green_count(static_cast<int32_t>(out.green_count() + n));
        break;
      case v1::LIGHT_YELLOW:
        out.set_yellow_count(static_cast<int32_t>(out.yellow_count() + n));
        break;
      case v1::LIGHT_RED:
        out.set_red_count(static_cast<int32_t>(out.red_count() + n));
        break;
      default:
        break;
    }

    if (p.stage_at_end == v1::STAGE_UNSPECIFIED || !v1::Stage_IsValid(p.stage_at_end)) continue;
    Add(out.mutable_projects(), n, total);
    Add(by_stage[p.stage_at_end]->mutable_tally(), n, total);
    if (p.stage_at_end == v1::STAGE_CANCELLED) continue;

    for (v1::SizeBand band : SizeBandsOf(band_total)) Add(by_band[band]->mutable_tally(), n, total);
    const bool is_signed = ReachedBy(p.dates.signed_(), period);
    const bool is_started = ReachedBy(p.dates.started(), period);
    if (is_signed) {
      signed_count += n;
      if (is_started) started_count += n;
      funds += p.funds_arrived_at_end_yuan;
      signed_total += total;
    }
    if (is_started) {
      planned_times_12 += static_cast<__int128>(p.annual_planned_investment_yuan) * period.months;
      // A report corrected downwards must not make the period's completion negative.
      completed += std::max<int64_t>(0, p.completed_at_end_yuan - p.completed_before_period_yuan);
    }
  }

  const int64_t planned = static_cast<int64_t>(planned_times_12 / 12);
  out.set_start_rate(signed_count == 0 ? 0.0 : static_cast<double>(started_count) / signed_count);
  out.set_planned_for_period_yuan(planned);
  out.set_completed_in_period_yuan(completed);
  out.set_investment_completion_rate(Ratio(completed, planned));
  out.set_funds_arrived_yuan(funds);
  out.set_funds_arrival_rate(Ratio(funds, signed_total));
  return out;
}

}  // namespace chainhub::intake
