"""Every metric against figures worked out by hand on a small archive of five reports.

The archive (built once per module, through store.save_files into a real DuckDB file):

  A  ОО «Жастар»            2022  dir 4  KZ-75            1 000 000 ₸  direct 100 -> 120, indirect 800 -> 1000
     participants 120: male 50, female 70; age 17-22: 60, 23-27: 60; category youth 100, disabled 10
  B  ОФ «Болашак»           2023  dir 4  KZ-75 ½, KZ-79 ½ 2 000 000 ₸  direct 200 -> ≈150, indirect (no plan) -> 5000
     participants 200 given in percent: male 40 % = 80, female 60 % = 120;
     category youth 90 % = 180, children 20 % = 40 (categories overlap); warning finding
  C  Общественное объединение «Жастар» (same NGO as A)
                            2023  dir 9  KZ-79            3 000 000 ₸ = 2023: 1 000 000 + 2024: 2 000 000
     direct ≥300 -> 300, staff 5 -> 4; participants 200: male 100, female 100;
     age in percent 17-22: 25 % = 50, 23-27: 75 % = 150
  D  КФ «Сана»              2024  (no direction) KZ-19      500 000 ₸  direct (no plan) -> 40
  E  ОО «Умит»              (no year) dir 9 (no region)     400 000 ₸  direct 40 -> 20, participants 30 (no
     gender table); error finding
"""

from __future__ import annotations

import pandas as pd
import pytest

from grantstats import metrics, store
from grantstats.metrics import Filter, cache
from grantstats.model import Finding, IndicatorValue, Number, ParticipantValue, Report


def ind(code, plan=None, fact=None, plan_q=None, fact_q=None):
    return IndicatorValue(code, Number(plan, plan_q), Number(fact, fact_q))


def people(dimension, bucket, n, percent=None):
    return ParticipantValue(dimension, bucket, n, percent=percent, derived=percent is not None)


def archive() -> list[Report]:
    a = Report(grantee="ОО «Жастар»", title="Молодежный корпус", contract_no="1", year=2022, direction="4",
               regions=[("KZ-75", 1.0)], grant_amount=Number(1_000_000), participants_total=Number(120),
               indicators={"direct_beneficiaries": ind("direct_beneficiaries", 100, 120),
                           "indirect_beneficiaries": ind("indirect_beneficiaries", 800, 1000)},
               participants=[people("gender", "male", 50), people("gender", "female", 70),
                             people("age", "17-22", 60), people("age", "23-27", 60),
                             people("category", "youth", 100), people("category", "disabled", 10)])
    b = Report(grantee="ОФ «Болашак»", title="Школа волонтеров", contract_no="2", year=2023, direction="4",
               regions=[("KZ-75", 0.5), ("KZ-79", 0.5)], grant_amount=Number(2_000_000),
               participants_total=Number(200),
               indicators={"direct_beneficiaries": ind("direct_beneficiaries", 200, 150, fact_q="approx"),
                           "indirect_beneficiaries": ind("indirect_beneficiaries", None, 5000)},
               participants=[people("gender", "male", 80, 40), people("gender", "female", 120, 60),
                             people("category", "youth", 180, 90), people("category", "children", 40, 20)],
               findings=[Finding("missing_field", "warning", "предупреждение", "warning")])
    c = Report(grantee="Общественное объединение «Жастар»", title="Центр занятости", contract_no="3", year=2023,
               direction="9", regions=[("KZ-79", 1.0)], grant_amount=Number(3_000_000),
               amount_by_year={2023: 1_000_000, 2024: 2_000_000}, participants_total=Number(200),
               indicators={"direct_beneficiaries": ind("direct_beneficiaries", 300, 300, plan_q="at_least"),
                           "staff": ind("staff", 5, 4)},
               participants=[people("gender", "male", 100), people("gender", "female", 100),
                             people("age", "17-22", 50, 25), people("age", "23-27", 150, 75)])
    d = Report(grantee="КФ «Сана»", title="Медиашкола", contract_no="4", year=2024, direction=None,
               regions=[("KZ-19", 1.0)], grant_amount=Number(500_000),
               indicators={"direct_beneficiaries": ind("direct_beneficiaries", None, 40)})
    e = Report(grantee="ОО «Умит»", title="Правовая консультация", contract_no="5", year=None, direction="9",
               regions=[], grant_amount=Number(400_000), participants_total=Number(30),
               indicators={"direct_beneficiaries": ind("direct_beneficiaries", 40, 20)},
               findings=[Finding("implausible_value", "error", "ошибка", "error")])
    return [a, b, c, d, e]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    connection = store.connect(tmp_path_factory.mktemp("metrics") / "t.duckdb")
    store.save_files(connection, [store.ParsedFile("hand.xlsx", "hand.xlsx", "sha-hand", 1, "registry", archive())])
    yield connection
    connection.close()


