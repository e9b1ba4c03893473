#!/usr/bin/env python3
"""Generate data/enterprises.csv: a SYNTHETIC enterprise set for chainhub's demo data.

Every row is made up (synthetic=true): the names, credit codes and figures belong to no real firm.
The credit codes are well formed (GB 32100-2015 with a GB 11714 organisation code), so the
server's validation accepts them.

The firms sit on the nodes of the chain maps in data/maps/*.json. The per-node plan below is
shaped so that the gap analysis (补链分析) has something to show on every map: some leaf nodes
have no firm (缺链, MISSING), some have firms but no chain owner or fewer than 3 firms (薄弱,
WEAK), some have >= 3 firms including a chain owner (STRONG). The script checks the result
against that design and prints the per-node counts.

Python 3 standard library only; deterministic (fixed seed). Usage, from anywhere:
    python3 data/generate_enterprises.py            # writes data/enterprises.csv
    python3 data/generate_enterprises.py --check    # only validate the existing CSV
"""

import csv
import json
import math
import os
import datetime
import hashlib
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAPS_DIR = os.path.join(HERE, "maps")
OUT = os.path.join(HERE, "enterprises.csv")
SEED = 20210301  # Chuzhou's chain-leader system started in early 2021.

HEADER = ["credit_code", "display_name", "county", "park", "labels", "annual_output_yuan",
          "memberships", "province_category_override", "synthetic", "founding_date"]
LABEL_ORDER = ["CHAIN_OWNER", "HEAD", "ABOVE_SIZE", "SPECIALIZED", "HIGH_TECH"]


def founding_date(code, out):
    """成立日期: drawn from the credit code alone (so adding it left every other column as it was);
    larger firms are older on the whole: 1993-2012 from 10亿元, 2000-2014 otherwise, and a code
    whose organisation part starts with MA (issued since the 2015 reform) 2015-2023."""
    h = int(hashlib.sha256(code.encode()).hexdigest(), 16)
    if code[8:10] == "MA":
        first, years = 2015, 9
    elif out >= 1000000000:
        first, years = 1993, 20
    else:
        first, years = 2000, 15
    year = first + h % years
    day = datetime.date(year, 1, 1) + datetime.timedelta(days=(h >> 16) % 365)
    return day.isoformat()

# ------------------------------------------------------------------------------------------
# 统一社会信用代码, GB 32100-2015

# The 31 characters of GB 32100 (no I, O, S, V, Z); a character's value is its index.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CS_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
# GB 11714 organisation code: 8 body characters and a check character.
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def org_char_value(ch):
    """GB 11714 value: digits 0-9, letters A=10 .. Z=35."""
    if ch.isdigit():
        return int(ch)
    return ord(ch) - ord("A") + 10


def org_check_char(body8):
    c = 11 - sum(org_char_value(ch) * w for ch, w in zip(body8, ORG_WEIGHTS)) % 11
    return "X" if c == 10 else ("0" if c == 11 else str(c))


def credit_check_char(first17):
    c = 31 - sum(CHARSET.index(ch) * w for ch, w in zip(first17, CS_WEIGHTS)) % 31
    return CHARSET[0 if c == 31 else c]


def make_credit_code(division, org_body8):
    first17 = "91" + division + org_body8 + org_check_char(org_body8)
    return first17 + credit_check_char(first17)


def validate_credit_code(code, chuzhou=True):
    """Independent re-check (weights derived, not tabled). Returns an error string or None."""
    if len(code) != 18:
        return "length"
    if any(ch not in CHARSET for ch in code):
        return "character outside the GB 32100 charset"
    if code[0] != "9" or code[1] != "1":
        return "registration authority/entity type must be 9/1"
    if chuzhou and code[2:8] not in DIVISIONS:
        return "division %s is not a Chuzhou division" % code[2:8]
    body, oc = code[8:16], code[16]
    s = sum(org_char_value(ch) * w for ch, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2)))
    want = {10: "X", 11: "0"}.get(11 - s % 11, str(11 - s % 11))
    if oc != want:
        return "organisation code check %s != %s" % (oc, want)
    s = sum(CHARSET.index(ch) * pow(3, i, 31) for i, ch in enumerate(code[:17]))
    want = CHARSET[(31 - s % 31) % 31]
    if code[17] != want:
        return "credit code check %s != %s" % (code[17], want)
    return None


