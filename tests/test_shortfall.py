"""Where the shortfall came from, against figures worked out by hand.

  report  NGO  region(s)            dir  direct plan -> fact   shortfall  surplus
  S1      A    KZ-75                4    100 -> 40             60
  S2      B    KZ-75                4    200 -> 150            50
  S3      C    KZ-79                1    300 -> 330                       30
  S4      A    KZ-79                1     50 -> 40             10
  S5      D    KZ-75 ½, KZ-79 ½     7    100 -> 80             20 (10 in each region)
  S6      E    KZ-71                7    (no plan) -> 20       not counted
Shortfall 140, surplus 30, net −110. Largest first: 60 (42.9 %), 50 (78.6 %), 20 (92.9 %), 10: three reports
make 80 % (S1, S2, S5: 130 of 140). By region: KZ-75 60 + 50 + 10 = 120; KZ-79 10 + 10 = 20 with a surplus of 30,
net +10 — a positive net hiding a shortfall of 20.
"""

from __future__ import annotations

import pytest

from grantstats import shortfall, store
from grantstats.metrics import Filter
from grantstats.model import IndicatorValue, Number, Report

ROWS = [("S1", "ОО «А»", [("KZ-75", 1.0)], "4", 100, 40), ("S2", "ОО «Б»", [("KZ-75", 1.0)], "4", 200, 150),
        ("S3", "ОО «В»", [("KZ-79", 1.0)], "1", 300, 330), ("S4", "ОО «А»", [("KZ-79", 1.0)], "1", 50, 40),
        ("S5", "ОО «Д»", [("KZ-75", 0.5), ("KZ-79", 0.5)], "7", 100, 80), ("S6", "ОО «Е»", [("KZ-71", 1.0)], "7", None, 20)]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    connection = store.connect(tmp_path_factory.mktemp("shortfall") / "s.duckdb")
    reports = [Report(grantee=g, title=f"Проект {n}", contract_no=n, year=2023, direction=d, regions=regions,
                      grant_amount=Number(1_000_000.0),
                      indicators={"direct_beneficiaries": IndicatorValue(
                          "direct_beneficiaries", Number(None if plan is None else float(plan)), Number(float(fact)))})
               for n, g, regions, d, plan, fact in ROWS]
    store.save_files(connection, [store.ParsedFile("/hand/s.xlsx", "s.xlsx", "sha-s", 1, "registry", reports)])
    yield connection
    connection.close()


def names(con) -> dict[str, str]:
    return dict(con.execute("SELECT report_id, contract_no FROM reports").fetchall())


def test_the_shortfall_is_the_sum_of_shortfalls_beside_the_net(con):
    s = shortfall.shortfall_summary(con).iloc[0]
    assert (s.shortfall, s.surplus, s.net, s.plan, s.fact) == (140, 30, -110, 750, 640)
    assert (s.reports, s.reports_short, s.reports_for_share) == (5, 4, 3)
    assert s.share_reached == pytest.approx(130 / 140)


def test_reports_ranked_pareto_with_the_ones_that_make_80_percent(con):
    df = shortfall.shortfall_breakdown(con, by="report")
    ids = names(con)
    assert [ids[r] for r in df["report_id"]] == ["S1", "S2", "S5", "S4", "S3"]
    assert df["shortfall"].tolist() == [60, 50, 20, 10, 0]
    assert df["cum_share"].tolist() == pytest.approx([60 / 140, 110 / 140, 130 / 140, 1, 1])
    assert df["in_share"].tolist() == [True, True, True, False, False]
    assert df.iloc[-1]["surplus"] == 30 and df.iloc[-1]["net"] == 30


def test_by_region_a_positive_net_does_not_hide_the_shortfall(con):
    df = shortfall.shortfall_breakdown(con, by="region").set_index("region")
    assert (df.loc["KZ-75", "shortfall"], df.loc["KZ-75", "net"]) == (120, -120)
    kz79 = df.loc["KZ-79"]
    assert (kz79.shortfall, kz79.surplus, kz79.net, kz79.reports, kz79.reports_short) == (20, 30, 10, 3, 2)
    assert df["shortfall"].sum() == 140  # the regions add up to the whole
    assert df.loc["KZ-75", "share"] == pytest.approx(120 / 140)