def row(df, **where):
    """The one row of df whose columns equal the given values (None matches a missing group)."""
    mask = None
    for column, value in where.items():
        m = df[column].isna() if value is None else (df[column] == value)
        mask = m if mask is None else (mask & m)
    found = df[mask.fillna(False).astype(bool)]
    assert len(found) == 1, f"expected one row for {where}, got {len(found)}:\n{df}"
    return found.iloc[0]


def missing(value) -> bool:
    return bool(pd.isna(value))


# ------------------------------------------------------------------------------------------- totals

def test_headline_matches_hand_sums(con):
    h = metrics.headline(con, Filter())
    assert len(h) == 1
    r = h.iloc[0]
    assert r.reports == 5
    assert r.ngos == 4  # жастар (A and C), болашак, сана, умит
    assert r.grant_amount == 1_000_000 + 2_000_000 + 3_000_000 + 500_000 + 400_000  # 6 900 000
    assert r.direct_beneficiaries == 120 + 150 + 300 + 40 + 20  # 630
    assert r.indirect_beneficiaries == 1000 + 5000  # 6000
    assert r.total_reach == 630 + 6000
    assert r.participants == 120 + 200 + 200 + 30  # D gives none; E: its stated total without a gender table
    assert r.male == 50 + 80 + 100 and r.female == 70 + 120 + 100
    # plan vs fact of direct beneficiaries over reports giving both (A, B, C, E; D has no plan)
    assert r.direct_plan == 100 + 200 + 300 + 40  # 640
    assert r.direct_fact_with_plan == 120 + 150 + 300 + 20  # 590
    assert r.direct_plan_reports == 4
    assert r.direct_achievement == pytest.approx(590 / 640)
    assert r.direct_gap == pytest.approx(-50)
    # cost: 6 900 000 / 630; per report 8333.3 (A) 13333.3 (B) 10000 (C) 12500 (D) 20000 (E)
    assert r.cost_per_beneficiary == pytest.approx(6_900_000 / 630)
    assert r.cost_median == pytest.approx(12_500)
    assert r.cost_q1 == pytest.approx(10_000)  # sorted position 0.25 * 4 = 1
    assert r.cost_q3 == pytest.approx(2_000_000 / 150)  # sorted position 3
    assert r.cost_reports == 5
    # every plan met: A yes; B 150<200; C staff 4<5; E 20<40; D gives no plan -> 1 of 4
    assert r.plans_met_share == pytest.approx(0.25)
    assert r.reports_with_errors == 1 and r.reports_with_warnings == 1


def test_by_region_splits_two_region_report_in_halves(con):
    df = metrics.totals(con, Filter(), "region")
    assert list(df["region"].iloc[:3]) == ["KZ-19", "KZ-75", "KZ-79"]
    assert missing(df["region"].iloc[3])  # not stated comes last, never dropped
    r75 = row(df, region="KZ-75")  # A + ½ B
    assert r75.reports == 2 and r75.report_weight == pytest.approx(1.5)
    assert r75.grant_amount == pytest.approx(1_000_000 + 2_000_000 / 2)
    assert r75.direct_beneficiaries == pytest.approx(120 + 150 / 2)  # 195
    assert r75.indirect_beneficiaries == pytest.approx(1000 + 5000 / 2)
    assert r75.participants == pytest.approx(120 + 200 / 2)
    assert (r75.male, r75.female) == (pytest.approx(50 + 40), pytest.approx(70 + 60))
    assert r75.direct_achievement == pytest.approx((120 + 75) / (100 + 100))
    assert r75.cost_per_beneficiary == pytest.approx(2_000_000 / 195)
    assert r75.cost_median == pytest.approx((1_000_000 / 120 + 2_000_000 / 150) / 2)
    r79 = row(df, region="KZ-79")  # ½ B + C
    assert r79.reports == 2
    assert r79.grant_amount == pytest.approx(1_000_000 + 3_000_000)
    assert r79.direct_beneficiaries == pytest.approx(75 + 300)
    assert r79.direct_achievement == pytest.approx(375 / 400)
    r19 = row(df, region="KZ-19")
    assert r19.grant_amount == 500_000 and missing(r19.direct_plan)
    none = row(df, region=None)
    assert none.reports == 1 and none.grant_amount == 400_000 and none.participants == 30
    assert df["grant_amount"].sum() == pytest.approx(6_900_000)
    assert df["report_weight"].sum() == pytest.approx(5)