# ------------------------------------------------------------------------------------------
# Chuzhou's divisions and parks

# division code -> (county, parks, name prefixes)
DIVISIONS = {
    "341100": (None, [], ["滁州", "安徽"]),  # city-level registration: county from the park
    "341102": ("琅琊区", ["滁州经济技术开发区", "琅琊经济开发区"], ["滁州", "安徽", "滁州市"]),
    "341103": ("南谯区", ["滁州高新技术产业开发区", "苏滁现代产业园"], ["滁州", "安徽", "滁州市"]),
    "341122": ("来安县", ["来安汊河经济开发区", "来安经济开发区"], ["来安", "来安县", "滁州", "安徽"]),
    "341124": ("全椒县", ["全椒经济开发区", "全椒十谭现代产业园"], ["全椒", "全椒县", "滁州", "安徽"]),
    "341125": ("定远县", ["定远盐化工业园区", "定远经济开发区"], ["定远", "定远县", "滁州", "安徽"]),
    "341126": ("凤阳县", ["凤阳硅工业园区", "凤阳经济开发区"], ["凤阳", "凤阳县", "滁州", "安徽"]),
    "341181": ("天长市", ["天长经济开发区", "天长高新技术产业开发区"], ["天长", "天长市", "滁州", "安徽"]),
    "341182": ("明光市", ["明光经济开发区"], ["明光", "明光市", "滁州", "安徽"]),
}
# City-managed parks whose firms may be registered with the city (341100); county they lie in.
CITY_PARKS = {"滁州经济技术开发区": "琅琊区", "苏滁现代产业园": "南谯区", "滁州高新技术产业开发区": "南谯区"}
COUNTY_DIV = {v[0]: k for k, v in DIVISIONS.items() if v[0]}
# Specialised parks take only firms of their theme; a firm of the theme in that county prefers it.
SPECIAL_PARKS = {"凤阳硅工业园区": "silicon", "定远盐化工业园区": "chem"}
THEMES = {("pv", "quartz-sand"): "silicon", ("pv", "pv-glass"): "silicon",
          ("nev-battery", "cathode"): "chem", ("nev-battery", "electrolyte"): "chem",
          ("semiconductor", "electronic-chemicals"): "chem", ("new-chemical", None): "chem"}
# Words that only fit some counties: 定远 salt chemicals, 明光 attapulgite (凹凸棒石).
COUNTY_WORDS = {("new-chemical", "341125"): ["盐化工", "盐化"], ("new-chemical", "341182"): ["凹凸棒科技", "凹凸棒材料"]}

# County weights by theme (division codes of counties; 341100 is decided from the park).
W_CITY = {"341102": 4, "341103": 4, "341122": 1, "341124": 1, "341181": 1}
W_PV = {"341102": 3, "341103": 3, "341122": 2, "341124": 2, "341125": 1, "341126": 1}
W_FENGYANG = {"341126": 6, "341125": 2, "341182": 1}
W_TIANCHANG = {"341181": 4, "341124": 2, "341122": 1}
W_BATTERY = {"341103": 3, "341122": 2, "341124": 2, "341125": 2, "341102": 1}
W_CHEM = {"341125": 6, "341182": 3, "341126": 2, "341181": 1}
W_SEMI = {"341102": 3, "341103": 4, "341181": 2}
W_HOME = {"341102": 5, "341103": 3, "341124": 2, "341182": 2}
W_AUTO = {"341102": 3, "341103": 3, "341122": 3, "341124": 3, "341181": 3, "341182": 2}
W_MED = {"341102": 3, "341103": 3, "341124": 2, "341181": 3}
W_FOOD = {"341122": 3, "341124": 3, "341125": 3, "341126": 3, "341181": 2, "341182": 3}

# ------------------------------------------------------------------------------------------
# The plan

