"""Queries: every metric call a dashboard page makes, with no filter and with typical filters, on the bench
database: median and 95th percentile over BENCH_RUNS runs, beside the same figure computed by a plain pandas
groupby over the same tables (loaded into DataFrames once, untimed)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable

import duckdb
import pandas as pd

from bench.common import Figure, fig, median, p95

TARGET_MEDIAN_MS = 25
TARGET_P95_MS = 60
IND = "direct_beneficiaries"

# (label, metric, kwargs) — the calls in pages/*.py
CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("headline", "headline", {}),
    ("totals by year", "totals", {"by": "year"}),
    ("totals by region", "totals", {"by": "region"}),
    ("totals by direction", "totals", {"by": "direction"}),
    ("totals by region×year", "totals", {"by": ("region", "year")}),
    ("totals by direction×year", "totals", {"by": ("direction", "year")}),
    ("year_over_year", "year_over_year", {}),
    ("plan_vs_fact", "plan_vs_fact", {}),
    ("plan_vs_fact direct+indirect", "plan_vs_fact", {"indicators": [IND, "indirect_beneficiaries"]}),
    ("report_achievement", "report_achievement", {"indicator": IND}),  # the full list (the page reads the next)
    ("achievement_values", "achievement_values", {"indicator": IND}),
    ("largest_shortfalls", "largest_shortfalls", {"indicator": IND, "limit": 15}),
    ("breakdown gender", "breakdown", {"dimension": "gender"}),
    ("breakdown age", "breakdown", {"dimension": "age"}),
    ("breakdown category", "breakdown", {"dimension": "category"}),
    ("ngo_comparison", "ngo_comparison", {"region": "KZ-11"}),
    ("findings_by_rule", "findings_by_rule", {}),
    ("reports_by_findings", "reports_by_findings", {"limit": 20}),
    ("findings_table", "findings_table", {}),
    ("report_list", "report_list", {"limit": 1000}),  # pages/report.py: CHOICES (no limit only for one NGO)
]


INSIGHT_TARGET_MEDIAN_MS = TARGET_MEDIAN_MS  # the issue #17 calls are held to the metric calls' target
BENCH_REPORT = "B000000123"  # a report of the bench archive (report pages explain one report)


def insight_calls() -> list[tuple[str, Any]]:
    """(label, function of (cursor, filter)): the calls the pages of issue #17 make, as they make them (the NGO
    page asks for one region's NGOs; the shortfall page drills into a region before it lists NGOs)."""
    from datetime import date

    from grantstats import completeness, health, peers, review, shortfall

    as_of = date(2024, 3, 1)

    def one_region(flt):
        return flt.with_(regions=flt.regions[:1] or ("KZ-11",))

    return [
        ("completeness total", lambda c, f: completeness.completeness_by(c, f, as_of=as_of)),
        ("completeness by region", lambda c, f: completeness.completeness_by(c, f, by="region", as_of=as_of)),
        ("completeness by direction", lambda c, f: completeness.completeness_by(c, f, by="direction", as_of=as_of)),
        ("contract_status overdue", lambda c, f: completeness.contract_status(c, f, as_of=as_of, status="overdue")),
        ("reports_without_contract", lambda c, f: completeness.reports_without_contract(c, f)),
        ("report_peers outliers", lambda c, f: peers.report_peers(c, f, flagged_only=True, limit=100)),
        ("report_position", lambda c, f: peers.report_position(c, BENCH_REPORT)),
        ("ngo_peers (one region)", lambda c, f: peers.ngo_peers(c, one_region(f))),
        ("health_summary", lambda c, f: health.health_summary(c, f)),
        ("health score_values", lambda c, f: health.score_values(c, f)),
        ("health_scores by report", lambda c, f: health.health_scores(c, f, by="report", limit=1000)),
        ("health_scores by ngo", lambda c, f: health.health_scores(c, f, by="ngo")),
        ("health_scores by region", lambda c, f: health.health_scores(c, f, by="region")),
        ("health_explain", lambda c, f: health.health_explain(c, BENCH_REPORT)),
        ("shortfall_summary", lambda c, f: shortfall.shortfall_summary(c, f)),
        ("shortfall by region", lambda c, f: shortfall.shortfall_breakdown(c, f, by="region")),
        ("shortfall by direction (one region)", lambda c, f: shortfall.shortfall_breakdown(c, one_region(f), by="direction")),
        ("shortfall by ngo (one region)", lambda c, f: shortfall.shortfall_breakdown(c, one_region(f), by="ngo")),
        ("review_counts", lambda c, f: review.review_counts(c, f)),
        ("findings_for_review open", lambda c, f: review.findings_for_review(c, f, status="open", limit=1000)),
    ]


