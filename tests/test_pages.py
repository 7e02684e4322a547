"""Every dashboard page under AppTest: on the sample and on a hand-made set, with and without filters, in
both languages; the figures shown equal grantstats' results; no page raises on an empty database or on
filters that match nothing."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from grantstats import catalog, formatting as fmt, metrics, snapshots
from grantstats.i18n import t
from ui import data, state

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = [p.path for p in state.PAGES]
TIMINGS: dict[str, float] = {}


def open_app(db: Path, monkeypatch, page: str | None = None, **params: str) -> AppTest:
    monkeypatch.setenv("GRANTSTATS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.run()
    if page and page != PAGES[0]:
        at.query_params.update(params)  # as if the page's own address was opened (its parameters kept)
        at.switch_page(page)
        started = time.perf_counter()
        at.run()
        TIMINGS[page] = max(TIMINGS.get(page, 0.0), time.perf_counter() - started)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def headline(db: Path, flt: metrics.Filter = metrics.Filter()):
    with duckdb.connect(str(db)) as con:
        return metrics.headline(con, flt).iloc[0]


# ------------------------------------------------------------------------------------- every page runs

@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_page_renders_on_the_sample_and_states_its_basis(sample_db, monkeypatch, lang):
    at = open_app(sample_db, monkeypatch, lang=lang)
    head = headline(sample_db)
    basis = t("basis", lang, reports=fmt.count(head["reports"]), ngos=fmt.count(head["ngos"]))
    for page in PAGES:
        if page != PAGES[0]:
            at.switch_page(page)
            started = time.perf_counter()
            at.run()
            TIMINGS[page] = max(TIMINGS.get(page, 0.0), time.perf_counter() - started)
        assert_clean(at)
        assert at.title[0].value == t(next(p.key for p in state.PAGES if p.path == page), lang)
        assert basis in captions(at), (page, captions(at))
        if page not in ("pages/report.py",):
            assert at.get("plotly_chart"), f"{page} draws no chart"
        assert at.dataframe or page == "pages/overview.py" and at.get("plotly_chart"), page


def test_every_page_renders_with_filters_from_the_url(sample_db, monkeypatch):
    flt = metrics.Filter(regions=("KZ-75", "KZ-79"), year_from=2021, exclude_errors=True)
    at = open_app(sample_db, monkeypatch, **flt.to_query_params())
    # The sidebar takes the URL's filter, and the URL keeps it.
    assert at.multiselect(key="f_regions").value == ["KZ-75", "KZ-79"]
    assert at.toggle(key="f_exclude_errors").value is True
    assert at.query_params["region"] in ("KZ-75,KZ-79", ["KZ-75,KZ-79"])
    head = headline(sample_db, flt)
    basis = t("basis", "ru", reports=fmt.count(head["reports"]), ngos=fmt.count(head["ngos"]))
    for page in PAGES:
        at.switch_page(page).run()
        assert_clean(at)
        assert any(c.startswith(basis) for c in captions(at)), (page, captions(at))


def test_filters_that_match_nothing_say_so_on_every_page(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, text="нет такого НПО")
    for page in PAGES:
        at.switch_page(page).run()
        assert_clean(at)
        if page.endswith("completeness.py"):  # about reports not yet in: it goes on to its contracts (none loaded here)
            assert not at.warning and at.info[0].value.startswith(f"**{t('cp_no_contracts_title', 'ru')}**")
            continue
        assert [w.value for w in at.warning] == [t("nothing_matches", "ru")], page


def test_empty_database_shows_how_to_load_data_on_every_page(empty_db, monkeypatch):
    at = open_app(empty_db, monkeypatch)
    for page in PAGES:
        at.switch_page(page).run()
        assert_clean(at)
        assert any("grantstats ingest" in i.value for i in at.info), page
    assert empty_db.exists()


# ------------------------------------------------------------------- figures equal grantstats' results

def test_overview_cards_show_the_hand_made_totals(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch)
    assert_clean(at)
    cards = metric_values(at)
    nb = fmt.NBSP
    # 5 reports, 4 NGOs, 27 000 000 ₸; direct fact 120+150+90+330+50 = 740 (one "около") of plan 750.
    assert cards["Отчеты"] == "5"
    assert cards["НПО"] == "4"
    assert cards["Сумма грантов"] == f"27,0{nb}млн{nb}₸"
    assert cards["Прямые бенефициары"] == f"≈{nb}740"
    assert cards["Косвенные бенефициары"] == f"5{nb}500"
    assert cards["Выполнение плана (прямые)"] == f"≈{nb}98,7{nb}%"
    # 27 000 000 / 740 = 36 486,49 ₸
    assert cards["Стоимость на бенефициара"] == f"36{nb}486{nb}₸"
    # 2023 against 2022: reports 3 vs 2 = +50 %; money 17 M vs 10 M = +70 %.
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["Отчеты"] == f"+50,0{nb}%"
    assert deltas["Сумма грантов"] == f"+70,0{nb}%"


def test_overview_cards_equal_metrics_on_the_sample_in_english(sample_db, monkeypatch):
    at = open_app(sample_db, monkeypatch, lang="en")
    head = headline(sample_db)
    cards = metric_values(at)
    assert cards["Reports"] == fmt.count(head["reports"])
    assert cards["Grant amount"] == fmt.money(head["grant_amount"], "en")
    assert cards["Direct beneficiaries"].endswith(fmt.count(head["direct_beneficiaries"]))
    assert cards["Cost per beneficiary"] == fmt.money(head["cost_per_beneficiary"], "en")


def test_regions_table_splits_a_two_region_report_in_half(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/regions.py")
    assert_clean(at)
    table = at.dataframe[0].value.set_index("Регион")
    # г. Шымкент: report B whole (6 M, 150) and half of E (1 M, 25).
    assert table.loc["г. Шымкент", "Отчеты"] == 2
    assert table.loc["г. Шымкент", "Сумма грантов"] == 7_000_000
    assert table.loc["г. Шымкент", "Прямые бенефициары"] == 175
    assert table.loc["Западно-Казахстанская область", "Прямые бенефициары"] == 25
    assert table["Прямые бенефициары"].sum() == 740


def test_regions_table_equals_metrics_on_the_sample(sample_db, monkeypatch):
    at = open_app(sample_db, monkeypatch, "pages/regions.py")
    shown = at.dataframe[0].value
    with duckdb.connect(str(sample_db)) as con:
        expected = metrics.totals(con, metrics.Filter(), by="region")
    assert sorted(shown["Отчеты"].tolist()) == sorted(expected["reports"].tolist())
    assert shown["Сумма грантов"].sum() == pytest.approx(expected["grant_amount"].sum())


def test_region_filter_from_the_url_narrows_every_figure(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, region="KZ-75")
    cards = metric_values(at)
    assert cards["Отчеты"] == "2"  # A and C
    assert cards["Сумма грантов"] == f"9,0{fmt.NBSP}млн{fmt.NBSP}₸"


def test_ngo_page_compares_the_regions_ngos_and_links_to_their_reports(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/ngos.py", **{"in": "KZ-79"})
    assert_clean(at)
    table = at.dataframe[0].value
    assert set(table["НПО"]) == {"ОФ «Болашак»", "КФ «Нур»"}
    links = table["Открыть"].tolist()
    assert all("report?" in link and "ngo=" in link for link in links)


def test_plan_fact_page_lists_every_indicator_and_the_shortfalls(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/plan_fact.py")
    assert_clean(at)
    table = at.dataframe[0].value.set_index("Индикатор")
    direct = table.loc["Количество прямых бенефициаров"]
    assert (direct["Σ план"], direct["Σ факт"], direct["Разница (факт − план)"]) == (750, 740, -10)
    # Indirect: 1000+5000 planned, 1500+4000 reached.
    assert table.loc["Количество косвенных бенефициаров (за счет освещения в СМИ)", "Σ факт"] == 5500
    shortfalls = at.dataframe[1].value
    # B (150 of 200) then C (90 of 100).
    assert shortfalls["План"].tolist() == [200, 100]
    assert all("report=R" in link for link in shortfalls["Отчет"])


def test_participants_page_shows_gender_and_what_came_from_percent(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/participants.py")
    assert_clean(at)
    gender = at.dataframe[0].value.set_index("Пол")
    # Female = 60 % of each report's 740 people in all = 444, every one of them derived from percent.
    assert gender.loc["Женщины", "Человек"] == pytest.approx(444)
    assert gender.loc["Женщины", "Из процентов"] == pytest.approx(444)
    assert gender.loc["Мужчины", "Доля"] == pytest.approx(0.4)


def test_quality_page_points_at_the_cell_of_each_finding(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/quality.py", lang="en")
    assert_clean(at)
    assert metric_values(at)["Reports with errors"] == "1"
    findings = at.dataframe[2].value
    error = findings[findings["Severity"] == "error"].iloc[0]
    assert (error["Grantee"], error["File"], error["Sheet"], error["Cell"]) == ("ОФ «Болашак»", "made.xlsx", "Отчет", "D10")


def test_leaving_out_reports_with_errors_drops_report_b(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, errors="exclude")
    assert metric_values(at)["Отчеты"] == "4"


def test_report_page_opens_the_report_named_in_the_url(handmade_db, monkeypatch):
    with duckdb.connect(str(handmade_db)) as con:
        rid = metrics.report_list(con, metrics.Filter(text="Болашак"))["report_id"].iloc[0]
    at = open_app(handmade_db, monkeypatch, "pages/report.py", report=rid)
    assert_clean(at)
    assert at.header[0].value == "ОФ «Болашак»"
    assert at.selectbox(key="report_choice").value == rid
    indicators = at.dataframe[1].value
    assert indicators["Ячейка"].tolist() == ["C10 / D10"]
    assert indicators[t("col_unit")].tolist() == ["человек"]  # the unit as the report typed it
    findings = at.dataframe[-1].value
    assert "D10" in findings["Ячейка"].tolist()


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_report_page_names_a_registry_reports_units_in_the_page_language(sample_db, monkeypatch, lang):
    with snapshots.reading(sample_db) as con:  # what the pages read: the published snapshot
        rid = con.execute("SELECT min(report_id) FROM indicators WHERE indicator = 'direct_beneficiaries'"
                          " AND unit = 'people'").fetchone()[0]
    at = open_app(sample_db, monkeypatch, "pages/report.py", report=rid, lang=lang)
    assert_clean(at)
    indicators = at.dataframe[1].value.set_index(t("col_indicator", lang))
    direct = catalog.name("indicator", "direct_beneficiaries", lang)
    assert indicators.loc[direct, t("col_unit", lang)] == t("unit_people", lang)  # «чел.», «адам», «people»


def test_report_page_lists_an_ngos_reports(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/report.py", ngo="жастар")
    assert_clean(at)
    assert sorted(at.dataframe[0].value["Год"].tolist()) == [2022, 2023]


def test_english_from_the_url_translates_labels_and_names(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, region="KZ-75", lang="en")
    assert_clean(at)
    assert at.title[0].value == "Overview"
    assert metric_values(at)["Reports"] == "2"
    assert at.segmented_control(key="lang").value == "en"
    at.switch_page("pages/regions.py").run()
    assert at.dataframe[0].value["Region"].tolist() == ["Almaty"]


def test_page_render_times(sample_db, monkeypatch):
    """Not a gate: prints each page's AppTest render time on the sample (seconds)."""
    at = open_app(sample_db, monkeypatch)
    for page in PAGES[1:]:
        at.switch_page(page)
        started = time.perf_counter()
        at.run()
        TIMINGS[page] = time.perf_counter() - started
    print("\nAppTest render times (s): " + ", ".join(f"{Path(p).stem} {s:.2f}" for p, s in TIMINGS.items()))
    assert all(s < 20 for s in TIMINGS.values())