# Leaf-node plan: (chain, node id) -> (firms on this node only, of which chain owners,
# county weights, name words, log10 output mean, high-tech probability). Nodes not listed get no
# single-node firm. Firms on two nodes are in MULTI below.
NODE_PLAN = {
    # 光伏: strong quartz-sand, pv-glass, pv-cell, pv-module; weak pv-frame, encapsulant-film,
    # power-station; missing silicon-wafer, inverter, backsheet.
    ("pv", "quartz-sand"): (12, 1, W_FENGYANG, ["石英材料", "硅材料科技", "石英砂业", "矿业", "石英科技"], 7.6, 0.3),
    ("pv", "pv-glass"): (11, 1, W_FENGYANG, ["光伏玻璃", "玻璃科技", "光能玻璃", "新材料科技", "玻璃制品"], 7.9, 0.45),
    ("pv", "pv-cell"): (14, 1, W_PV, ["光伏科技", "太阳能科技", "光电科技", "新能源科技", "光能科技"], 8.0, 0.6),
    ("pv", "pv-module"): (12, 1, W_PV, ["光伏科技", "光伏能源", "太阳能科技", "新能源科技", "光能科技"], 7.9, 0.55),
    ("pv", "pv-frame"): (9, 0, W_TIANCHANG, ["铝业", "金属制品", "光伏配件", "铝材科技", "新材料"], 7.5, 0.3),
    ("pv", "encapsulant-film"): (2, 1, W_PV, ["新材料科技", "高分子材料", "胶膜科技"], 7.6, 0.6),
    ("pv", "power-station"): (2, 0, W_PV, ["新能源发展", "光伏电力", "电力开发", "能源科技"], 6.9, 0.1),
    # 新能源电池: strong cathode, power-battery, storage-battery, storage-system; weak
    # electrolyte, separator, bms-pack; missing anode, current-collector, battery-recycling.
    ("nev-battery", "cathode"): (8, 1, W_BATTERY, ["锂电材料", "新能源材料", "电池材料科技", "新材料科技"], 7.9, 0.55),
    ("nev-battery", "electrolyte"): (3, 0, W_CHEM, ["精细化工", "氟化工", "化学", "新材料"], 7.6, 0.4),
    ("nev-battery", "separator"): (2, 0, W_BATTERY, ["隔膜科技", "膜材料科技"], 7.4, 0.5),
    ("nev-battery", "power-battery"): (5, 1, W_BATTERY, ["动力电池", "新能源科技", "锂电科技", "电池科技"], 8.0, 0.6),
    ("nev-battery", "storage-battery"): (4, 0, W_BATTERY, ["储能科技", "电池科技", "新能源科技"], 7.8, 0.55),
    ("nev-battery", "bms-pack"): (3, 0, W_BATTERY, ["电子科技", "能源系统", "电池系统"], 7.4, 0.55),
    ("nev-battery", "storage-system"): (4, 1, W_BATTERY, ["储能技术", "能源技术", "电力科技"], 7.6, 0.5),
    # 半导体: strong packaging-test, power-devices, display-panel; weak wafer-substrate,
    # electronic-chemicals, equipment-parts, automotive-electronics; missing
    # sputtering-targets, ic-design, wafer-fab.
    ("semiconductor", "wafer-substrate"): (3, 0, W_SEMI, ["半导体材料", "晶体科技", "硅材料"], 7.4, 0.7),
    ("semiconductor", "electronic-chemicals"): (4, 0, W_CHEM, ["电子材料", "电子化学品", "气体", "电子科技"], 7.4, 0.5),
    ("semiconductor", "equipment-parts"): (7, 0, W_SEMI, ["精密机械", "真空科技", "半导体设备", "精密部件"], 7.3, 0.6),
    ("semiconductor", "packaging-test"): (4, 0, W_SEMI, ["微电子", "半导体", "封装测试", "集成电路"], 7.6, 0.7),
    ("semiconductor", "power-devices"): (3, 0, W_SEMI, ["功率半导体", "微电子", "电子科技"], 7.5, 0.7),
    ("semiconductor", "display-panel"): (4, 1, W_SEMI, ["光电科技", "显示科技", "光电显示", "电子科技"], 7.8, 0.6),
    ("semiconductor", "automotive-electronics"): (2, 0, W_SEMI, ["汽车电子", "电子科技", "智能科技"], 7.4, 0.6),
    # 智能家电: strong structural-parts, refrigerator, washing-machine; weak compressor, motor,
    # controller, kitchen-appliances, smart-home; missing air-conditioner, appliance-recycling.
    ("home-appliance", "compressor"): (2, 0, W_HOME, ["压缩机", "制冷设备"], 7.8, 0.5),
    ("home-appliance", "motor"): (6, 0, W_HOME, ["电机", "电机科技", "电气"], 7.4, 0.4),
    ("home-appliance", "controller"): (4, 0, W_HOME, ["智能控制", "电子科技", "智能科技"], 7.3, 0.6),
    ("home-appliance", "structural-parts"): (15, 1, W_HOME, ["塑业", "金属制品", "精密模具", "钣金科技", "新材料科技", "彩板科技"], 7.4, 0.3),
    ("home-appliance", "refrigerator"): (6, 1, W_HOME, ["电器", "制冷电器", "家用电器", "冷链设备"], 7.9, 0.5),
    ("home-appliance", "washing-machine"): (3, 0, W_HOME, ["洗涤电器", "家用电器", "电器"], 7.8, 0.5),
    ("home-appliance", "kitchen-appliances"): (7, 0, W_HOME, ["厨具", "厨电科技", "电器", "热水器"], 7.3, 0.3),
    ("home-appliance", "smart-home"): (3, 0, W_HOME, ["智能家居", "物联科技", "智能科技"], 7.0, 0.6),
}