def filters():
    from grantstats.metrics import Filter

    return {
        "no filter": Filter(),
        "region": Filter(regions=("KZ-11",)),
        "years 2021-2023": Filter(year_from=2021, year_to=2023),
        "direction+region+years": Filter(directions=("1",), regions=("KZ-10", "KZ-15"), year_from=2020),
        "text": Filter(text="жастар"),
    }


# ------------------------------------------------------------------------------------ pandas baseline

def load_frames(con) -> dict[str, pd.DataFrame]:
    q = lambda sql: con.execute(sql).df()  # noqa: E731
    return {
        "reports": q("SELECT report_id, grantee, ngo_key, title, contract_no, year, direction, grant_amount,"
                     " participants_total, file_name FROM reports"),
        "regions": q("SELECT report_id, region, share FROM report_regions"),
        "indicators": q("SELECT report_id, indicator, plan, fact, plan_qualifier, fact_qualifier FROM indicators"),
        "participants": q("SELECT report_id, dimension, bucket, people, derived FROM participants"),
        "findings": q("SELECT report_id, rule, severity, message_ru, message_en, file_name, sheet, cell FROM findings"),
    }


def _select(d: dict[str, pd.DataFrame], flt) -> pd.DataFrame:
    """The filtered reports with `weight` (share in the chosen regions, else 1)."""
    r = d["reports"]
    mask = pd.Series(True, index=r.index)
    if flt.year_from is not None:
        mask &= r["year"] >= flt.year_from
    if flt.year_to is not None:
        mask &= r["year"] <= flt.year_to
    if flt.directions:
        mask &= r["direction"].isin(flt.directions)
    if flt.text:
        t = flt.text.lower()
        mask &= (r["grantee"].fillna("").str.lower().str.contains(t, regex=False)
                 | r["title"].fillna("").str.lower().str.contains(t, regex=False)
                 | r["contract_no"].fillna("").str.lower().str.contains(t, regex=False))
    sel = r[mask]
    if flt.regions:
        rr = d["regions"]
        w = rr[rr["region"].isin(flt.regions)].groupby("report_id", as_index=False)["share"].sum()
        sel = sel.merge(w.rename(columns={"share": "weight"}), on="report_id")
    else:
        sel = sel.assign(weight=1.0)
    return sel


def _per_report(d, sel: pd.DataFrame) -> pd.DataFrame:
    ind = d["indicators"]
    ind = ind[ind["report_id"].isin(sel["report_id"]) & ind["indicator"].isin([IND, "indirect_beneficiaries"])]
    piv = ind.pivot_table(index="report_id", columns="indicator", values=["plan", "fact"], aggfunc="max")
    piv.columns = [f"{a}_{b}" for a, b in piv.columns]
    piv = piv.reindex(columns=[f"{a}_{b}" for a in ("plan", "fact") for b in (IND, "indirect_beneficiaries")])
    p = d["participants"]
    g = p[(p["dimension"] == "gender") & p["report_id"].isin(sel["report_id"])]
    gen = g.pivot_table(index="report_id", columns="bucket", values="people", aggfunc="sum").reindex(
        columns=["male", "female"])
    return sel.merge(piv, left_on="report_id", right_index=True, how="left").merge(
        gen, left_on="report_id", right_index=True, how="left")


def _totals(d, flt, by=None) -> pd.DataFrame:
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    rep = _per_report(d, _select(d, flt))
    if "region" in keys:
        rep = rep.drop(columns="weight").merge(d["regions"].rename(columns={"share": "weight"}), on="report_id", how="left")
        rep["weight"] = rep["weight"].fillna(1.0)
    keys = ["ngo_key" if k == "ngo" else k for k in keys]
    for col in ("grant_amount", f"fact_{IND}", "fact_indirect_beneficiaries", f"plan_{IND}", "male", "female"):
        if col in rep:
            rep[col] = rep[col] * rep["weight"]
    rep["cost"] = rep["grant_amount"] / rep[f"fact_{IND}"].where(rep[f"fact_{IND}"] > 0)
    agg = dict(reports=("report_id", "size"), ngos=("ngo_key", "nunique"), grant_amount=("grant_amount", "sum"),
               direct=(f"fact_{IND}", "sum"), indirect=("fact_indirect_beneficiaries", "sum"),
               direct_plan=(f"plan_{IND}", "sum"), male=("male", "sum"), female=("female", "sum"),
               cost_median=("cost", "median"))
    if not keys:
        return rep.assign(_all=0).groupby("_all").agg(**agg)
    return rep.groupby(keys, dropna=False).agg(**agg).reset_index()