def test_a_long_table_shows_its_first_rows_and_says_the_downloads_hold_all():
    def script():
        import pandas as pd

        from ui import tables

        df = pd.DataFrame({"grantee": [f"ОО «{i}»" for i in range(1500)], "reports": list(range(1500))})
        tables.show_table(df, {"grantee": ("col_grantee", "text"), "reports": ("reports", "count")}, key="long",
                      max_rows=1000)

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert_clean(at)
    assert len(at.dataframe[0].value) == 1000
    assert "Показаны первые 1\xa0000 строк из 1\xa0500" in " ".join(captions(at))  # no-break thousands


def test_a_cached_figure_is_the_function_called_and_told_apart_from_others(handmade_db, monkeypatch):
    """Pages pass the metrics function itself to ui.data.cached: each function and argument gets its own
    result (the function is part of the cache key), equal to calling the function directly."""
    def script():
        import streamlit as st

        from grantstats.metrics import Filter, findings_table, report_list, totals
        from ui.data import cached

        for _ in range(2):  # the second round is served from the cache
            st.session_state["reports"] = cached(report_list, Filter())  # same filter and arguments,
            st.session_state["findings"] = cached(findings_table, Filter())  # another function
            st.session_state["by_year"] = cached(totals, Filter(), by="year")
            st.session_state["by_region"] = cached(totals, Filter(regions=("KZ-75",)), by="region")

    monkeypatch.setenv("GRANTSTATS_DB", str(handmade_db))
    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert_clean(at)
    with duckdb.connect(str(handmade_db)) as con:
        expected = {"reports": metrics.report_list(con, metrics.Filter()),
                    "findings": metrics.findings_table(con, metrics.Filter()),
                    "by_year": metrics.totals(con, metrics.Filter(), by="year"),
                    "by_region": metrics.totals(con, metrics.Filter(regions=("KZ-75",)), by="region")}
    for key, df in expected.items():
        assert at.session_state[key].equals(df), key
    assert list(at.session_state["findings"].columns) == metrics.FINDINGS_COLUMNS
    assert list(at.session_state["by_year"].columns[:1]) == ["year"]
    assert list(at.session_state["by_region"].columns[:1]) == ["region"]


def test_link_columns_equal_one_page_url_per_row():
    """page_urls / report_urls (a table's link column at once) give page_url's links; None for a missing value."""
    def script():
        import streamlit as st

        from grantstats.metrics import Filter
        from ui import labels, state

        st.session_state["lang"] = "en"
        st.session_state["_gs_filter"] = Filter(regions=("KZ-75", "-"), year_from=2021, text="Жастар & co")
        values = ["R0001", "оо жастар", "a b&c=d", None, float("nan")]
        st.session_state["many"] = state.page_urls("report", "ngo", values) + state.report_urls(values)
        st.session_state["one"] = ([None if v is None or v != v else state.page_url("report", ngo=v) for v in values]
                                   + [state.report_url(v) for v in values])
        codes = ["error", "warning", "error", "info", "other"]
        st.session_state["severities"] = (labels.severity_names(codes), [labels.severity_name(c) for c in codes])

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert_clean(at)
    assert at.session_state["many"] == at.session_state["one"]
    assert at.session_state["many"][0].startswith("./report?region=KZ-75%2C-&year_from=2021&text=")
    many, one = at.session_state["severities"]
    assert many == one