# Firms on two nodes: (memberships, count, chain owners, county weights, words, log10 mean,
# high-tech probability, province override).
MULTI = [
    # integrated cell-and-module makers (电池组件一体化)
    ([("pv", "pv-cell"), ("pv", "pv-module")], 3, 1, W_PV, ["光伏科技", "新能源科技", "光能科技"], 8.3, 0.7, ""),
    # PV glass maker also supplying display glass substrates
    ([("pv", "pv-glass"), ("semiconductor", "display-panel")], 1, 0, W_CITY, ["玻璃科技", "光电玻璃"], 7.8, 0.6, ""),
    # PV plant developer that also integrates storage (光储一体化)
    ([("pv", "power-station"), ("nev-battery", "storage-system")], 1, 0, W_PV, ["新能源发展", "能源科技"], 7.3, 0.3,
     "new-energy-low-carbon"),
    # chemicals firms making both battery electrolyte salts and electronic chemicals
    ([("nev-battery", "electrolyte"), ("semiconductor", "electronic-chemicals")], 2, 0, W_CHEM,
     ["氟化工", "精细化工", "电子材料"], 7.7, 0.5, ""),
    # cell makers serving vehicles and storage
    ([("nev-battery", "power-battery"), ("nev-battery", "storage-battery")], 2, 1, W_BATTERY,
     ["新能源科技", "电池科技", "锂能科技"], 8.4, 0.7, ""),
    # BMS maker that also does automotive electronics
    ([("nev-battery", "bms-pack"), ("semiconductor", "automotive-electronics")], 1, 0, W_SEMI,
     ["电子科技", "汽车电子"], 7.5, 0.7, "icv-nev"),
    # controller-board maker for appliances and cars
    ([("home-appliance", "controller"), ("semiconductor", "automotive-electronics")], 1, 0, W_HOME,
     ["智能控制", "电子科技"], 7.6, 0.7, ""),
    # power-device maker with its own packaging line (IDM-like)
    ([("semiconductor", "packaging-test"), ("semiconductor", "power-devices")], 1, 1, W_SEMI,
     ["微电子", "半导体"], 9.3, 0.9, ""),
    # refrigerator and washing-machine maker
    ([("home-appliance", "refrigerator"), ("home-appliance", "washing-machine")], 1, 1, W_HOME,
     ["电器", "家用电器"], 9.6, 0.8, ""),
]

# Province tags overriding the chain default, for a handful of battery firms: (node, how many).
BATTERY_OVERRIDES = {("nev-battery", "power-battery"): ("icv-nev", 2),
                     ("nev-battery", "storage-battery"): ("new-energy-low-carbon", 2),
                     ("nev-battery", "storage-system"): ("new-energy-low-carbon", 1)}

