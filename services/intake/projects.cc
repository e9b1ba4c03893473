#include "services/intake/projects.h"

#include <algorithm>

#include "services/intake/summary.h"

namespace chainhub::intake {

void ClearOutputOnly(v1::Project* p) {
  p->clear_name();
  p->clear_province_chains_source();
  p->clear_stage_reason();
  p->clear_completed_investment_yuan();
  p->clear_funds_arrived_yuan();
  p->clear_last_report_month();
  p->clear_light();
  p->clear_light_reason();
  p->clear_light_date();
  p->clear_size_bands();
  p->clear_etag();
  p->clear_create_time();
  p->clear_update_time();
}

void SetSizeBands(v1::Project* p) {
  p->clear_size_bands();
  for (v1::SizeBand b : SizeBandsOf(p->total_investment_yuan())) p->add_size_bands(b);
}

bool SameDescription(const v1::Project& a, const v1::Project& b) {
  if (a.province_chains_source() != b.province_chains_source() ||
      !std::equal(a.province_chains().begin(), a.province_chains().end(),
                  b.province_chains().begin(), b.province_chains().end())) {
    return false;
  }
  v1::Project x = a, y = b;
  for (v1::Project* p : {&x, &y}) {
    ClearOutputOnly(p);
    p->clear_stage();
    p->clear_stage_dates();
    p->clear_province_chains();
  }
  return x.SerializeAsString() == y.SerializeAsString();
}

}  // namespace chainhub::intake