def _baseline(name: str, kw: dict) -> Callable:
    def run(d, flt):
        if name in ("headline", "totals"):
            return _totals(d, flt, kw.get("by"))
        if name == "year_over_year":
            t = _totals(d, flt, "year").sort_values("year")
            return t.assign(**{f"{c}_prev": t[c].shift() for c in ("reports", "grant_amount", "direct")})
        if name == "ngo_comparison":
            t = _totals(d, flt.with_(regions=(kw["region"],)), "ngo")
            return t.assign(rank=t["direct"].rank(ascending=False, method="min")).sort_values("rank")
        sel = _select(d, flt)
        if name == "plan_vs_fact":
            ind = d["indicators"].merge(sel[["report_id", "weight"]], on="report_id")
            if kw.get("indicators"):
                ind = ind[ind["indicator"].isin(kw["indicators"])]
            ind = ind.dropna(subset=["plan", "fact"])
            return ind.assign(plan=ind["plan"] * ind["weight"], fact=ind["fact"] * ind["weight"]).groupby(
                "indicator").agg(plan=("plan", "sum"), fact=("fact", "sum"), reports=("report_id", "nunique"))
        if name in ("report_achievement", "achievement_values", "largest_shortfalls"):
            ind = d["indicators"]
            ind = ind[ind["indicator"] == kw["indicator"]].merge(sel, on="report_id").dropna(subset=["plan", "fact"])
            ind = ind.assign(achievement=ind["fact"] / ind["plan"].where(ind["plan"] != 0),
                             shortfall=ind["plan"] - ind["fact"])
            if name == "largest_shortfalls":
                return ind[ind["fact"] < ind["plan"]].nlargest(kw["limit"], "shortfall")
            return ind
        if name == "breakdown":
            p = d["participants"]
            p = p[p["dimension"] == kw["dimension"]].merge(sel[["report_id", "weight"]], on="report_id")
            p = p.assign(people=p["people"] * p["weight"])
            out = p.groupby("bucket").agg(people=("people", "sum"), reports=("report_id", "nunique"))
            return out.assign(share=out["people"] / out["people"].sum())
        f = d["findings"]
        f = f[f["report_id"].isin(sel["report_id"])]
        if name == "findings_by_rule":
            return f.groupby(["rule", "severity"]).agg(findings=("report_id", "size"), reports=("report_id", "nunique"),
                                                      message_ru=("message_ru", lambda s: s.mode().iat[0]))
        if name == "reports_by_findings":
            c = f.assign(e=f["severity"] == "error", w=f["severity"] == "warning").groupby("report_id").agg(
                errors=("e", "sum"), warnings=("w", "sum"), findings=("rule", "size"))
            return c.sort_values(["errors", "warnings", "findings"], ascending=False).head(kw["limit"])
        if name == "findings_table":
            return f.merge(d["reports"][["report_id", "grantee", "year"]], on="report_id").sort_values(
                ["severity", "report_id", "rule"])
        if name == "report_list":
            rep = _per_report(d, sel)
            counts = f.groupby(["report_id", "severity"]).size().unstack(fill_value=0)
            out = rep.merge(counts, left_on="report_id", right_index=True, how="left").sort_values(
                ["year", "grantee", "report_id"], ascending=[False, True, True])
            return out.head(kw["limit"]) if kw.get("limit") else out
        raise KeyError(name)
    return run


COMBO_BUDGET_S = 2.0  # a call that is far over its target stops after MIN_RUNS runs (keeps `make bench` < 10 min)
MIN_RUNS = 5
PANDAS_RUNS = 3  # the baseline is 5-8x slower than the calls it is compared with: its median of 3 will do


def _time(fns: list[Callable[[], Any]], runs: int, budget_s: float = COMBO_BUDGET_S,
          min_runs: int = MIN_RUNS) -> list[tuple[list[float], float]]:
    """For each call: milliseconds of `runs` runs (fewer, but at least `min_runs`, once `budget_s` is spent) and
    of its first run (caches warming up), reported apart. The runs go in rounds of one run of each call, so that
    a spell of a slower host is shared by every call rather than taken by the few that ran during it."""
    firsts = []
    for fn in fns:
        t0 = time.perf_counter()
        fn()
        firsts.append((time.perf_counter() - t0) * 1000)
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, got in zip(fns, times):
            if len(got) >= min_runs and sum(got) / 1000 > budget_s:
                continue
            t0 = time.perf_counter()
            fn()
            got.append((time.perf_counter() - t0) * 1000)
    return list(zip(times, firsts))


