#!/usr/bin/env python3
"""Generate data/projects.csv and data/progress.csv: a SYNTHETIC industrial project library
(产业项目库) for chainhub's demo data, in the layout `chainctl projects import` and
`chainctl projects report --file` read.

Every project is made up (synthetic=true): names, investors, credit codes and figures belong to
no real project or firm. About 400 projects over the eight chains of data/chains.json, with:
  - realistic names (年产10GW高效光伏组件项目) on the nodes of the chains that have a map in
    data/maps/*.json, chain-level names for the others;
  - amounts spread over every size band (≥1亿, 5–10亿, 10–20亿, 20–50亿, ≥50亿, ≥100亿), in whole
    万元 as department systems report them;
  - stages 在谈 → 达产 with consistent stage dates between 2024-01-01 and 2026-10-31;
  - investors mostly from outside the province, some foreign, some Fortune 500; ~15% 招才引智;
  - planned start dates for projects not started yet, some of them past (yellow and red lights);
  - monthly cumulative progress for started projects, Jan … Oct 2026 (plus a Dec 2025 base for
    those started earlier), some far behind their annual plan (red lights).

Python 3 standard library only; deterministic (fixed seed). Usage, from anywhere:
    python3 data/generate_projects.py            # writes data/projects.csv and data/progress.csv
    python3 data/generate_projects.py --check    # only validate the existing files
"""

import csv
import datetime as dt
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from generate_enterprises import make_credit_code, validate_credit_code  # noqa: E402

PROJECTS = os.path.join(HERE, "projects.csv")
PROGRESS = os.path.join(HERE, "progress.csv")
SEED = 20240101  # the library starts in January 2024

FIRST_DATE = dt.date(2024, 1, 1)
LAST_DATE = dt.date(2026, 10, 31)  # no stage date and no report after this
# Lights in the demo are evaluated on LAST_DATE: expected progress = 9/12 of the annual plan.
LIGHT_DATE = LAST_DATE
REPORT_MONTHS = ["2026-%02d" % m for m in range(1, 11)]
BASE_MONTH = "2025-12"

HEADER = ["external_id", "display_name", "chain", "node", "province_chains", "county", "park",
          "investor_name", "investor_origin", "fortune500", "investor_credit_code", "source",
          "total_investment_yuan", "fixed_asset_investment_yuan",
          "annual_planned_investment_yuan", "responsible_leader", "responsible_department",
          "provincial_key", "planned_start_date", "stage", "negotiating_date", "signed_date",
          "registered_date", "started_date", "in_production_date", "full_output_date",
          "synthetic"]
PROGRESS_HEADER = ["external_id", "month", "cumulative_completed_yuan",
                   "cumulative_funds_arrived_yuan", "note"]
STAGES = ["NEGOTIATING", "SIGNED", "REGISTERED", "STARTED", "IN_PRODUCTION", "FULL_OUTPUT"]
STAGE_DATE_COLUMNS = ["negotiating_date", "signed_date", "registered_date", "started_date",
                      "in_production_date", "full_output_date"]
YI = 100_000_000
WAN = 10_000

# ------------------------------------------------------------------------------------------
# The city

COUNTIES = ["琅琊区", "南谯区", "天长市", "明光市", "来安县", "全椒县", "定远县", "凤阳县"]
PARKS = {
    "琅琊区": ["滁州经济技术开发区", "琅琊经济开发区"],
    "南谯区": ["苏滁现代产业园", "中新苏滁高新区", "滁州高新技术产业开发区"],
    "天长市": ["天长经济开发区", "天长高新技术产业开发区"],
    "明光市": ["明光经济开发区"],
    "来安县": ["来安汊河经济开发区", "来安经济开发区"],
    "全椒县": ["全椒经济开发区", "全椒十谭现代产业园"],
    "定远县": ["定远盐化工业园区", "定远经济开发区"],
    "凤阳县": ["凤阳硅工业园区", "凤阳经济开发区"],
}
# Specialised parks take only their theme's projects.
THEME_PARKS = {"凤阳硅工业园区": {("pv", "quartz-sand"), ("pv", "pv-glass"), ("pv", "silicon-wafer")},
               "定远盐化工业园区": {("new-chemical", None), ("nev-battery", "electrolyte"),
                              ("nev-battery", "cathode")}}


def county_leader(county):
    return county + {"区": "区长", "县": "县长", "市": "市长"}[county[-1]]


# ------------------------------------------------------------------------------------------
# What each chain builds. (node id or None, name template, size: log10 of total yuan mean, spread)
# Templates take {n}: a capacity figure drawn from the list beside them.