def test_by_year_puts_whole_grant_in_start_year_and_keeps_unknown(con):
    df = metrics.totals(con, Filter(), "year")
    assert row(df, year=2022).grant_amount == 1_000_000
    r23 = row(df, year=2023)  # B and the whole of the two-year grant C
    assert r23.reports == 2 and r23.grant_amount == 5_000_000 and r23.direct_beneficiaries == 450
    assert row(df, year=2024).grant_amount == 500_000
    assert row(df, year=None).grant_amount == 400_000


def test_by_direction_and_ngo(con):
    df = metrics.totals(con, Filter(), "direction")
    assert row(df, direction="4").grant_amount == 3_000_000  # A + B
    assert row(df, direction="9").direct_beneficiaries == 300 + 20  # C + E
    assert row(df, direction=None).grant_amount == 500_000  # D
    ngo = metrics.totals(con, Filter(), "ngo")
    assert list(ngo.columns[:2]) == ["ngo", "ngo_name"]
    zh = row(ngo, ngo="public_association:жастар")  # ОО and «Общественное объединение»: one legal form
    assert zh.reports == 2 and zh.grant_amount == 4_000_000 and zh.direct_beneficiaries == 420
    assert zh.ngo_name in ("ОО «Жастар»", "Общественное объединение «Жастар»")


def test_ngo_name_is_the_most_frequent_grantee_text(tmp_path):
    con = store.connect(tmp_path / "n.duckdb")
    reports = [Report(grantee=g, contract_no=str(i), year=2023, grant_amount=Number(1))
               for i, g in enumerate(["ОО «Жастар»", "Общественное объединение «Жастар»", "ОО «Жастар»"])]
    store.save_files(con, [store.ParsedFile("n", "n", "sha-n", 1, "registry", reports)])
    df = metrics.totals(con, Filter(), "ngo")
    assert len(df) == 1 and df.ngo_name.iloc[0] == "ОО «Жастар»" and df.reports.iloc[0] == 3


def test_region_by_year_heat_map_cells(con):
    df = metrics.totals(con, Filter(), ("region", "year"))
    assert row(df, region="KZ-75", year=2022).grant_amount == 1_000_000  # A
    assert row(df, region="KZ-75", year=2023).grant_amount == pytest.approx(1_000_000)  # ½ B
    assert row(df, region="KZ-79", year=2023).grant_amount == pytest.approx(1_000_000 + 3_000_000)  # ½ B + C
    assert row(df, region=None, year=None).grant_amount == 400_000  # E
    assert len(df) == 5
    dy = metrics.totals(con, Filter(), ("direction", "year"))
    assert row(dy, direction="9", year=2023).grant_amount == 3_000_000
    assert dy["grant_amount"].sum() == pytest.approx(6_900_000)


# ------------------------------------------------------------------------------------------- filters

def test_region_filter_weights_by_share_so_it_equals_the_region_bar(con):
    only79 = metrics.headline(con, Filter(regions=("KZ-79",))).iloc[0]
    assert only79.reports == 2
    assert only79.grant_amount == pytest.approx(2_000_000 / 2 + 3_000_000)
    assert only79.direct_beneficiaries == pytest.approx(150 / 2 + 300)
    both = metrics.headline(con, Filter(regions=("KZ-75", "KZ-79"))).iloc[0]
    assert both.reports == 3 and both.grant_amount == pytest.approx(6_000_000)  # B wholly in, once
    assert both.report_weight == pytest.approx(3)
    unstated = metrics.headline(con, Filter(regions=(metrics.NOT_STATED,))).iloc[0]
    assert unstated.reports == 1 and unstated.grant_amount == 400_000


