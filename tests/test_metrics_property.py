"""Splitting by region, direction or year never changes the national totals (hypothesis).

Random archives: reports with zero to three regions (equal or stated, unnormalised shares), unknown or
known year and direction, missing amounts, plans and facts, gender tables. For each: the groups of every
grouping add up to the national figure; a region filter equals that region's bar; all regions plus
«not stated» together equal the nation.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grantstats import metrics, store
from grantstats.metrics import NOT_STATED, Filter
from grantstats.model import IndicatorValue, Number, ParticipantValue, Report

REGIONS = ["KZ-75", "KZ-79", "KZ-27", "KZ-19"]
ADDITIVE = ["report_weight", "grant_amount", "direct_beneficiaries", "indirect_beneficiaries", "participants",
            "male", "female", "direct_plan", "direct_fact_with_plan"]
maybe_int = st.one_of(st.none(), st.integers(0, 5000))


@st.composite
def reports(draw):
    count = draw(st.integers(1, 12))
    out = []
    for i in range(count):
        codes = draw(st.lists(st.sampled_from(REGIONS), max_size=3, unique=True))
        if codes and draw(st.booleans()):
            regions = [(c, float(draw(st.integers(1, 5)))) for c in codes]  # stated shares, not normalised
        else:
            regions = [(c, 1.0 / len(codes)) for c in codes]
        indicators = {}
        for code in ("direct_beneficiaries", "indirect_beneficiaries"):
            plan, fact = draw(maybe_int), draw(maybe_int)
            if plan is not None or fact is not None:
                indicators[code] = IndicatorValue(code, Number(plan), Number(fact))
        participants = []
        if draw(st.booleans()):
            participants = [ParticipantValue("gender", "male", draw(st.integers(0, 500))),
                            ParticipantValue("gender", "female", draw(st.integers(0, 500)))]
        out.append(Report(
            grantee=draw(st.sampled_from(["ОО «А»", "ОФ «Б»", "В", None])), contract_no=str(i),
            year=draw(st.one_of(st.none(), st.integers(2020, 2023))),
            direction=draw(st.sampled_from([None, "1", "4", "13-1"])), regions=regions,
            grant_amount=Number(draw(st.one_of(st.none(), st.integers(0, 10_000_000)))),
            participants_total=Number(draw(maybe_int)), indicators=indicators, participants=participants))
    return out


def load(items: list[Report]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(store.SCHEMA)
    store.save_files(con, [store.ParsedFile("p", "p", "sha-p", 1, "registry", items)])
    return con


def close(a, b) -> bool:
    if pd.isna(a) or pd.isna(b):
        return pd.isna(a) and pd.isna(b)
    return a == pytest.approx(b, rel=1e-9, abs=1e-6)


def column_sum(df: pd.DataFrame, column: str):
    """Σ of a column, NaN when every group lacks it (as the national figure is then NULL)."""
    values = df[column].dropna()
    return float(values.sum()) if len(values) else float("nan")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_splitting_never_changes_national_totals(items):
    con = load(items)
    nation = metrics.headline(con, Filter()).iloc[0]
    assert nation.reports == len(items)
    for by in ("region", "direction", "year", "ngo", ("region", "year"), ("direction", "year")):
        df = metrics.totals(con, Filter(), by)
        for column in ADDITIVE:
            assert close(column_sum(df, column), nation[column]), (by, column)
        if by != "region" and "region" not in by:
            assert df["reports"].sum() == len(items)
    amounts = metrics.amount_by_year(con, Filter())
    assert close(column_sum(amounts, "amount"), nation.grant_amount)
    gender = metrics.breakdown(con, Filter(), "gender")
    for by in ("region", "year", "direction"):
        split = metrics.breakdown(con, Filter(), "gender", by=by)
        for bucket in gender["bucket"]:
            assert close(split.loc[split.bucket == bucket, "people"].sum(),
                         gender.loc[gender.bucket == bucket, "people"].iloc[0])
    pvf = metrics.plan_vs_fact(con, Filter())
    pvf_region = metrics.plan_vs_fact(con, Filter(), by="region")
    for _, r in pvf.iterrows():
        part = pvf_region[pvf_region.indicator == r.indicator]
        assert close(column_sum(part, "plan"), r.plan) and close(column_sum(part, "fact"), r.fact)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_region_filter_equals_the_region_bar_and_all_regions_equal_the_nation(items):
    con = load(items)
    bars = metrics.totals(con, Filter(), "region")
    for _, bar in bars.iterrows():
        code = NOT_STATED if pd.isna(bar.region) else bar.region
        filtered = metrics.headline(con, Filter(regions=(code,))).iloc[0]
        assert filtered.reports == bar.reports
        for column in ADDITIVE:
            assert close(filtered[column], bar[column]), (code, column)
    everything = metrics.headline(con, Filter(regions=tuple(REGIONS) + (NOT_STATED,))).iloc[0]
    nation = metrics.headline(con, Filter()).iloc[0]
    assert everything.reports == nation.reports
    for column in ADDITIVE:
        assert close(everything[column], nation[column]), column