CHAIN_PLAN = {
    "pv": {"count": 72, "hosts": ["琅琊区", "南谯区", "来安县", "全椒县", "定远县", "凤阳县"],
           "depts": ["fgw", "fgw", "zsj", "jxj"], "industry": ["新能源", "光伏科技", "光电科技", "光能"],
           "items": [
               ("quartz-sand", "年产{n}万吨高纯石英砂项目", [5, 10, 20, 30], 9.0),
               ("silicon-wafer", "年产{n}GW单晶硅片项目", [10, 20, 30], 9.9),
               ("pv-glass", "日熔{n}吨光伏玻璃项目", [1200, 2400, 4800], 9.5),
               ("pv-cell", "年产{n}GW N型TOPCon高效电池片项目", [5, 10, 20], 9.8),
               ("pv-cell", "年产{n}GW异质结(HJT)电池项目", [5, 10], 9.7),
               ("pv-module", "年产{n}GW高效光伏组件项目", [5, 10, 15, 20], 9.6),
               ("inverter", "年产{n}GW光伏逆变器项目", [5, 10, 20], 8.9),
               ("pv-frame", "年产{n}万套光伏铝边框项目", [300, 500, 1000], 8.6),
               ("encapsulant-film", "年产{n}亿平方米光伏封装胶膜项目", [1, 2, 3], 8.8),
               ("backsheet", "年产{n}万平方米光伏背板项目", [3000, 6000], 8.5),
               ("power-station", "{n}MW分布式光伏电站项目", [20, 50, 100], 8.3),
               ("power-station", "{n}MW渔光互补光伏电站项目", [100, 200, 300], 8.9),
           ],
           "talent": [("pv-cell", "钙钛矿叠层电池中试线项目"), ("inverter", "光储一体化控制系统研发及产业化项目"),
                      ("encapsulant-film", "光伏新材料研发及产业化项目")]},
    "semiconductor": {"count": 45, "hosts": ["琅琊区", "南谯区", "天长市"],
                      "depts": ["jxj", "jxj", "kjj", "zsj"],
                      "industry": ["半导体", "微电子", "集成电路", "芯材科技"],
                      "items": [
                          ("wafer-substrate", "年产{n}万片8英寸硅片项目", [60, 120, 240], 9.4),
                          ("wafer-substrate", "年产{n}万片碳化硅衬底项目", [10, 20, 30], 9.3),
                          ("electronic-chemicals", "年产{n}万吨电子级湿化学品项目", [3, 5, 10], 8.8),
                          ("sputtering-targets", "年产{n}吨高纯溅射靶材项目", [200, 500], 8.6),
                          ("equipment-parts", "半导体设备精密零部件制造项目", [None], 8.7),
                          ("wafer-fab", "{n}英寸特色工艺晶圆制造项目", [8, 12], 10.2),
                          ("packaging-test", "年封测{n}亿颗集成电路项目", [10, 30, 50], 9.2),
                          ("power-devices", "年产{n}万片功率半导体器件项目", [36, 60, 120], 9.3),
                          ("display-panel", "新型显示模组生产基地项目", [None], 9.6),
                          ("automotive-electronics", "年产{n}万套汽车电子控制器项目", [100, 300], 8.8),
                      ],
                      "talent": [("ic-design", "芯片设计研发中心项目"), ("power-devices", "第三代半导体器件研发及产业化项目"),
                                 ("electronic-chemicals", "光刻胶配套材料研发项目")]},
    "auto-equipment": {"count": 58, "hosts": ["琅琊区", "南谯区", "来安县", "全椒县", "天长市", "明光市"],
                       "depts": ["jxj", "jxj", "fgw", "zsj"],
                       "industry": ["汽车零部件", "智能装备", "精密机械", "汽车科技"],
                       "items": [
                           (None, "年产{n}万辆新能源整车项目", [10, 20], 10.1),
                           (None, "年产{n}万套新能源汽车底盘系统项目", [30, 50, 100], 9.0),
                           (None, "年产{n}万套汽车内外饰件项目", [100, 200], 8.5),
                           (None, "年产{n}万台新能源汽车电驱系统项目", [20, 50], 9.1),
                           (None, "年产{n}万套汽车线束项目", [100, 300], 8.3),
                           (None, "年产{n}台智能工程机械项目", [1000, 3000], 8.9),
                           (None, "年产{n}台(套)工业机器人项目", [2000, 5000], 8.7),
                           (None, "年产{n}万件精密铸锻件项目", [50, 100], 8.4),
                       ],
                       "talent": [(None, "智能网联汽车测试验证平台项目"), (None, "高端数控装备研发及产业化项目")]},
    "nev-battery": {"count": 62, "hosts": ["南谯区", "来安县", "全椒县", "定远县"],
                    "depts": ["fgw", "fgw", "jxj", "zsj"], "industry": ["新能源科技", "锂电科技", "储能科技", "新材料"],
                    "items": [
                        ("cathode", "年产{n}万吨磷酸铁锂正极材料项目", [5, 10, 20], 9.4),
                        ("anode", "年产{n}万吨锂电负极材料项目", [5, 10], 9.2),
                        ("electrolyte", "年产{n}万吨锂电池电解液项目", [5, 10, 20], 8.9),
                        ("separator", "年产{n}亿平方米锂电隔膜项目", [5, 10], 9.1),
                        ("current-collector", "年产{n}万吨锂电铜箔项目", [2, 5], 9.2),
                        ("power-battery", "年产{n}GWh动力电池项目", [10, 20, 40], 10.1),
                        ("storage-battery", "年产{n}GWh储能电池项目", [5, 10, 20], 9.8),
                        ("bms-pack", "年产{n}万套电池PACK及BMS项目", [10, 30, 50], 8.8),
                        ("storage-system", "年产{n}GWh储能系统集成项目", [2, 5, 10], 9.0),
                        ("battery-recycling", "年处理{n}万吨废旧锂电池回收利用项目", [2, 5, 10], 8.9),
                    ],
                    "talent": [("storage-battery", "固态电池研发及中试项目"), ("cathode", "钠离子电池正极材料研发项目")]},
    "medical": {"count": 40, "hosts": ["琅琊区", "南谯区", "全椒县", "天长市"],
                "depts": ["kjj", "kjj", "jxj", "zsj"], "industry": ["医疗器械", "生物医药", "医药科技", "生命科技"],
                "items": [
                    (None, "高端医疗器械产业园项目", [None], 9.2),
                    (None, "年产{n}万台(套)医用影像设备项目", [1, 2], 8.9),
                    (None, "年产{n}亿支医用耗材项目", [5, 10], 8.5),
                    (None, "生物医药原料药及制剂生产基地项目", [None], 9.0),
                    (None, "年产{n}万台体外诊断设备项目", [1, 3], 8.6),
                    (None, "中药饮片及配方颗粒生产项目", [None], 8.3),
                ],
                "talent": [(None, "创新药研发及产业化项目"), (None, "高端医疗器械研发中心项目"), (None, "生物试剂研发平台项目")]},
    "home-appliance": {"count": 45, "hosts": ["琅琊区", "南谯区", "全椒县", "明光市"],
                       "depts": ["jxj", "jxj", "swj", "zsj"], "industry": ["电器", "智能家居", "家电科技", "电子科技"],
                       "items": [
                           ("compressor", "年产{n}万台变频压缩机项目", [300, 600], 9.2),
                           ("motor", "年产{n}万台家电电机项目", [500, 1000], 8.7),
                           ("controller", "年产{n}万套智能控制器项目", [1000, 2000], 8.6),
                           ("structural-parts", "年产{n}万套家电钣金注塑件项目", [500, 1000], 8.4),
                           ("refrigerator", "年产{n}万台智能冰箱项目", [100, 200, 300], 9.3),
                           ("washing-machine", "年产{n}万台滚筒洗衣机项目", [100, 200], 9.1),
                           ("air-conditioner", "年产{n}万套空调项目", [200, 300], 9.3),
                           ("kitchen-appliances", "年产{n}万台厨卫及小家电项目", [300, 500], 8.6),
                           ("smart-home", "智能家居系统生产基地项目", [None], 8.7),
                           ("appliance-recycling", "年拆解{n}万台废旧家电回收利用项目", [100, 200], 8.3),
                       ],
                       "talent": [("smart-home", "全屋智能研发中心项目"), ("controller", "家电物联网模组研发项目")]},
    "new-chemical": {"count": 43, "hosts": ["定远县", "凤阳县", "明光市"],
                     "depts": ["jxj", "jxj", "zsj", "fgw"], "industry": ["化工", "新材料", "化学", "精细化工"],
                     "items": [
                         (None, "年产{n}万吨盐化工一体化项目", [30, 60, 100], 9.8),
                         (None, "年产{n}万吨可降解材料项目", [10, 20], 9.2),
                         (None, "年产{n}万吨凹凸棒黏土新材料项目", [5, 10], 8.6),
                         (None, "年产{n}万吨高性能树脂项目", [10, 20], 9.1),
                         (None, "年产{n}万吨电子化学品项目", [3, 5], 8.9),
                         (None, "年产{n}万吨精细化工中间体项目", [2, 5], 8.7),
                     ],
                     "talent": [(None, "新型催化材料研发及产业化项目"), (None, "凹凸棒石功能材料研发项目")]},
    "health-food": {"count": 35, "hosts": ["来安县", "全椒县", "定远县", "凤阳县", "天长市", "明光市"],
                    "depts": ["nyncj", "nyncj", "jxj", "zsj"], "industry": ["食品", "农业科技", "生物科技", "粮油"],
                    "items": [
                        (None, "年产{n}万吨预制菜生产项目", [5, 10], 8.5),
                        (None, "年加工{n}万吨优质粮油项目", [10, 30], 8.6),
                        (None, "年产{n}万吨功能性食品项目", [2, 5], 8.3),
                        (None, "年屠宰加工{n}万头生猪项目", [50, 100], 8.8),
                        (None, "年产{n}万吨乳制品项目", [10, 20], 8.9),
                        (None, "冷链物流及中央厨房项目", [None], 8.4),
                    ],
                    "talent": [(None, "益生菌功能食品研发项目"), (None, "农产品精深加工技术研发项目")]},
}
CHAIN_ABBR = {"pv": "PV", "semiconductor": "IC", "auto-equipment": "AE", "nev-battery": "NB",
              "medical": "MD", "home-appliance": "HA", "new-chemical": "NC", "health-food": "HF"}