def test_year_direction_ngo_text_and_error_filters(con):
    years = metrics.headline(con, Filter(year_from=2023, year_to=2024)).iloc[0]
    assert years.reports == 3 and years.grant_amount == 2_000_000 + 3_000_000 + 500_000  # E (no year) left out
    assert metrics.headline(con, Filter(year_from=2024)).iloc[0].grant_amount == 500_000
    assert metrics.headline(con, Filter(directions=(metrics.NOT_STATED,))).iloc[0].grant_amount == 500_000
    assert metrics.headline(con, Filter(directions=("4", "9"))).iloc[0].reports == 4
    assert metrics.headline(con, Filter(ngos=("public_association:жастар",))).iloc[0].grant_amount == 4_000_000
    assert metrics.headline(con, Filter(text="ЖАСТАР")).iloc[0].reports == 2  # case-insensitive, grantee
    assert metrics.headline(con, Filter(text="медиа")).iloc[0].reports == 1  # title
    no_errors = metrics.headline(con, Filter(exclude_errors=True)).iloc[0]
    assert no_errors.reports == 4 and no_errors.grant_amount == 6_500_000
    ids = metrics.report_achievement(con, Filter(ngos=("corporate_foundation:сана",)))["report_id"].tolist()
    assert metrics.headline(con, Filter(report_ids=tuple(ids))).iloc[0].grant_amount == 500_000


def test_empty_selection_gives_one_zero_row(con):
    h = metrics.headline(con, Filter(year_from=2099)).iloc[0]
    assert h.reports == 0 and missing(h.grant_amount)
    assert metrics.totals(con, Filter(year_from=2099), "region").empty


def test_filter_is_hashable_and_round_trips_through_query_params():
    flt = Filter(regions=("KZ-75", metrics.NOT_STATED), directions=("13-1",), year_from=2020, year_to=2024,
                 ngos=("public_association:жастар",), text="  школа ", exclude_errors=True)
    assert flt.text == "школа"
    assert {flt: 1}[Filter(**{**flt.__dict__})] == 1
    params = flt.to_query_params()
    assert params["region"] == "KZ-75,-" and params["year_from"] == "2020" and params["errors"] == "exclude"
    assert Filter.from_query_params(params) == flt
    assert Filter.from_query_params({"region": ["KZ-75", "KZ-79"], "year_to": "abc"}) == Filter(regions=("KZ-75", "KZ-79"))
    assert Filter.from_query_params({}) == Filter() and Filter().to_query_params() == {}


def test_bad_grouping_is_refused(con):
    with pytest.raises(ValueError):
        metrics.totals(con, Filter(), "colour")


# ---------------------------------------------------------------------------------------- per year

def test_amount_by_year_spreads_the_two_year_grant(con):
    df = metrics.amount_by_year(con, Filter())
    assert row(df, year=2022).amount == 1_000_000  # A
    assert row(df, year=2023).amount == 2_000_000 + 1_000_000  # B + C's 2023 part
    r24 = row(df, year=2024)
    assert r24.amount == 2_000_000 + 500_000 and r24.reports == 2  # C's 2024 part + D
    assert row(df, year=None).amount == 400_000
    assert df["amount"].sum() == pytest.approx(6_900_000)
    by_region = metrics.amount_by_year(con, Filter(), ("region", "year"))
    assert row(by_region, year=2024, region="KZ-79").amount == 2_000_000


def test_year_over_year_change(con):
    df = metrics.year_over_year(con, Filter())
    assert df["year"].tolist() == [2022, 2023, 2024]
    r23 = row(df, year=2023)
    assert r23.reports_prev == 1 and r23.reports_change == pytest.approx(1.0)  # 2 vs 1
    assert r23.grant_amount_change == pytest.approx(5_000_000 / 1_000_000 - 1)
    assert row(df, year=2024).reports_change == pytest.approx(-0.5)  # 1 vs 2
    assert missing(row(df, year=2022).grant_amount_prev)


# ----------------------------------------------------------------------------------- plan vs fact

def test_plan_vs_fact_every_indicator(con):
    df = metrics.plan_vs_fact(con, Filter())
    assert df["indicator"].tolist() == ["direct_beneficiaries", "indirect_beneficiaries", "staff"]  # catalog order
    d = row(df, indicator="direct_beneficiaries")
    assert (d.reports_with_plan, d.reports_with_fact, d.reports, d.missing_plan) == (4, 5, 4, 1)  # D: no plan
    assert d.plan == 640 and d.fact == 590 and d.gap == -50
    assert d.achievement == pytest.approx(590 / 640)
    assert d.met_reports == 2 and d.met_share == pytest.approx(0.5)  # A (120≥100), C (300≥300)
    assert d.approx_share == pytest.approx(2 / 8)  # B fact ≈, C plan ≥, of 4 plans + 4 facts
    i = row(df, indicator="indirect_beneficiaries")  # only A has a plan; B's 5000 is not counted
    assert (i.reports, i.missing_plan, i.plan, i.fact) == (1, 1, 800, 1000)
    assert i.achievement == pytest.approx(1.25) and i.met_share == 1.0 and i.approx_share == 0
    s = row(df, indicator="staff")
    assert s.achievement == pytest.approx(0.8) and s.gap == -1 and s.met_share == 0


