"""Health scores against figures worked out by hand.

  H1   ОО «Ясный»  2023 KZ-75         direct 100 -> 120, indirect 1000 -> 1500; gender 50 + 70, age 60 + 60
       no finding, no check fails                                                      score 100
  H2   ОО «Копия»  2023 KZ-75 ½ KZ-79 ½  direct 200 = 200, indirect 5000 = 5000, staff 5 = 5 (3 facts equal their
       plans: copied_plan −10); counted figures ≥ 100: 200, 5000, male 100, female 100, all multiples of 100
       (round_figures −5); one warning (−5)                                              score 80
  H3a  ОО «Рост»   2022 KZ-79         direct 60 -> 50                                   score 100
  H3b  ОО «Рост»   2023 KZ-79         direct 200 -> 300: the NGO's 300 against 50 the year before, 6× (yoy_jump
       −10); gender 150 + 150 = 300 against age 200 + 50 = 250 (gender_age_disagree −5); one error (−15) and two
       info findings (−2)                                                                score 68
By NGO: Рост (100 + 68) / 2 = 84, lowest 68. By region, weighted by shares: KZ-75 (100 × 1 + 80 × ½) / 1.5 = 93.33;
KZ-79 (80 × ½ + 100 + 68) / 2.5 = 83.2.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from grantstats import health, store
from grantstats.findings import messages as finding_messages
from grantstats.ingest import save_parsed
from grantstats.metrics import Filter
from grantstats.model import Finding, IndicatorValue, Number, ParticipantValue, Report, Where


def ind(code, plan, fact):
    return IndicatorValue(code, Number(float(plan)), Number(float(fact)), fact_at=Where("Отчет", "D10"))


def people(dimension, bucket, n):
    return ParticipantValue(dimension, bucket, float(n), at=Where("Отчет", "C20"))


def archive() -> list[Report]:
    h1 = Report(grantee="ОО «Ясный»", title="Ясный проект", contract_no="H1", year=2023, direction="4",
                regions=[("KZ-75", 1.0)], grant_amount=Number(1_000_000.0),
                indicators={"direct_beneficiaries": ind("direct_beneficiaries", 100, 120),
                            "indirect_beneficiaries": ind("indirect_beneficiaries", 1000, 1500)},
                participants=[people("gender", "male", 50), people("gender", "female", 70),
                              people("age", "17-22", 60), people("age", "23-27", 60)])
    h2 = Report(grantee="ОО «Копия»", title="Копия плана", contract_no="H2", year=2023, direction="4",
                regions=[("KZ-75", 0.5), ("KZ-79", 0.5)], grant_amount=Number(2_000_000.0),
                indicators={"direct_beneficiaries": ind("direct_beneficiaries", 200, 200),
                            "indirect_beneficiaries": ind("indirect_beneficiaries", 5000, 5000),
                            "staff": ind("staff", 5, 5)},
                participants=[people("gender", "male", 100), people("gender", "female", 100)],
                findings=[Finding("sum_mismatch", "warning", "Сумма не сходится: 1 + 2", "Sum mismatch: 1 + 2",
                                  "Отчет", "C31")])
    h3a = Report(grantee="ОО «Рост»", title="Рост-1", contract_no="H3a", year=2022, direction="7",
                 regions=[("KZ-79", 1.0)], grant_amount=Number(500_000.0),
                 indicators={"direct_beneficiaries": ind("direct_beneficiaries", 60, 50)})
    h3b = Report(grantee="ОО «Рост»", title="Рост-2", contract_no="H3b", year=2023, direction="7",
                 regions=[("KZ-79", 1.0)], grant_amount=Number(3_000_000.0),
                 indicators={"direct_beneficiaries": ind("direct_beneficiaries", 200, 300)},
                 participants=[people("gender", "male", 150), people("gender", "female", 150),
                               people("age", "17-22", 200), people("age", "23-27", 50)],
                 findings=[Finding("implausible_value", "error", "Отрицательное значение: -5", "Negative value: -5",
                                   "Отчет", "D12"),
                           Finding("approximate_value", "info", "около 300", "about 300", "Отчет", "D10"),
                           Finding("derived_from_percent", "info", "из процентов", "from percent", "Отчет", "C20")])
    return [h1, h2, h3a, h3b]


@pytest.fixture()
def con(tmp_path):
    connection = store.connect(tmp_path / "health.duckdb")
    save_parsed(connection, [store.ParsedFile("/hand/health.xlsx", "health.xlsx", "sha-health", 1, "registry",
                                              archive())])
    yield connection
    connection.close()


def scores(con, flt=Filter()) -> dict[str, pd.Series]:
    df = health.health_scores(con, flt)
    names = dict(con.execute("SELECT report_id, contract_no FROM reports").fetchall())
    return {names[r["report_id"]]: r for _, r in df.iterrows()}


def test_each_report_loses_the_points_of_its_findings_and_failed_checks(con):
    got = scores(con)
    assert {k: r["score"] for k, r in got.items()} == {"H1": 100, "H2": 80, "H3a": 100, "H3b": 68}
    assert (got["H2"]["finding_points"], got["H2"]["check_points"], got["H2"]["checks"]) == (
        5, 15, "copied_plan,round_figures")
    assert (got["H3b"]["errors"], got["H3b"]["infos"], got["H3b"]["finding_points"], got["H3b"]["check_points"]) == (
        1, 2, 17, 15)
    assert got["H3b"]["checks"] == "yoy_jump,gender_age_disagree"
    assert pd.isna(got["H1"]["checks"])
    assert list(health.health_scores(con)["score"]) == [68, 80, 100, 100]  # lowest first


def test_scores_by_ngo_and_by_region(con):
    ngo = health.health_scores(con, by="ngo").set_index("ngo")
    assert (ngo.loc["public_association:рост", "reports"], ngo.loc["public_association:рост", "score"], ngo.loc["public_association:рост", "min_score"]) == (2, 84, 68)
    assert ngo.loc["public_association:рост", "ngo_name"] == "ОО «Рост»"
    region = health.health_scores(con, by="region").set_index("region")
    assert region.loc["KZ-75", "score"] == pytest.approx((100 + 80 * 0.5) / 1.5)
    assert region.loc["KZ-79", "score"] == pytest.approx((80 * 0.5 + 100 + 68) / 2.5)
    assert (region.loc["KZ-79", "reports"], region.loc["KZ-79", "report_weight"]) == (3, 2.5)
    one = health.health_scores(con, Filter(regions=("KZ-75",)), by="region")
    assert one["region"].tolist() == ["KZ-75"]


def test_the_explanation_lists_what_took_points_off_largest_first(con):
    rid = con.execute("SELECT report_id FROM reports WHERE contract_no = 'H3b'").fetchone()[0]
    why = health.health_explain(con, rid)
    assert list(zip(why["kind"], why["code"], why["points"])) == [
        ("finding", "implausible_value", 15), ("check", "yoy_jump", 10), ("check", "gender_age_disagree", 5),
        ("finding", "approximate_value", 1), ("finding", "derived_from_percent", 1)]
    assert why["points"].sum() == 100 - 68
    jump = why.set_index("code").loc["yoy_jump"]
    assert jump["message_ru"] == "Прямые бенефициары НПО за год: 300 против 50 годом раньше (в 6,0 раза больше)"
    assert why.set_index("code").loc["gender_age_disagree", "message_en"] == "By gender 300 people, by age 250"
    assert finding_messages.message(jump["params"], "kk") == ("ҮЕҰ-ның жылдағы тікелей бенефициарлары: 300, бір жыл бұрын"
                                                              " 50 (6,0 есе көп)")
    assert why.set_index("code").loc["implausible_value", "cell"] == "D12"


def test_an_accepted_finding_costs_nothing(con):
    from grantstats.store import FINDING_KEY_SQL

    con.execute("INSERT INTO finding_reviews SELECT " + FINDING_KEY_SQL.format(f="f") + ", f.report_id, f.rule, f.sheet,"
                " f.cell, 'accepted', 'верно', 'tester', now() FROM findings f WHERE f.rule = 'implausible_value'")
    assert scores(con)["H3b"]["score"] == 83
    rid = con.execute("SELECT report_id FROM reports WHERE contract_no = 'H3b'").fetchone()[0]
    why = health.health_explain(con, rid).set_index("code")
    assert (why.loc["implausible_value", "points"], why.loc["implausible_value", "review_status"]) == (0, "accepted")


def test_the_summary_counts_each_failed_check(con):
    s = health.health_summary(con).iloc[0]
    assert (s["reports"], s["score_median"], s["reports_below_50"]) == (4, 90, 0)
    assert s["healthy_share"] == pytest.approx(0.75)  # 100, 80, 100 of 100, 80, 100, 68
    assert (s["copied_plan"], s["round_figures"], s["yoy_jump"], s["gender_age_disagree"]) == (1, 1, 1, 1)


# ------------------------------------------------------------------------------------------------- page

@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_page_lists_the_scores_and_explains_the_lowest(tmp_path, monkeypatch, lang):
    from streamlit.testing.v1 import AppTest

    from grantstats.i18n import t
    from tests.test_pages import APP

    path = tmp_path / "health-page.duckdb"
    connection = store.connect(path)
    save_parsed(connection, [store.ParsedFile("/hand/health.xlsx", "health.xlsx", "sha-health", 1, "registry",
                                              archive())])
    connection.close()
    monkeypatch.setenv("GRANTSTATS_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/health.py").run()
    assert not at.exception and not at.error, [e.message for e in at.exception]
    assert at.title[0].value == t("page_health", lang)
    cards = {m.label: m.value for m in at.metric}
    assert cards[t("health_median", lang)] == "90"
    assert cards[t("health_healthy", lang)] == ("75.0\xa0%" if lang == "en" else "75,0\xa0%")  # each language's decimal mark
    table = at.dataframe[0].value
    assert table[t("col_score", lang)].tolist() == [68, 80, 100, 100]
    with duckdb.connect(str(path)) as check:
        lowest = check.execute("SELECT report_id FROM reports WHERE contract_no = 'H3b'").fetchone()[0]
    assert at.selectbox(key="health_explain").value == lowest  # the lowest is explained first
    explained = at.dataframe[1].value
    assert explained[t("col_points", lang)].tolist() == [15, 10, 5, 1, 1]
    by_gender = {"ru": "По полу 300 человек, по возрасту 250", "kk": "Жынысы бойынша 300 адам, жасы бойынша 250",
                 "en": "By gender 300 people, by age 250"}[lang]
    assert explained[t("col_message", lang)].tolist()[2] == by_gender  # a check's explanation in the page's language
    at.segmented_control(key="health_level").set_value("region").run()
    regions = at.dataframe[0].value.set_index(t("col_region", lang))
    from grantstats import catalog

    assert regions.loc[catalog.name("region", "KZ-79", lang), t("col_score", lang)] == pytest.approx(83.2)