# Flagship projects (≥50亿, ≥100亿) pinned so that those bands always show.
FLAGSHIPS = {"CZXM-PV-0003": 128 * 100_000_000, "CZXM-NB-0002": 152 * 100_000_000,
             "CZXM-IC-0004": 105 * 100_000_000, "CZXM-PV-0011": 62 * 100_000_000,
             "CZXM-NB-0009": 75 * 100_000_000, "CZXM-AE-0005": 58 * 100_000_000,
             "CZXM-NC-0002": 66 * 100_000_000, "CZXM-HA-0006": 52 * 100_000_000}
# Provincial overrides (2026 list) for projects whose node leans one way.
PROVINCE_OVERRIDES = {("nev-battery", "power-battery"): "icv-nev",
                      ("nev-battery", "storage-battery"): "new-energy-low-carbon",
                      ("nev-battery", "storage-system"): "new-energy-low-carbon"}

# ------------------------------------------------------------------------------------------
# Investors

TRADE_A = "华恒瑞金宏鑫嘉博创润锦泰盛鼎佳明远凯德立新永汇科康达昌裕卓亿安宁聚益丰和兴茂顺辉弘启晶"
TRADE_B = "辰宇峰诚源航川越腾邦迈程拓凌岳晖昊睿芯驰铭朗翔骏泽坤琪韬熠晨阳赫杰隆"
OUT_REGIONS = [("江苏", "320500"), ("浙江", "330100"), ("上海", "310115"), ("深圳", "440300"),
               ("广东", "440100"), ("北京", "110108"), ("山东", "370200"), ("福建", "350200"),
               ("湖北", "420100"), ("四川", "510100"), ("天津", "120116"), ("河南", "410100")]