def test_plan_vs_fact_by_region_weights_the_shared_report(con):
    df = metrics.plan_vs_fact(con, Filter(), by="region", indicators=["direct_beneficiaries"])
    r75 = row(df, region="KZ-75")
    assert r75.plan == pytest.approx(100 + 200 / 2) and r75.fact == pytest.approx(120 + 150 / 2)
    assert r75.reports == 2
    r79 = row(df, region="KZ-79")
    assert r79.achievement == pytest.approx((75 + 300) / (100 + 300))
    assert df["plan"].sum() == pytest.approx(640)


def test_report_achievement_per_report(con):
    df = metrics.report_achievement(con, Filter())
    assert len(df) == 5
    # ordered lowest first, the report without a plan last: E 20/40, B 150/200, C 300/300, A 120/100, D
    assert df["achievement"].round(4).tolist()[:4] == [0.5, 0.75, 1.0, 1.2]
    assert missing(df["achievement"].iloc[4]) and df["plan"].isna().iloc[4]
    b = row(df, grantee="ОФ «Болашак»")
    assert b.approx and b.fact_qualifier == "approx" and not b.met and b.gap == -50



def test_achievement_values_are_the_per_report_achievements_giving_both(con):
    """The plan/fact page's distribution reads achievement_values: report_achievement's non-missing ratios."""
    for flt in (Filter(), Filter(regions=("KZ-75",)), Filter(text="болашак"), Filter(regions=("-",))):
        full = metrics.report_achievement(con, flt)["achievement"].dropna().tolist()
        assert metrics.achievement_values(con, flt)["achievement"].tolist() == full
    assert metrics.achievement_values(con, Filter())["achievement"].round(4).tolist() == [0.5, 0.75, 1.0, 1.2]


def test_text_holding_the_search_separator_still_searches_each_field(con):
    """Grantee, title and contract number are searched in one joined column; a text holding its separator
    is matched field by field (so it never matches across two fields)."""
    sep = cache.SEARCH_SEPARATOR
    assert int(metrics.headline(con, Filter(text=f"болашак{sep}ш"))["reports"].iloc[0]) == 0
    assert int(metrics.headline(con, Filter(text="болашак"))["reports"].iloc[0]) >= 1

def test_only_the_latest_texts_keep_a_match_table(con, monkeypatch):
    """A text filter's matches are cached per text; the oldest texts' tables go, and asking again rebuilds them."""
    monkeypatch.setattr(cache, "TEXT_MATCH_TABLES", 2)
    texts = ["болашак", "умит", "оо", "ф"]
    first = [int(metrics.headline(con, Filter(text=t))["reports"].iloc[0]) for t in texts]
    again = [int(metrics.headline(con, Filter(text=t))["reports"].iloc[0]) for t in texts]
    assert first == again and first[0] >= 1
    kept = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'gs_cache'"
                       " AND table_name LIKE 'match_%'").fetchone()[0]
    assert kept <= 3  # the two latest, and one dropped at the next build

def test_largest_shortfalls_reports_and_ngos(con):
    rep = metrics.largest_shortfalls(con, Filter(), "direct_beneficiaries", limit=10)
    assert rep["grantee"].tolist() == ["ОФ «Болашак»", "ОО «Умит»"]  # short by 50 and by 20
    assert rep["shortfall"].tolist() == [50, 20]
    by_ratio = metrics.largest_shortfalls(con, Filter(), order="achievement", limit=1)
    assert by_ratio["grantee"].tolist() == ["ОО «Умит»"]  # 0.5 below 0.75
    ngo = metrics.largest_shortfalls(con, Filter(), by="ngo")
    assert ngo["ngo"].tolist() == ["public_foundation:болашак", "public_association:умит"] and ngo["ngo_name"].iloc[0] == "ОФ «Болашак»"


# ---------------------------------------------------------------------------------------- breakdowns

