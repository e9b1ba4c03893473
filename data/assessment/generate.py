#!/usr/bin/env python3
"""Generate data/assessment/targets.csv and values.csv for the sample assessment scheme
(scheme-2026.yaml, indicators.yaml): the 2026 targets of every ratio-to-target indicator per chain,
and SYNTHETIC reported output (产值) and tax (税收) per chain for 2026-Q1, Q2 and Q3.

Targets are derived from each chain's target output in data/chains.json (target_output_yuan,
reached by target_year 2027), T in 亿元:
  - indicators/output             2026 output target = 0.85 × T (亿元, two decimals): the 2026 step
                                  on the way to the 2027 goal;
  - indicators/new_projects_signed  new ≥1亿 projects signed in 2026 = max(4, round(T ÷ 100)):
                                  one project per 100亿 of target output, at least four;
  - indicators/signed_investment  total investment of those projects = 0.15 × T (亿元).
A quarter's target is not written: the service derives it pro rata (序时) from the annual one.

Reported values are made up (evidence says 样例): each quarter's own figure, not the year to date,
so that they compare with the pro-rata quarterly target. Output = 0.85 × T ÷ 4 × a season factor
(Q1 0.88, Q2 1.00, Q3 1.04) × the chain's performance factor (0.82–1.12, fixed per chain) × noise
(±3%); tax = output × the chain's tax rate (2.5%–5.0%). Both in 亿元, two decimals.

The script also checks the scheme against the indicators (every item's indicator exists; the
scored items' points add up to total_points; every ratio-to-target indicator has a target for
every subject). Python 3 standard library only (the YAML is read line by line, as written here),
fixed seed, byte-for-byte reproducible:
    python3 data/assessment/generate.py          # writes targets.csv and values.csv
    python3 data/assessment/generate.py --check  # only validates the existing files
"""

import csv
import io
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CHAINS = os.path.join(HERE, "..", "chains.json")
INDICATORS = os.path.join(HERE, "indicators.yaml")
SCHEME = os.path.join(HERE, "scheme-2026.yaml")
TARGETS = os.path.join(HERE, "targets.csv")
VALUES = os.path.join(HERE, "values.csv")
SEED = 20260101

YEAR = "2026"
QUARTERS = ["2026-Q1", "2026-Q2", "2026-Q3"]
YI = 100_000_000

OUTPUT_SHARE = 0.85  # of the 2027 target output, for 2026
SIGNED_PER_YI = 1 / 100  # projects per 亿元 of target output
MIN_SIGNED = 4
SIGNED_INVESTMENT_SHARE = 0.15
SEASON = {"2026-Q1": 0.88, "2026-Q2": 1.00, "2026-Q3": 1.04}
PERFORMANCE = (0.82, 1.12)
NOISE = 0.03
TAX_RATE = (0.025, 0.05)

OUTPUT = "indicators/output"
TAX = "indicators/tax"
SIGNED = "indicators/new_projects_signed"
SIGNED_INVESTMENT = "indicators/signed_investment"
TARGETED = [OUTPUT, SIGNED, SIGNED_INVESTMENT]

SCORED_EXCLUDED = {"quota", "deduction", "bonus"}  # not part of total_points
METHODS = {"ratio_to_target", "efficacy", "per_unit", "threshold", "quota", "deduction", "bonus",
           "rating"}


def fail(message):
    sys.exit("generate.py: " + message)


def load_chains():
    with open(CHAINS, encoding="utf-8") as f:
        chains = json.load(f)["chains"]
    active = [c for c in chains if c.get("status") == "CHAIN_STATUS_ACTIVE"]
    for chain in active:
        if int(chain.get("targetOutputYuan", "0")) <= 0:
            fail("%s has no target output" % chain["name"])
    return active


def read_indicator_names():
    with open(INDICATORS, encoding="utf-8") as f:
        names = re.findall(r"^  - name: (indicators/[a-z][a-z0-9_]+)$", f.read(), re.M)
    if len(names) != len(set(names)):
        fail("indicators.yaml names an indicator twice")
    return names


def read_scheme():
    """The scheme's subjects, total_points and items (key, indicator, points, method), read from
    the layout scheme-2026.yaml is written in."""
    with open(SCHEME, encoding="utf-8") as f:
        text = f.read()
    total = re.search(r"^total_points: (\S+)$", text, re.M)
    if not total:
        fail("scheme-2026.yaml has no total_points")
    subjects_block = re.search(r"^subjects:\n((?:  - .*\n)+)", text, re.M)
    subjects = re.findall(r"^  - (\S+)$", subjects_block.group(1), re.M) if subjects_block else []
    items = []
    body = text[text.index("\nitems:\n"):]
    for block in re.split(r"^  - key: ", body, flags=re.M)[1:]:
        key = block.split("\n", 1)[0].strip()
        indicator = re.search(r"^    indicator: (\S+)$", block, re.M)
        points = re.search(r"^    points: (\S+)$", block, re.M)
        methods = [m for m in re.findall(r"^    ([a-z_]+):\s*$", block, re.M) if m in METHODS]
        if not points or len(methods) != 1:
            fail("scheme item %s needs points and exactly one method" % key)
        items.append({"key": key, "indicator": indicator.group(1) if indicator else "",
                      "points": float(points.group(1)), "method": methods[0]})
    return subjects, float(total.group(1)), items