# Chains without a map yet: firms with empty memberships.
# chain -> (count, chain owners, county weights, words, log10 mean, high-tech probability,
#           [(province override, how many)])
UNMAPPED = {
    "auto-equipment": (120, 1, W_AUTO,
                       ["汽车零部件", "汽车部件", "机械制造", "精密机械", "智能装备", "机电科技", "专用车",
                        "液压科技", "锻造", "车辆科技", "装备制造", "重工", "自动化设备", "轴承", "铸造"],
                       7.5, 0.3, [("icv-nev", 1), ("high-end-equipment", 1)]),
    "medical": (55, 0, W_MED, ["医疗器械", "医疗科技", "生物科技", "药业", "制药", "医用材料", "卫生材料", "医疗用品"],
                7.3, 0.5, []),
    "new-chemical": (75, 1, W_CHEM,
                     ["化工", "化学", "精细化工", "新材料", "化学工业", "高分子材料", "涂料", "助剂"],
                     7.7, 0.3, []),
    "health-food": (90, 1, W_FOOD,
                    ["食品", "米业", "粮油", "农业科技", "面业", "乳业", "酒业", "茶业", "饮品", "生物科技", "肉类食品",
                     "禽业", "调味品"],
                    7.3, 0.1, []),
}

# Designed status of every node of the four maps (leaves and groups), checked after generation.
DESIGN = {
    "pv": {"raw-materials": "STRONG", "quartz-sand": "STRONG", "silicon-wafer": "MISSING", "pv-glass": "STRONG",
           "cells-modules": "STRONG", "pv-cell": "STRONG", "pv-module": "STRONG",
           "bos-components": "STRONG", "inverter": "MISSING", "pv-frame": "WEAK", "encapsulant-film": "WEAK",
           "backsheet": "MISSING", "applications": "WEAK", "power-station": "WEAK"},
    "nev-battery": {"battery-materials": "STRONG", "cathode": "STRONG", "anode": "MISSING", "electrolyte": "WEAK",
                    "separator": "WEAK", "current-collector": "MISSING", "cells-packs": "STRONG",
                    "power-battery": "STRONG", "storage-battery": "STRONG", "bms-pack": "WEAK",
                    "storage-system": "STRONG", "battery-recycling": "MISSING"},
    "semiconductor": {"materials-equipment": "WEAK", "wafer-substrate": "WEAK", "electronic-chemicals": "WEAK",
                      "sputtering-targets": "MISSING", "equipment-parts": "WEAK", "ic-design": "MISSING",
                      "manufacturing": "STRONG", "wafer-fab": "MISSING", "packaging-test": "STRONG",
                      "power-devices": "STRONG", "applications": "STRONG", "display-panel": "STRONG",
                      "automotive-electronics": "WEAK"},
    "home-appliance": {"core-components": "STRONG", "compressor": "WEAK", "motor": "WEAK", "controller": "WEAK",
                       "structural-parts": "STRONG", "whole-appliances": "STRONG", "refrigerator": "STRONG",
                       "washing-machine": "STRONG", "air-conditioner": "MISSING", "kitchen-appliances": "WEAK",
                       "smart-home": "WEAK", "appliance-recycling": "MISSING"},
}

# ------------------------------------------------------------------------------------------
# Names

# 字号 (trade names) are two characters, one from each list; a few real brands are excluded.
ZIHAO_A = "华恒瑞金宏鑫嘉博创润锦泰盛鼎佳明远凯德立新永汇科康达昌裕卓亿安宁聚益丰和兴茂顺辉弘启"
ZIHAO_B = "辰宇峰诚源航川越腾邦迈程拓凌岳晖昊睿芯驰铭朗翔骏达泽坤琪韬熠晨阳赫杰隆"
BLOCKED_ZIHAO = {"华为", "金龙", "恒瑞", "华润", "瑞达", "德邦", "鼎泰", "新宇", "科达", "隆基", "永达",
                 "康达", "宁德", "昌达", "凯迈", "华晨", "兴达", "聚源", "泰达", "安达", "亿纬", "华辰", "达达",
                 "华阳", "明阳", "安阳", "益阳", "德阳", "宁阳", "弘阳", "宏达", "安邦", "汇川", "鼎阳", "德隆",
                 "宏源", "瑞芯", "和邦", "亿航", "汇源", "金川", "聚辰", "华峰", "润泽", "华航", "和达", "安泰"}