IN_REGIONS = [("合肥", "340100"), ("芜湖", "340200"), ("安徽", "340100"), ("马鞍山", "340500"),
              ("蚌埠", "340300"), ("滁州", "341100")]
FOREIGN_FORMS = ["香港{t}{i}投资有限公司", "新加坡{t}控股私人有限公司", "日本{t}株式会社",
                 "韩国{t}株式会社", "德国{t}集团有限公司", "美国{t}{i}有限公司"]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def round_wan(yuan):
    return max(WAN, int(round(yuan / WAN)) * WAN)


def add_months(d, months):
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][m - 1]
    return dt.date(y, m, min(d.day, last))


class Generator:
    def __init__(self, nodes):
        self.rng = random.Random(SEED)
        self.nodes = nodes
        self.used_trades = set()
        self.used_names = set()
        self.used_codes = set()

    def trade(self):
        while True:
            t = self.rng.choice(TRADE_A) + self.rng.choice(TRADE_B)
            if t not in self.used_trades:
                self.used_trades.add(t)
                return t

    def credit_code(self, division):
        while True:
            body = "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
            code = make_credit_code(division, body)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def investor(self, plan, big):
        rng = self.rng
        origin = weighted(rng, [("OUT_OF_PROVINCE", 64), ("IN_PROVINCE", 23), ("FOREIGN", 13)])
        t = self.trade()
        industry = rng.choice(plan["industry"])
        code = ""
        if origin == "FOREIGN":
            name = rng.choice(FOREIGN_FORMS).format(t=t, i=industry)
        else:
            region, division = rng.choice(OUT_REGIONS if origin == "OUT_OF_PROVINCE" else IN_REGIONS)
            suffix = "集团有限公司" if big and rng.random() < 0.5 else rng.choice(
                ["有限公司", "股份有限公司", "科技有限公司"])
            if suffix == "科技有限公司" and industry.endswith("科技"):
                suffix = "有限公司"
            name = region + t + industry + suffix
            if rng.random() < 0.6:
                code = self.credit_code(division)
        fortune500 = big and rng.random() < 0.35 or (not big and rng.random() < 0.02)
        return t, name, origin, fortune500, code

    def amount(self, log_mean, talent):
        if talent:
            return round_wan(10 ** self.rng.uniform(7.3, 8.6))  # 2000万 … 4亿
        # Below 50亿: the ≥50亿 and ≥100亿 bands are the flagships' (FLAGSHIPS), a few by design;
        # a draw above is folded back into 28–49亿 rather than piled up at the cap.
        x = max(7.2, self.rng.gauss(log_mean - 0.15, 0.38))
        if x > 9.69:
            x = self.rng.uniform(9.45, 9.69)
        return round_wan(10 ** x)

    def stage_dates(self, stage_index):
        """Dates for every line stage up to stage_index, in order, within [FIRST, LAST]."""
        rng = self.rng
        gaps = [rng.randint(20, 180), rng.randint(10, 90), rng.randint(20, 180),
                rng.randint(240, 540), rng.randint(150, 400)][:stage_index]
        span = (LAST_DATE - FIRST_DATE).days
        while sum(gaps) > span - 30:
            gaps = [max(5, g * 2 // 3) for g in gaps]
        # The date the current stage was reached, leaning to recent for early stages.
        earliest = FIRST_DATE + dt.timedelta(days=sum(gaps))
        window = (LAST_DATE - earliest).days
        # Projects still before the start lean to recent dates: few talk for two years.
        lean = rng.random() ** (0.4 if stage_index <= 2 else 1.0)
        reached = earliest + dt.timedelta(days=int(window * lean))
        dates = [reached]
        for g in reversed(gaps):
            dates.insert(0, dates[0] - dt.timedelta(days=g))
        assert dates[0] >= FIRST_DATE and dates[-1] <= LAST_DATE, dates
        return dates

    def project(self, chain, plan, seq, stage, talent, flagship):
        rng = self.rng
        if talent:
            node, title = rng.choice(plan["talent"])
            log_mean = 8.0
        else:
            node, template, figures, log_mean = rng.choice(plan["items"])
            n = rng.choice(figures)
            title = template.format(n=n) if n is not None else template
        if node is not None and node not in self.nodes.get(chain, set()):
            raise SystemExit("node %s is not on the %s map" % (node, chain))
        total = flagship or self.amount(log_mean, talent)
        t, investor, origin, fortune500, code = self.investor(plan, total >= 20 * YI)
        fortune500 = fortune500 or bool(flagship)
        name = t + rng.choice(plan["industry"])[:2] + title if rng.random() < 0.8 else t + title
        while name in self.used_names:
            name = self.trade() + title
        self.used_names.add(name)

        county = rng.choice(plan["hosts"]) if rng.random() < 0.85 else rng.choice(COUNTIES)
        parks = [p for p in PARKS[county]
                 if p not in THEME_PARKS or (chain, node) in THEME_PARKS[p] or
                 (chain, None) in THEME_PARKS[p]]
        park = rng.choice(parks) if rng.random() < 0.9 else ""

        stage_index = STAGES.index(stage)
        dates = self.stage_dates(stage_index)
        row = {
            "external_id": "CZXM-%s-%04d" % (CHAIN_ABBR[chain], seq),
            "display_name": name,
            "chain": chain,
            "node": node or "",
            "province_chains": PROVINCE_OVERRIDES.get((chain, node), "") if rng.random() < 0.5
            else "",
            "county": county,
            "park": park,
            "investor_name": investor,
            "investor_origin": origin,
            "fortune500": "true" if fortune500 else "false",
            "investor_credit_code": code,
            "source": "TALENT" if talent else "INVESTMENT",
            "total_investment_yuan": total,
            "fixed_asset_investment_yuan": round_wan(total * rng.uniform(0.55, 0.9)),
            "annual_planned_investment_yuan": 0,
            "responsible_leader": "副市长（链长）" if total >= 50 * YI else county_leader(county),
            "responsible_department": rng.choice(plan["depts"]),
            "provincial_key": "true" if flagship or (total >= 10 * YI and rng.random() < 0.45)
            else "false",
            "planned_start_date": "",
            "stage": stage,
            "synthetic": "true",
        }
        for i, column in enumerate(STAGE_DATE_COLUMNS):
            row[column] = dates[i].isoformat() if i <= stage_index else ""
        if stage_index < 3:
            # Not started: a planned start, in the past for some (lights turn yellow after one
            # whole month, red after three).
            late = weighted(rng, [("future", 62), ("yellow", 18), ("red", 20)])
            if late == "future":
                planned = add_months(LAST_DATE, rng.randint(1, 10)) - dt.timedelta(
                    days=rng.randint(0, 27))
            elif late == "yellow":
                planned = add_months(LIGHT_DATE, -1) - dt.timedelta(days=rng.randint(0, 25))
            else:
                planned = add_months(LIGHT_DATE, -rng.randint(3, 9)) - dt.timedelta(
                    days=rng.randint(1, 25))
            planned = max(planned, dates[-1] + dt.timedelta(days=15))
            row["planned_start_date"] = planned.isoformat()
            # The plan for the year of a project still to start: a first tranche, if any.
            if rng.random() < 0.5:
                row["annual_planned_investment_yuan"] = round_wan(total * rng.uniform(0.05, 0.2))
        return row

    def progress(self, row):
        """Monthly cumulative reports of a started project, and its annual plan."""
        rng = self.rng
        total = row["total_investment_yuan"]
        stage = row["stage"]
        started = dt.date.fromisoformat(row["started_date"])
        if stage == "FULL_OUTPUT":
            before, plan = total, 0
        elif stage == "IN_PRODUCTION":
            before = round_wan(total * rng.uniform(0.65, 0.9)) if started.year < 2026 else 0
            plan = round_wan((total - before) * rng.uniform(0.6, 1.0))
        else:
            before = round_wan(total * rng.uniform(0.15, 0.55)) if started.year < 2026 else 0
            plan = round_wan(min(total - before, total * rng.uniform(0.25, 0.5)))
        before = min(before, total)
        plan = max(0, min(plan, total - before))
        row["annual_planned_investment_yuan"] = plan
        # Share of the plan done by October: expected is 9/12 = 75% on LIGHT_DATE; yellow is
        # 10–30 points behind (45%…65%), red more than 30 (< 45%).
        light = weighted(rng, [("green", 68), ("yellow", 16), ("red", 16)])
        share = {"green": rng.uniform(0.7, 1.0), "yellow": rng.uniform(0.48, 0.63),
                 "red": rng.uniform(0.05, 0.4)}[light]
        done = int(plan * share) // WAN * WAN
        first = 1 if started.year < 2026 else started.month
        months = REPORT_MONTHS[first - 1:]
        # A path to `done` by October: uneven monthly steps, stalls for red projects.
        weights = [rng.uniform(0.3, 1.7) * (0 if light == "red" and rng.random() < 0.4 else 1)
                   for _ in months]
        if sum(weights) == 0:
            weights[-1] = 1
        reports = []
        if started.year < 2026:
            reports.append((BASE_MONTH, before, self.funds(before, total, before), "2025年末累计"))
        cumulative = 0.0
        scale = sum(weights)
        for i, month in enumerate(months):
            cumulative += done * weights[i] / scale
            completed = before + (done if i == len(months) - 1 else int(cumulative) // WAN * WAN)
            note = ""
            if light == "red" and i == len(months) - 1:
                note = rng.choice(["用地手续未完成，进度滞后", "设备采购延期", "资金到位不足",
                                   "环评批复待下达", "施工许可办理中"])
            elif month == "2026-06" and light == "green":
                note = "上半年完成序时进度"
            reports.append((month, completed, self.funds(completed, total, before), note))
        # Funds are cumulative too: never below an earlier month's.
        fixed = []
        high = 0
        for month, completed, funds, note in reports:
            high = max(high, funds)
            fixed.append((month, completed, min(high, total), note))
        return light, fixed

    def funds(self, completed, total, before):
        return min(total, round_wan(completed * self.rng.uniform(0.85, 1.05))) if completed else 0

    def run(self):
        rng = self.rng
        rows, progress, lights = [], [], {}
        for chain, plan in CHAIN_PLAN.items():
            for seq in range(1, plan["count"] + 1):
                eid = "CZXM-%s-%04d" % (CHAIN_ABBR[chain], seq)
                flagship = FLAGSHIPS.get(eid)
                talent = rng.random() < 0.15 and not flagship
                stage = weighted(rng, [("NEGOTIATING", 15), ("SIGNED", 17), ("REGISTERED", 12),
                                       ("STARTED", 33), ("IN_PRODUCTION", 15),
                                       ("FULL_OUTPUT", 8)])
                row = self.project(chain, plan, seq, stage, talent, flagship)
                if STAGES.index(stage) >= 3:
                    light, reports = self.progress(row)
                    lights[row["external_id"]] = light
                    for month, completed, funds, note in reports:
                        progress.append({"external_id": row["external_id"], "month": month,
                                         "cumulative_completed_yuan": completed,
                                         "cumulative_funds_arrived_yuan": funds, "note": note})
                rows.append(row)
        return rows, progress


def load_nodes():
    nodes = {}
    for name in sorted(os.listdir(os.path.join(HERE, "maps"))):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(HERE, "maps", name), encoding="utf-8") as f:
            data = json.load(f)
        for n in data["nodes"]:
            _, chain, _, node = n["name"].split("/")
            nodes.setdefault(chain, set()).add(node)
    return nodes


# ------------------------------------------------------------------------------------------
# Checks

def check(rows, progress):
    errors = []
    with open(os.path.join(HERE, "chains.json"), encoding="utf-8") as f:
        chains = {c["name"].split("/")[1] for c in json.load(f)["chains"]}
    with open(os.path.join(HERE, "departments.json"), encoding="utf-8") as f:
        depts = {d["name"].split("/")[1] for d in json.load(f)["departments"]}
    nodes = load_nodes()
    ids, names = set(), set()
    by_id = {}
    for r in rows:
        eid = r["external_id"]
        by_id[eid] = r
        if eid in ids:
            errors.append("%s: external_id repeated" % eid)
        ids.add(eid)
        if r["display_name"] in names:
            errors.append("%s: display_name repeated" % eid)
        names.add(r["display_name"])
        if len(r["display_name"]) > 128:
            errors.append("%s: display_name longer than 128" % eid)
        if r["chain"] not in chains:
            errors.append("%s: unknown chain %s" % (eid, r["chain"]))
        if r["node"] and r["node"] not in nodes.get(r["chain"], set()):
            errors.append("%s: node %s not on the %s map" % (eid, r["node"], r["chain"]))
        if r["county"] not in COUNTIES:
            errors.append("%s: county %s" % (eid, r["county"]))
        if r["park"] and r["park"] not in PARKS[r["county"]]:
            errors.append("%s: park %s not in %s" % (eid, r["park"], r["county"]))
        if r["responsible_department"] not in depts:
            errors.append("%s: department %s" % (eid, r["responsible_department"]))
        if r["investor_credit_code"] and validate_credit_code(r["investor_credit_code"],
                                                              chuzhou=False):
            errors.append("%s: investor_credit_code %s" % (eid, r["investor_credit_code"]))
        total = int(r["total_investment_yuan"])
        if not 0 < total <= 10 ** 13:
            errors.append("%s: total %d" % (eid, total))
        for k in ("fixed_asset_investment_yuan", "annual_planned_investment_yuan"):
            if not 0 <= int(r[k]) <= total:
                errors.append("%s: %s outside 0..total" % (eid, k))
        if r["synthetic"] != "true":
            errors.append("%s: not marked synthetic" % eid)
        stage = STAGES.index(r["stage"])
        previous = None
        for i, column in enumerate(STAGE_DATE_COLUMNS):
            value = r[column]
            if i <= stage:
                if not value:
                    errors.append("%s: %s missing" % (eid, column))
                    continue
                d = dt.date.fromisoformat(value)
                if not FIRST_DATE <= d <= LAST_DATE:
                    errors.append("%s: %s %s outside the window" % (eid, column, value))
                if previous and d < previous:
                    errors.append("%s: %s before the previous stage" % (eid, column))
                previous = d
            elif value:
                errors.append("%s: %s set beyond the stage" % (eid, column))
        if stage < 3 and not r["planned_start_date"]:
            errors.append("%s: not started and no planned_start_date" % eid)
    last = {}
    for p in progress:
        eid = p["external_id"]
        r = by_id.get(eid)
        if r is None:
            errors.append("progress: unknown project %s" % eid)
            continue
        if STAGES.index(r["stage"]) < 3:
            errors.append("progress: %s is not started" % eid)
        total = int(r["total_investment_yuan"])
        c, f = int(p["cumulative_completed_yuan"]), int(p["cumulative_funds_arrived_yuan"])
        if not (0 <= c <= total and 0 <= f <= total):
            errors.append("progress: %s %s above the total" % (eid, p["month"]))
        if p["month"] > "2026-10":
            errors.append("progress: %s %s after October 2026" % (eid, p["month"]))
        if eid in last:
            pm, pc, pf = last[eid]
            if p["month"] <= pm or c < pc or f < pf:
                errors.append("progress: %s %s goes backwards" % (eid, p["month"]))
        last[eid] = (p["month"], c, f)
    return errors


def bands(total):
    out = []
    if total >= YI:
        out.append("≥1亿")
    if 5 * YI <= total < 10 * YI:
        out.append("5–10亿")
    if 10 * YI <= total < 20 * YI:
        out.append("10–20亿")
    if 20 * YI <= total < 50 * YI:
        out.append("20–50亿")
    if total >= 50 * YI:
        out.append("≥50亿")
    if total >= 100 * YI:
        out.append("≥100亿")
    return out


def expected_light(row, reports):
    """The light on LIGHT_DATE by the documented rules (services/intake/lights.h), for the report."""
    stage = STAGES.index(row["stage"])
    if stage < 3:
        planned = dt.date.fromisoformat(row["planned_start_date"])
        months = (LIGHT_DATE.year - planned.year) * 12 + LIGHT_DATE.month - planned.month
        if LIGHT_DATE.day < planned.day:
            months -= 1
        return "red" if months >= 3 else "yellow" if months >= 1 else "green"
    plan = int(row["annual_planned_investment_yuan"])
    if plan == 0:
        return "green"
    base = sum(int(p["cumulative_completed_yuan"]) for p in reports if p["month"] == BASE_MONTH)
    upto = [p for p in reports if p["month"] <= LIGHT_DATE.strftime("%Y-%m")]
    done = int(upto[-1]["cumulative_completed_yuan"]) - base if upto else 0
    behind = (LIGHT_DATE.month - 1) / 12 * 100 - done * 100 / plan
    return "red" if behind > 30 else "yellow" if behind >= 10 else "green"


def report(rows, progress):
    print("%d projects, %d progress rows" % (len(rows), len(progress)))
    by_chain = {}
    for r in rows:
        by_chain.setdefault(r["chain"], []).append(r)
    print("%-16s %5s %10s" % ("chain", "count", "total 亿"))
    for chain, rs in by_chain.items():
        print("%-16s %5d %10.2f" % (chain, len(rs), sum(int(r["total_investment_yuan"])
                                                       for r in rs) / YI))
    count = lambda pred: sum(1 for r in rows if pred(r))  # noqa: E731
    print("stages:", {s: count(lambda r, s=s: r["stage"] == s) for s in STAGES})
    band_counts = {}
    for r in rows:
        for b in bands(int(r["total_investment_yuan"])):
            band_counts[b] = band_counts.get(b, 0) + 1
    print("size bands:", band_counts, " below 1亿:",
          count(lambda r: int(r["total_investment_yuan"]) < YI))
    print("origins:", {o: count(lambda r, o=o: r["investor_origin"] == o)
                       for o in ("OUT_OF_PROVINCE", "IN_PROVINCE", "FOREIGN")},
          " fortune500:", count(lambda r: r["fortune500"] == "true"),
          " TALENT:", count(lambda r: r["source"] == "TALENT"))
    by_project = {}
    for p in progress:
        by_project.setdefault(p["external_id"], []).append(p)
    lights = {}
    for r in rows:
        light = expected_light(r, by_project.get(r["external_id"], []))
        lights[light] = lights.get(light, 0) + 1
    print("expected lights on %s: %s" % (LIGHT_DATE, lights))


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print("wrote", os.path.relpath(path))


def read(path, header):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == header, reader.fieldnames
        return list(reader)


def main():
    if "--check" in sys.argv:
        rows, progress = read(PROJECTS, HEADER), read(PROGRESS, PROGRESS_HEADER)
    else:
        rows, progress = Generator(load_nodes()).run()
    errors = check(rows, progress)
    if errors:
        for e in errors:
            print("ERROR", e, file=sys.stderr)
        sys.exit(1)
    if "--check" not in sys.argv:
        write(PROJECTS, HEADER, rows)
        write(PROGRESS, PROGRESS_HEADER, progress)
    report(rows, progress)


if __name__ == "__main__":
    main()