def test_by_direction_and_by_ngo(con):
    direction = shortfall.shortfall_breakdown(con, by="direction").set_index("direction")
    assert direction["shortfall"].to_dict() == {"4": 110, "7": 20, "1": 10}
    assert direction.loc["1", "net"] == 20
    ngo = shortfall.shortfall_breakdown(con, by="ngo").set_index("ngo")
    a = "public_association:а"  # the NGO: legal form and name
    assert (ngo.loc[a, "shortfall"], ngo.loc[a, "reports"], ngo.loc[a, "ngo_name"]) == (70, 2, "ОО «А»")
    assert ngo.index.tolist()[:3] == [a, "public_association:б", "public_association:д"]


def test_drilling_into_a_region_weights_by_its_share(con):
    df = shortfall.shortfall_breakdown(con, Filter(regions=("KZ-79",)), by="report")
    ids = names(con)
    assert {ids[r]: v for r, v in zip(df["report_id"], df["shortfall"])} == {"S4": 10, "S5": 10, "S3": 0}
    assert shortfall.shortfall_summary(con, Filter(regions=("KZ-79",))).iloc[0].shortfall == 20
    by_ngo = shortfall.shortfall_breakdown(con, Filter(regions=("KZ-75",), directions=("4",)), by="ngo")
    assert by_ngo["shortfall"].tolist() == [60, 50]


def test_any_indicator_can_be_broken_down(con):
    assert shortfall.shortfall_summary(con, indicator="staff").iloc[0].reports == 0
    with pytest.raises(ValueError):
        shortfall.shortfall_breakdown(con, by="city")


# ------------------------------------------------------------------------------------------------- page

@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_page_shows_the_pareto_and_drills_down_to_reports(con, monkeypatch, lang):
    from streamlit.testing.v1 import AppTest

    from grantstats import catalog
    from grantstats.i18n import t
    from tests.test_pages import APP

    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    monkeypatch.setenv("GRANTSTATS_DB", path)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/shortfall.py").run()
    assert not at.exception and not at.error, [e.message for e in at.exception]
    cards = {m.label: m.value for m in at.metric}
    assert (cards[t("sf_shortfall", lang)], cards[t("sf_surplus", lang)], cards[t("sf_net", lang)]) == ("140", "30", "-110")
    assert at.info[0].value == t("sf_pareto", lang, n="3", short="4", share="80\xa0%", value="130", total="140")
    regions = at.dataframe[0].value.set_index(t("col_region", lang))
    assert regions.loc[catalog.name("region", "KZ-79", lang), t("sf_shortfall", lang)] == 20
    assert regions.loc[catalog.name("region", "KZ-79", lang), t("sf_net", lang)] == 10
    at.selectbox(key="sf_region").set_value("KZ-75").run()
    assert at.dataframe[0].value[t("col_direction", lang)].tolist()[0].startswith("4.")
    at.selectbox(key="sf_direction").set_value("4").run()
    assert at.dataframe[0].value[t("sf_shortfall", lang)].tolist() == [60, 50]
    at.selectbox(key="sf_ngo").set_value("public_association:б").run()
    reports = at.dataframe[0].value
    assert reports[t("sf_shortfall", lang)].tolist() == [50] and "report=R" in reports[t("col_report", lang)].iloc[0]


def test_by_region_under_a_region_filter_keeps_the_chosen_regions_shares(con):
    df = shortfall.shortfall_breakdown(con, Filter(regions=("KZ-79",), directions=("7",)), by="region")
    # S5 alone (direction 7, half in KZ-79): 10 of its 20
    assert df[["region", "shortfall", "reports"]].values.tolist() == [["KZ-79", 10, 1]]