def run(db: Path, runs: int, log=print) -> tuple[list[Figure], dict[str, Any]]:
    from grantstats import metrics
    from grantstats.findings import queries as findings_queries

    def figure(name: str) -> Callable:  # the findings queries live beside the findings, the other figures in metrics
        return getattr(metrics, name, None) or getattr(findings_queries, name)

    con = duckdb.connect(str(db), read_only=True)
    frames = load_frames(con)
    cur = con.cursor()
    combos = [(label, name, kw, flabel, flt) for label, name, kw in CALLS for flabel, flt in filters().items()]
    timed = _time([lambda name=name, kw=kw, flt=flt: figure(name)(cur, flt, **kw)
                          for _, name, kw, _, flt in combos], runs)
    rows = []
    worst_median = worst_p95 = 0.0
    slower_than_pandas = []
    for (label, name, kw, flabel, flt), (times, first) in zip(combos, timed):
        base = _baseline(name, kw)
        [(ptimes, _)] = _time([lambda base=base, flt=flt: base(frames, flt)], PANDAS_RUNS, budget_s=0.0,
                              min_runs=PANDAS_RUNS)
        row = {"call": label, "filter": flabel, "runs": len(times),
               "median_ms": round(median(times), 2), "p95_ms": round(p95(times), 2),
               "first_ms": round(first, 2), "pandas_median_ms": round(median(ptimes), 2)}
        rows.append(row)
        worst_median = max(worst_median, row["median_ms"])
        worst_p95 = max(worst_p95, row["p95_ms"])
        if row["median_ms"] >= row["pandas_median_ms"]:
            slower_than_pandas.append(f"{label} / {flabel}")
    for label, _, _ in CALLS:
        per = [r for r in rows if r["call"] == label]
        log(f"  {label:<30} median {max(r['median_ms'] for r in per):7.1f} ms (worst filter), "
            f"p95 {max(r['p95_ms'] for r in per):7.1f}, pandas {min(r['pandas_median_ms'] for r in per):7.1f} (best)")
    insight_rows, insight_figures = _time_insight(cur, runs, log)
    sanity = _sanity(cur, frames)
    con.close()
    figures = []
    for label, _, _ in CALLS:
        per = [r for r in rows if r["call"] == label]
        m = max(r["median_ms"] for r in per)
        figures.append(fig(f"query: {label} (median, worst of {len(per)} filters)", m, "ms", f"<= {TARGET_MEDIAN_MS}",
                           note=f"p95 {max(r['p95_ms'] for r in per):.1f} ms; {min(r['runs'] for r in per)}+ runs each"))
    figures.append(fig("queries: worst median of all calls", worst_median, "ms", f"<= {TARGET_MEDIAN_MS}"))
    figures.append(fig("queries: worst p95 of all calls", worst_p95, "ms", f"<= {TARGET_P95_MS}"))
    figures.append(fig("queries: calls slower than the pandas baseline", len(slower_than_pandas), "calls", "<= 0",
                       note="; ".join(slower_than_pandas[:8])))
    ratios = [r["pandas_median_ms"] / r["median_ms"] for r in rows if r["median_ms"] > 0]
    figures.append(fig("queries: speed vs pandas groupby (median of ratios)", median(ratios), "x", "> 1"))
    return figures + insight_figures, {"calls": rows, "insight_calls": insight_rows, "sanity": sanity, "runs": runs}


def _time_insight(cur, runs: int, log=print) -> tuple[list[dict[str, Any]], list[Figure]]:
    """The issue #17 calls, 5 filters each, timed like the metric calls (no pandas baseline: they are new)."""
    combos = [(label, fn, flabel, flt) for label, fn in insight_calls() for flabel, flt in filters().items()]
    timed = _time([lambda fn=fn, flt=flt: fn(cur, flt) for _, fn, _, flt in combos], runs)
    rows = [{"call": label, "filter": flabel, "runs": len(times), "median_ms": round(median(times), 2),
             "p95_ms": round(p95(times), 2), "first_ms": round(first, 2)}
            for (label, _, flabel, _), (times, first) in zip(combos, timed)]
    figures = []
    for label, _ in insight_calls():
        per = [r for r in rows if r["call"] == label]
        worst = max(r["median_ms"] for r in per)
        log(f"  {label:<38} median {worst:7.1f} ms (worst filter), p95 {max(r['p95_ms'] for r in per):7.1f}")
        figures.append(fig(f"query #17: {label} (median, worst of {len(per)} filters)", worst, "ms",
                           f"<= {INSIGHT_TARGET_MEDIAN_MS}", note=f"p95 {max(r['p95_ms'] for r in per):.1f} ms"))
    return rows, figures


def _sanity(cur, frames) -> dict[str, Any]:
    """The baseline computes the same figures: reports and money with no filter, both ways."""
    from grantstats import metrics

    h = metrics.headline(cur).iloc[0]
    b = _totals(frames, metrics.Filter()).iloc[0]
    return {"reports_sql": int(h["reports"]), "reports_pandas": int(b["reports"]),
            "grant_amount_sql": float(h["grant_amount"]), "grant_amount_pandas": float(b["grant_amount"]),
            "same": int(h["reports"]) == int(b["reports"]) and abs(float(h["grant_amount"]) - float(b["grant_amount"])) < 1}