def test_gender_breakdown_counts_derived_people(con):
    df = metrics.breakdown(con, Filter(), "gender")
    assert df["bucket"].tolist() == ["male", "female"]
    male, female = row(df, bucket="male"), row(df, bucket="female")
    assert male.people == 230 and female.people == 290  # 50+80+100, 70+120+100
    assert male.share == pytest.approx(230 / 520) and female.share == pytest.approx(290 / 520)
    assert male.derived_people == 80 and female.derived_people == 120  # B gave percent
    assert male.derived_share == pytest.approx(80 / 230)
    assert (male.reports, male.derived_reports) == (3, 1)


def test_age_breakdown_and_by_region(con):
    df = metrics.breakdown(con, Filter(), "age")
    assert df["bucket"].tolist() == ["17-22", "23-27"]
    assert row(df, bucket="17-22").people == 60 + 50
    assert row(df, bucket="23-27").share == pytest.approx((60 + 150) / (120 + 200))
    assert row(df, bucket="23-27").derived_people == 150
    g = metrics.breakdown(con, Filter(), "gender", by="region")
    assert row(g, region="KZ-75", bucket="male").people == pytest.approx(50 + 40)
    assert row(g, region="KZ-75", bucket="female").share == pytest.approx(130 / 220)


def test_category_shares_are_of_participants_because_categories_overlap(con):
    df = metrics.breakdown(con, Filter(), "category")
    assert df["bucket"].tolist() == ["children", "youth", "disabled"]  # catalog order
    # reports giving a category table: A (120 participants) and B (200) -> 320
    assert row(df, bucket="youth").people == 100 + 180
    assert row(df, bucket="youth").share == pytest.approx(280 / 320)
    assert row(df, bucket="children").share == pytest.approx(40 / 320)
    assert row(df, bucket="disabled").share == pytest.approx(10 / 320)
    assert df["share"].sum() > 1  # overlapping categories need not add up
    with pytest.raises(ValueError):
        metrics.breakdown(con, Filter(), "colour")


# ---------------------------------------------------------------------------------------- cost, NGOs

def test_cost_per_beneficiary_with_spread(con):
    df = metrics.cost_per_beneficiary(con, Filter())
    r = df.iloc[0]
    assert r.reports == 5 and r.cost_per_beneficiary == pytest.approx(6_900_000 / 630)
    assert (r.cost_min, r.cost_max) == (pytest.approx(1_000_000 / 120), pytest.approx(20_000))
    assert r.cost_median == pytest.approx(12_500)
    by_dir = metrics.cost_per_beneficiary(con, Filter(), "direction")
    d4 = row(by_dir, direction="4")  # A + B: 3 000 000 / 270; median of 8333.3 and 13333.3
    assert d4.cost_per_beneficiary == pytest.approx(3_000_000 / 270)
    assert d4.cost_median == pytest.approx((1_000_000 / 120 + 2_000_000 / 150) / 2)
    r79 = row(metrics.cost_per_beneficiary(con, Filter(), "region"), region="KZ-79")
    assert r79.cost_per_beneficiary == pytest.approx(4_000_000 / 375)  # ½ B + C


def test_ngo_comparison_ranks_the_regions_ngos(con):
    df = metrics.ngo_comparison(con, Filter(), "KZ-79")
    assert df["ngo"].tolist() == ["public_association:жастар", "public_foundation:болашак"]  # 300 direct beneficiaries vs 150 / 2
    assert df["rank"].tolist() == [1, 2] and (df["ngos_in_region"] == 2).all()
    b = row(df, ngo="public_foundation:болашак")
    assert b.grant_amount == pytest.approx(1_000_000) and b.direct_beneficiaries == pytest.approx(75)
    assert b.direct_achievement == pytest.approx(0.75) and b.cost_per_beneficiary == pytest.approx(2_000_000 / 150)
    by_money = metrics.ngo_comparison(con, Filter(), "KZ-79", rank_by="grant_amount")
    assert by_money["rank"].tolist() == [1, 2]
    assert metrics.ngo_comparison(con, Filter(), None)["ngo"].tolist() == ["public_association:умит"]
    assert metrics.ngo_comparison(con, Filter(), "KZ-10").empty


def test_summary_has_the_cli_columns(con):
    df = metrics.summary(con, Filter(), "region")
    for column in ("region", "reports", "grant_amount", "direct_beneficiaries", "indirect_beneficiaries",
                   "participants", "male", "female", "direct_plan", "direct_achievement", "cost_per_beneficiary"):
        assert column in df.columns
    assert list(metrics.summary(con, Filter()).columns) == metrics.SUMMARY_COLUMNS