def check_scheme(chains, indicator_names):
    subjects, total_points, items = read_scheme()
    if sorted(subjects) != sorted(c["name"] for c in chains):
        fail("the scheme's subjects are not the active chains of chains.json")
    keys = [item["key"] for item in items]
    if len(keys) != len(set(keys)):
        fail("scheme item keys repeat")
    for item in items:
        if item["method"] == "rating":
            if item["indicator"]:
                fail("rating item %s names an indicator" % item["key"])
        elif item["indicator"] not in indicator_names:
            fail("scheme item %s: unknown indicator %s" % (item["key"], item["indicator"]))
    scored = sum(i["points"] for i in items if i["method"] not in SCORED_EXCLUDED)
    if abs(scored - total_points) > 1e-9:
        fail("scored items add up to %g, total_points is %g" % (scored, total_points))
    targeted = sorted({i["indicator"] for i in items if i["method"] == "ratio_to_target"})
    if targeted != sorted(TARGETED):
        fail("ratio-to-target indicators %s, the generator targets %s" % (targeted, TARGETED))
    return items


def money(value):
    return "%.2f" % value


def targets(chains):
    rows = []
    for chain in chains:
        t = int(chain["targetOutputYuan"]) / YI
        rows.append([chain["name"], OUTPUT, YEAR, money(OUTPUT_SHARE * t)])
        rows.append([chain["name"], SIGNED, YEAR, str(max(MIN_SIGNED, round(t * SIGNED_PER_YI)))])
        rows.append([chain["name"], SIGNED_INVESTMENT, YEAR, money(SIGNED_INVESTMENT_SHARE * t)])
    return rows


def values(chains):
    rng = random.Random(SEED)
    rows = []
    for chain in chains:
        t = int(chain["targetOutputYuan"]) / YI
        performance = rng.uniform(*PERFORMANCE)
        tax_rate = rng.uniform(*TAX_RATE)
        for quarter in QUARTERS:
            output = OUTPUT_SHARE * t / 4 * SEASON[quarter] * performance
            output *= 1 + rng.uniform(-NOISE, NOISE)
            q = quarter[-2:].replace("Q", "第") + "季度"
            rows.append([chain["name"], OUTPUT, quarter, money(output),
                         "市经信局产业链运行监测季报（样例），2026年%s，%s产业链规上工业产值" %
                         (q, chain["displayName"])])
            rows.append([chain["name"], TAX, quarter, money(output * tax_rate),
                         "市财政局分产业链税收统计表（样例），2026年%s，%s产业链入库税收" %
                         (q, chain["displayName"])])
    return rows


def to_csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def check_rows(target_rows, value_rows, chains):
    names = {c["name"] for c in chains}
    for row in target_rows + value_rows:
        if row[0] not in names or float(row[3]) <= 0:
            fail("bad row %s" % row)
    covered = {(r[0], r[1]) for r in target_rows}
    for chain in names:
        for indicator in TARGETED:
            if (chain, indicator) not in covered:
                fail("no 2026 target of %s for %s" % (indicator, chain))


def main():
    check_only = "--check" in sys.argv[1:]
    chains = load_chains()
    items = check_scheme(chains, read_indicator_names())
    target_rows, value_rows = targets(chains), values(chains)
    check_rows(target_rows, value_rows, chains)
    files = {TARGETS: to_csv(["subject", "indicator", "period", "value"], target_rows),
             VALUES: to_csv(["subject", "indicator", "period", "value", "evidence"], value_rows)}
    for path, content in files.items():
        if check_only:
            with open(path, encoding="utf-8") as f:
                if f.read() != content:
                    fail("%s is not what the generator writes; rerun it" % path)
        else:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(content)
    print("scheme: %d items, scored points add up to 100" % len(items))
    print("%-26s %10s %8s %10s   %s" % ("chain", "output", "signed", "signed亿", "Q1–Q3 output / tax"))
    by_chain = {}
    for subject, indicator, _, value in target_rows:
        by_chain.setdefault(subject, {})[indicator] = value
    for chain in chains:
        reported = [(r[2], r[1], r[3]) for r in value_rows if r[0] == chain["name"]]
        out = " ".join(v for _, i, v in reported if i == OUTPUT)
        tax = " ".join(v for _, i, v in reported if i == TAX)
        t = by_chain[chain["name"]]
        print("%-26s %10s %8s %10s   %s / %s" % (chain["name"], t[OUTPUT], t[SIGNED],
                                                  t[SIGNED_INVESTMENT], out, tax))
    print("%s: %d targets, %s: %d values%s" % (os.path.basename(TARGETS), len(target_rows),
                                                os.path.basename(VALUES), len(value_rows),
                                                " (checked)" if check_only else ""))


if __name__ == "__main__":
    main()