class Namer:
    def __init__(self, rng):
        self.rng = rng
        self.pool = [a + b for a in ZIHAO_A for b in ZIHAO_B if a + b not in BLOCKED_ZIHAO and a != b]
        rng.shuffle(self.pool)
        self.used_names = set()

    def name(self, division, words, big):
        rng = self.rng
        prefixes = DIVISIONS[division][2]
        while True:
            zihao = self.pool.pop()
            word = rng.choice(words)
            r = rng.random()
            if big and r < 0.6:
                suffix = "股份有限公司"
            elif r < 0.12:
                suffix = "股份有限公司"
            elif r < 0.25:
                suffix = "有限责任公司"
            else:
                suffix = "有限公司"
            form = rng.random()
            if form < 0.08:
                # a branch plant of an outside group: 某某新能源科技（滁州）有限公司
                county = DIVISIONS[division][0] or "滁州"
                place = county[:-1] if county[-1] in "县市区" and len(county) == 3 else "滁州"
                if place == "琅琊" or place == "南谯":
                    place = "滁州"
                name = "%s%s（%s）%s" % (zihao, word, place, suffix)
            else:
                prefix = rng.choice(prefixes)
                if prefix[-1] == zihao[0]:
                    prefix = "安徽" if zihao[0] != "徽" else "滁州"
                name = prefix + zihao + word + suffix
            if name not in self.used_names:
                self.used_names.add(name)
                return name


# ------------------------------------------------------------------------------------------
# Generation

def load_maps():
    """chain -> {node id: (full name, parent id or None)} from data/maps/*.json."""
    maps = {}
    for fn in sorted(os.listdir(MAPS_DIR)):
        if not fn.endswith(".json"):
            continue
        chain = fn[:-5]
        with open(os.path.join(MAPS_DIR, fn), encoding="utf-8") as f:
            nodes = json.load(f)["nodes"]
        m = {}
        for n in nodes:
            prefix = "chains/%s/nodes/" % chain
            assert n["name"].startswith(prefix), n["name"]
            nid = n["name"][len(prefix):]
            parent = n.get("parent")
            if parent:
                parent = parent[len(prefix):]
                assert parent in m, "parent after child: " + n["name"]
            m[nid] = (n["name"], parent, n["displayName"])
        maps[chain] = m
    return maps


