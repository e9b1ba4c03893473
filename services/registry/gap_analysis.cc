#include "services/registry/gap_analysis.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/names.h"
#include "services/registry/names.h"

namespace chainhub::registry {
namespace {

// How promising a local firm is as a partner: lead > head > 专精特新 > high-tech > others.
int LabelScore(const MapFirm& f) {
  int score = 0;
  for (auto l : f.labels) {
    switch (l) {
      case v1::ENTERPRISE_LABEL_CHAIN_OWNER:
        score = std::max(score, 4);
        break;
      case v1::ENTERPRISE_LABEL_HEAD:
        score = std::max(score, 3);
        break;
      case v1::ENTERPRISE_LABEL_SPECIALIZED:
        score = std::max(score, 2);
        break;
      case v1::ENTERPRISE_LABEL_HIGH_TECH:
        score = std::max(score, 1);
        break;
      default:
        break;
    }
  }
  return score;
}

const char* LabelWord(const MapFirm& f) {
  switch (LabelScore(f)) {
    case 4:
      return "链主企业";
    case 3:
      return "头部企业";
    case 2:
      return "专精特新企业";
    case 1:
      return "高新技术企业";
    default:
      return "企业";
  }
}

struct Candidate {
  const MapFirm* firm;
  std::string reason;
  int rank;  // higher first
};

int SegmentWeight(v1::Segment s) {
  switch (s) {
    case v1::SEGMENT_MIDSTREAM:
      return 20;
    case v1::SEGMENT_UPSTREAM:
      return 15;
    case v1::SEGMENT_DOWNSTREAM:
      return 10;
    default:
      return 0;
  }
}

// Whether `node_name` is a node of the chain named `chain_name`.
bool OnChain(absl::string_view node_name, absl::string_view chain_name) {
  auto node = NodeName::Parse("node", node_name);
  return node.ok() && node->Chain().String() == chain_name;
}

std::string Targets(const v1::Node& n, int max) {
  std::vector<std::string> t;
  for (int i = 0; i < n.attraction_targets_size() && i < max; ++i)
    t.push_back(n.attraction_targets(i));
  return absl::StrJoin(t, "、");
}

}  // namespace

GapInputs GapInputsFor(const v1::Chain& chain, std::vector<v1::Node> all_nodes,
                       std::vector<MapFirm> firms, const NodeStatusRules& rules) {
  GapInputs in;
  in.rules = rules;
  in.firms = std::move(firms);
  std::vector<v1::Node> chain_nodes;
  for (auto& n : all_nodes) {
    if (OnChain(n.name(), chain.name())) chain_nodes.push_back(n);
    in.nodes[n.name()] = std::move(n);
  }
  in.map = BuildChainMap(chain, chain_nodes, in.firms, in.rules);
  return in;
}

v1::GapReport AnalyzeGaps(const GapInputs& in, absl::Time now) {
  v1::GapReport report;
  report.set_chain(in.map.chain());
  report.set_display_name(in.map.display_name());
  report.mutable_generated_at()->set_seconds(absl::ToUnixSeconds(now));
  report.set_node_count(in.map.node_count());
  report.set_missing_count(in.map.missing_count());
  report.set_weak_count(in.map.weak_count());
  report.set_strong_count(in.map.strong_count());

  // Leaves in upstream→downstream order: the links of the chain. A group node's strength is the
  // sum of its links, so only links are reported.
  std::vector<const v1::ChainMapNode*> leaves;
  ForEachMapNode(in.map, [&](const v1::ChainMapNode& n) {
    if (n.children_size() == 0) leaves.push_back(&n);
  });

  std::map<std::string, std::vector<const MapFirm*>> on_node;
  for (const auto& f : in.firms) {
    for (const auto& node : f.node_names) on_node[node].push_back(&f);
  }

  struct Scored {
    int score;
    size_t position;
    v1::AttractionItem item;
  };
  std::vector<Scored> items;

  // The nodes of every other chain, by name: where a link's key products may already be made.
  std::vector<std::pair<const std::string*, const v1::Node*>> elsewhere;
  for (const auto& [name, other] : in.nodes) {
    if (!OnChain(name, in.map.chain())) elsewhere.emplace_back(&name, &other);
  }

  for (size_t li = 0; li < leaves.size(); ++li) {
    const v1::ChainMapNode& m = *leaves[li];
    if (m.status() != v1::NODE_STATUS_MISSING && m.status() != v1::NODE_STATUS_WEAK) continue;
    const v1::Node& node = m.node();
    v1::NodeGap* gap = report.add_gaps();
    gap->set_node(node.name());
    gap->set_display_name(node.display_name());
    gap->set_segment(node.segment());
    gap->set_status(m.status());
    gap->set_enterprise_count(m.enterprise_count());
    gap->set_lead_firm_count(m.lead_firm_count());
    if (m.status() == v1::NODE_STATUS_MISSING) {
      gap->set_reason("no enterprise on the link (缺链)");
    } else if (m.enterprise_count() < in.rules.min_firms) {
      gap->set_reason(absl::StrCat(m.enterprise_count(), " enterprise(s), fewer than ",
                                   in.rules.min_firms, " (薄弱)"));
    } else {
      gap->set_reason("no lead firm (缺少链主企业)");
    }

    std::vector<Candidate> candidates;
    std::set<std::string> seen;
    for (const MapFirm* f : on_node[node.name()]) {
      if (f->lead) {
        auto* lf = gap->add_lead_firms();
        lf->set_enterprise(EnterpriseName{f->credit_code}.String());
        lf->set_display_name(f->display_name);
        lf->set_reason("链主企业 on the link");
        seen.insert(f->credit_code);
      }
    }
    // Firms on the link itself that could grow into its lead firm (强链).
    if (m.status() == v1::NODE_STATUS_WEAK) {
      for (const MapFirm* f : on_node[node.name()]) {
        if (seen.contains(f->credit_code)) continue;
        candidates.push_back(
            {f, absl::StrCat(LabelWord(*f), " on the link; can grow into its lead firm"),
             300 + LabelScore(*f)});
      }
    }
    // Firms on the neighbouring links upstream and downstream (延链).
    for (size_t nj : {li - 1, li + 1}) {
      if (nj >= leaves.size()) continue;
      const v1::Node& neighbour = leaves[nj]->node();
      for (const MapFirm* f : on_node[neighbour.name()]) {
        if (LabelScore(*f) == 0) continue;
        candidates.push_back({f,
                              absl::StrCat(LabelWord(*f), " on the neighbouring link ",
                                           neighbour.display_name(), " (延链)"),
                              200 + LabelScore(*f)});
      }
    }
    // Firms on other chains' nodes making the same key products or technologies.
    std::set<std::string> wanted(node.key_products().begin(), node.key_products().end());
    wanted.insert(node.key_technologies().begin(), node.key_technologies().end());
    if (!wanted.empty()) {
      for (const auto& [name, other] : elsewhere) {
        if (*name == node.name()) continue;
        std::string shared;
        for (const auto& p : other->key_products()) {
          if (wanted.contains(p)) shared = p;
        }
        for (const auto& t : other->key_technologies()) {
          if (shared.empty() && wanted.contains(t)) shared = t;
        }
        if (shared.empty()) continue;
        for (const MapFirm* f : on_node[*name]) {
          candidates.push_back(
              {f,
               absl::StrCat("makes ", shared, " on ", other->display_name(), " of another chain"),
               100 + LabelScore(*f)});
        }
      }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) {
                       if (a.rank != b.rank) return a.rank > b.rank;
                       return a.firm->annual_output_yuan > b.firm->annual_output_yuan;
                     });
    for (const auto& c : candidates) {
      if (gap->candidates_size() >= kMaxCandidatesPerNode) break;
      if (!seen.insert(c.firm->credit_code).second) continue;
      auto* out = gap->add_candidates();
      out->set_enterprise(EnterpriseName{c.firm->credit_code}.String());
      out->set_display_name(c.firm->display_name);
      out->set_reason(c.reason);
    }

    // The attraction list entry.
    v1::AttractionItem item;
    item.set_node(node.name());
    item.set_node_display_name(node.display_name());
    item.set_segment(node.segment());
    for (const auto& t : node.attraction_targets()) item.add_targets(t);
    for (const auto& c : gap->candidates()) *item.add_local_candidates() = c;
    const std::string targets = Targets(node, 3);
    const std::string attract =
        targets.empty() ? "招引该环节头部企业" : absl::StrCat("招引", targets, "等企业");
    int score = 0;
    if (m.status() == v1::NODE_STATUS_MISSING) {
      score = 100;
      if (gap->candidates_size() > 0) {
        item.set_action(v1::CHAIN_ACTION_EXTEND);
        item.set_rationale(absl::StrCat(node.display_name(), "缺链：引导",
                                        gap->candidates(0).display_name(),
                                        "等相邻环节企业延链，同时", attract));
      } else {
        item.set_action(v1::CHAIN_ACTION_BUILD);
        item.set_rationale(
            absl::StrCat(node.display_name(), "缺链：本地暂无企业，按图索骥", attract, "建链"));
      }
    } else if (m.enterprise_count() < in.rules.min_firms) {
      score = 60;
      item.set_action(v1::CHAIN_ACTION_FILL);
      item.set_rationale(absl::StrCat(node.display_name(), "薄弱：仅", m.enterprise_count(),
                                      "家企业，", attract, "补链"));
    } else {
      score = 50;
      item.set_action(v1::CHAIN_ACTION_STRENGTHEN);
      item.set_rationale(
          absl::StrCat(node.display_name(), "缺少链主企业：",
                       gap->candidates_size() > 0
                           ? absl::StrCat("培育", gap->candidates(0).display_name(), "，或")
                           : std::string(),
                       attract, "强链"));
    }
    score += SegmentWeight(node.segment()) + (node.attraction_targets_size() > 0 ? 5 : 0);
    items.push_back({score, li, std::move(item)});
  }
  std::stable_sort(items.begin(), items.end(), [](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.position < b.position;
  });
  int priority = 0;
  for (auto& s : items) {
    s.item.set_priority(++priority);
    *report.add_attraction_list() = std::move(s.item);
  }
  return report;
}

}  // namespace chainhub::registry