def weighted(rng, weights):
    keys = sorted(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


class Generator:
    def __init__(self, maps):
        self.rng = random.Random(SEED)
        self.maps = maps
        self.namer = Namer(self.rng)
        self.codes = set()
        self.rows = []

    def org_body(self, old):
        rng = self.rng
        if old:  # an older firm: all-digit organisation code
            return rng.choice("0567") + "".join(rng.choice("0123456789") for _ in range(7))
        # a newer firm: MA-series organisation code (registered after 2015)
        return "MA2" + rng.choice("MNPQRTUWXY") + "".join(rng.choice(CHARSET) for _ in range(4))

    def place(self, county_weights, themes):
        rng = self.rng
        div = weighted(rng, county_weights)
        county, parks, _ = DIVISIONS[div]
        cand = [p for p in parks if SPECIAL_PARKS.get(p, "") in themes | {""}]
        pref = [p for p in cand if p in SPECIAL_PARKS]
        park = ""
        if rng.random() < 0.9:  # one firm in ten outside any park
            if pref and rng.random() < 0.75:
                park = pref[0]
            else:
                park = cand[0] if rng.random() < 0.65 or len(cand) == 1 else rng.choice(cand[1:])
        code_div = div
        if park in CITY_PARKS and rng.random() < 0.4:
            code_div = "341100"  # registered with the city's market regulator
        return code_div, county, park

    def output(self, mean, owner):
        rng = self.rng
        if owner:
            lg = rng.uniform(9.0, 10.45)  # 10亿 .. ~280亿
        else:
            lg = rng.gauss(mean, 0.85)
            while not 5.0 <= lg <= 9.45:  # 10万 .. ~28亿; larger firms are chain owners
                lg = rng.gauss(mean, 0.85)
        v = int(round(10 ** lg, -3 if lg > 6 else -2))
        if owner:
            v = max(v, 1000000000)
        return max(v, 100000)

    def labels(self, out, owner, high_tech_p):
        rng = self.rng
        labs = []
        if owner:
            labs.append("CHAIN_OWNER")
            if rng.random() < 0.4:
                labs.append("HEAD")
        elif out >= 1000000000 or (out >= 500000000 and rng.random() < 0.2):
            labs.append("HEAD")
        if out >= 20000000:  # 规上: main business revenue >= 2000万元
            labs.append("ABOVE_SIZE")
        specialized = (not owner) and 10000000 <= out <= 600000000 and rng.random() < 0.22
        if specialized:
            labs.append("SPECIALIZED")
        p = high_tech_p * 0.8
        if specialized:
            p = max(p, min(0.65, high_tech_p * 2.5))
        if owner:
            p = max(p, 0.7)
        if out < 5000000:
            p *= 0.3
        if rng.random() < p:
            labs.append("HIGH_TECH")
        return labs

    def firm(self, memberships, owner, county_weights, words, mean, high_tech_p, override="", chain=None):
        rng = self.rng
        themes = {THEMES[k] for k in list(memberships) + [(chain, None)] if k in THEMES}
        code_div, county, park = self.place(county_weights, themes)
        words = words + COUNTY_WORDS.get((chain, COUNTY_DIV[county]), [])
        out = self.output(mean, owner)
        labs = self.labels(out, owner, high_tech_p)
        while True:
            code = make_credit_code(code_div, self.org_body(old=rng.random() < (0.6 if out > 3e8 else 0.3)))
            if code not in self.codes:
                self.codes.add(code)
                break
        name = self.namer.name(code_div if code_div != "341100" else COUNTY_DIV[county], words,
                               big=owner or out > 1e9)
        self.rows.append({
            "credit_code": code, "display_name": name, "county": county, "park": park,
            "labels": ";".join(l for l in LABEL_ORDER if l in labs), "annual_output_yuan": str(out),
            "memberships": ";".join(self.node_name(c, n) for c, n in memberships),
            "province_category_override": override, "synthetic": "true",
            "founding_date": founding_date(code, out)})

    def node_name(self, chain, node):
        assert node in self.maps[chain], "unknown node %s/%s" % (chain, node)
        return self.maps[chain][node][0]

    def run(self):
        for chain in ("pv", "nev-battery", "semiconductor", "home-appliance"):
            for (c, node), (n, owners, cw, words, mean, ht) in NODE_PLAN.items():
                if c != chain:
                    continue
                tag, tagged = BATTERY_OVERRIDES.get((c, node), ("", 0))
                for i in range(n):
                    self.firm([(c, node)], i < owners, cw, words, mean, ht, tag if i < tagged else "")
            for (ms, n, owners, cw, words, mean, ht, tag) in MULTI:
                if ms[0][0] != chain:
                    continue
                for i in range(n):
                    self.firm(ms, i < owners, cw, words, mean, ht, tag)
        for chain, (n, owners, cw, words, mean, ht, tags) in UNMAPPED.items():
            tag_list = [t for t, k in tags for _ in range(k)]
            for i in range(n):
                tag = tag_list[i - owners] if 0 <= i - owners < len(tag_list) else ""
                self.firm([], i < owners, cw, words, mean, ht, tag, chain=chain)
        return self.rows


# ------------------------------------------------------------------------------------------
# Checks

def node_stats(maps, rows):
    """chain -> {node id: (firms in subtree, chain owners in subtree, status)}."""
    members = {}  # full node name -> set of credit codes
    owners = set()
    for r in rows:
        if "CHAIN_OWNER" in r["labels"].split(";"):
            owners.add(r["credit_code"])
        for m in filter(None, r["memberships"].split(";")):
            members.setdefault(m, set()).add(r["credit_code"])
    stats = {}
    for chain, nodes in maps.items():
        children = {}
        for nid, (_, parent, _) in nodes.items():
            children.setdefault(parent, []).append(nid)

        def subtree(nid):
            s = set(members.get(nodes[nid][0], set()))
            for c in children.get(nid, []):
                s |= subtree(c)
            return s

        st = {}
        for nid in nodes:
            s = subtree(nid)
            lead = len(s & owners)
            status = "MISSING" if not s else ("STRONG" if len(s) >= 3 and lead >= 1 else "WEAK")
            st[nid] = (len(s), lead, status)
        stats[chain] = st
    return stats


def check(rows, maps):
    errors = []
    codes, names = set(), set()
    all_nodes = {v[0] for m in maps.values() for v in m.values()}
    for i, r in enumerate(rows, 2):
        code = r["credit_code"]
        err = validate_credit_code(code)
        if err:
            errors.append("line %d: %s: %s" % (i, code, err))
        if code in codes:
            errors.append("line %d: duplicate code %s" % (i, code))
        codes.add(code)
        if r["display_name"] in names:
            errors.append("line %d: duplicate name %s" % (i, r["display_name"]))
        names.add(r["display_name"])
        div = code[2:8]
        county = DIVISIONS[div][0] if div in DIVISIONS else None
        if div == "341100":
            if CITY_PARKS.get(r["park"]) != r["county"]:
                errors.append("line %d: city-registered firm outside a city park" % i)
        elif r["county"] != county or (r["park"] and r["park"] not in DIVISIONS[div][1]):
            errors.append("line %d: county/park %s/%s inconsistent with %s" % (i, r["county"], r["park"], div))
        labs = r["labels"].split(";") if r["labels"] else []
        if any(l not in LABEL_ORDER for l in labs):
            errors.append("line %d: bad label %s" % (i, r["labels"]))
        out = int(r["annual_output_yuan"])
        if "CHAIN_OWNER" in labs and out < 1000000000:
            errors.append("line %d: chain owner below 10亿" % i)
        if not 100000 <= out <= 30000000000:
            errors.append("line %d: output %d out of range" % (i, out))
        for m in filter(None, r["memberships"].split(";")):
            if m not in all_nodes:
                errors.append("line %d: unknown node %s" % (i, m))
        if r["synthetic"] != "true":
            errors.append("line %d: synthetic must be true" % i)
        if any("," in v for v in r.values()):
            errors.append("line %d: comma in a value" % i)
    stats = node_stats(maps, rows)
    for chain, design in DESIGN.items():
        if set(design) != set(maps[chain]):
            errors.append("%s: design and map disagree on nodes" % chain)
        for nid, want in design.items():
            got = stats[chain].get(nid, (0, 0, "?"))[2]
            if got != want:
                errors.append("%s/%s: designed %s, got %s" % (chain, nid, want, got))
    return errors, stats


def report(rows, maps, stats):
    n = len(rows)
    print("%d enterprises (all synthetic)" % n)
    for l in LABEL_ORDER:
        k = sum(1 for r in rows if l in r["labels"].split(";"))
        print("  %-12s %4d  %4.1f%%" % (l, k, 100.0 * k / n))
    print("  no membership %d, two memberships %d, two chains %d, province override %d" % (
        sum(1 for r in rows if not r["memberships"]),
        sum(1 for r in rows if r["memberships"].count(";") == 1),
        sum(1 for r in rows if len({m.split("/")[1] for m in r["memberships"].split(";") if m}) > 1),
        sum(1 for r in rows if r["province_category_override"])))
    for chain, nodes in maps.items():
        print("%s (firms / chain owners / status, subtree counts):" % chain)
        for nid, (_, parent, dn) in nodes.items():
            k, lead, status = stats[chain][nid]
            indent = "    " if parent else "  "
            print("%s%-24s %-14s %3d %2d  %s" % (indent, nid, dn, k, lead, status))


def main():
    maps = load_maps()
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            assert reader.fieldnames == HEADER, reader.fieldnames
            rows = list(reader)
    else:
        # Self-test of the check characters on a published sample code.
        assert org_check_char("M000100Y") == "4"
        assert credit_check_char("91350100M000100Y4") == "3"
        assert validate_credit_code("91350100M000100Y43", chuzhou=False) is None
        assert validate_credit_code("91350100M000100Y44", chuzhou=False) is not None
        rows = Generator(maps).run()
    errors, stats = check(rows, maps)
    if errors:
        for e in errors:
            print("ERROR", e, file=sys.stderr)
        sys.exit(1)
    if "--check" not in sys.argv:
        with open(OUT, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        print("wrote", os.path.relpath(OUT))
    report(rows, maps, stats)


if __name__ == "__main__":
    main()
