"""Every dashboard page under AppTest: on the sample and on a hand-made set, with and without filters, in
three languages; the figures shown equal grantstats' results; no page raises on an empty database or on
filters that match nothing. Then what a new user tripped on (issue #16), item by item: filters kept through
language and page changes, the summary workbook, cards of one period, unknown report ids, charts, tables,
translations, the report page, the NGO profile."""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from grantstats import catalog, formatting as fmt, metrics, snapshots
from grantstats.findings import queries as findings_queries
from grantstats.i18n import t
from ui import data, state

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = [p.path for p in state.PAGES]
TIMINGS: dict[str, float] = {}
NB = fmt.NBSP


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


def link_names(links: pd.Series) -> list[str]:
    """The names a table's links show (ui.tables.NAME_IN_URL)."""
    return [urllib.parse.unquote_plus(re.search(r"[?&]name=([^&#]*)", link).group(1)) for link in links]


def column_config(at: AppTest, index: int) -> dict:
    return json.loads(at.dataframe[index].proto.columns)


def chart_spec(at: AppTest, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def figure_values(values) -> list:
    """A plotly trace's values from its JSON (a list, or numpy's bytes in base64 as plotly 6+ writes arrays)."""
    if isinstance(values, dict):
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def page_text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error",
                                  "success") for e in getattr(at, kind)]
    parts += [m.label for m in at.metric] + [m.value for m in at.metric] + [m.delta or "" for m in at.metric]
    return "\n".join(str(p) for p in parts)


# ------------------------------------------------------------------------------------- every page runs

@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_page_renders_on_the_sample_and_states_its_basis(sample_db, monkeypatch, lang):
    at = open_app(sample_db, monkeypatch, lang=lang)
    head = headline(sample_db)
    basis = t("basis", lang, reports=fmt.count(head["reports"], lang=lang), ngos=fmt.count(head["ngos"], lang=lang))
    for page in PAGES:
        if page != PAGES[0]:
            at.switch_page(page)
            started = time.perf_counter()
            at.run()
            TIMINGS[page] = max(TIMINGS.get(page, 0.0), time.perf_counter() - started)
        assert_clean(at)
        assert at.title[0].value == t(next(p.key for p in state.PAGES if p.path == page), lang)
        if page != "pages/ngo.py":  # a profile states its own NGO's basis
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
        if page == "pages/ngo.py":
            continue  # a profile is not narrowed by the filters
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
        elif page == "pages/ngo.py":
            assert [i.value for i in at.info] == [t("nothing_matches", "ru")], page
        else:
            assert [w.value for w in at.warning] == [t("nothing_matches", "ru")], page


def test_empty_database_shows_how_to_load_data_on_every_page(empty_db, monkeypatch):
    at = open_app(empty_db, monkeypatch)
    for page in PAGES:
        at.switch_page(page).run()
        assert_clean(at)
        assert any("grantstats ingest" in i.value for i in at.info), page
    assert empty_db.exists()


# ------------------------------------------------------------------- figures equal grantstats' results

def test_overview_cards_show_the_latest_year_its_change_and_the_total_of_the_years(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch)
    assert_clean(at)
    cards = {m.label: m for m in at.metric}
    # 2023: C, D, E — 3 reports of 3 NGOs, 17 000 000 ₸, direct fact ≈90 + 330 + 50 = 470 (C's fact is «около 90»).
    assert cards["Отчеты, 2023"].value == "3"
    assert cards["Сумма грантов, 2023"].value == f"17,0{NB}млн{NB}₸"
    assert cards["Прямые бенефициары, 2023"].value == f"≈{NB}470"
    # against 2022 (A, B: 2 reports, 10 000 000 ₸, 270 people): +50 %, +70 %, +74,1 %; each card says which years
    assert cards["Отчеты, 2023"].delta == f"+50,0{NB}%"
    assert cards["Сумма грантов, 2023"].delta == f"+70,0{NB}%"
    assert cards["Прямые бенефициары, 2023"].delta == f"+74,1{NB}%"
    assert {m.proto.delta_description for m in at.metric if m.delta} == {"2023 к 2022"}
    # the total of the selected years stays on every card: 5 reports, 27 000 000 ₸, ≈ 740 people
    assert "За 2022–2023: 5" in captions(at)
    assert f"За 2022–2023: 27,0{NB}млн{NB}₸" in captions(at)
    assert f"За 2022–2023: ≈{NB}740" in captions(at)
    # 27 000 000 / 740 = 36 486,49 ₸ over both years; 17 000 000 / 470 = 36 170 ₸ in 2023
    assert f"За 2022–2023: 36{NB}486{NB}₸" in captions(at)
    assert cards["Затраты на бенефициара, 2023"].value == f"36{NB}170{NB}₸"


def test_one_selected_year_shows_that_years_cards_without_a_second_total(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, year_from="2022", year_to="2022")
    assert_clean(at)
    cards = metric_values(at)
    assert cards["Отчеты, 2022"] == "2" and cards["Сумма грантов, 2022"] == f"10,0{NB}млн{NB}₸"
    assert not [c for c in captions(at) if c.startswith("За ")]


def test_overview_cards_equal_metrics_on_the_sample_in_english(sample_db, monkeypatch):
    at = open_app(sample_db, monkeypatch, lang="en")
    with duckdb.connect(str(sample_db)) as con:
        yoy = metrics.year_over_year(con, metrics.Filter())
    last = yoy.iloc[-1]
    year = int(last["year"])
    cards = metric_values(at)
    assert cards[f"Reports, {year}"] == fmt.count(last["reports"], lang="en")
    assert cards[f"Grant amount, {year}"] == fmt.money(last["grant_amount"], "en")
    assert cards[f"Cost per beneficiary, {year}"] == fmt.money(last["cost_per_beneficiary"], "en")
    head = headline(sample_db)
    assert any(c.endswith(fmt.money(head["grant_amount"], "en")) for c in captions(at))


def test_the_english_overview_has_no_russian_words_and_uses_decimal_points(sample_db, monkeypatch):
    at = open_app(sample_db, monkeypatch, lang="en")
    assert_clean(at)
    text = page_text(at)
    assert not re.search("[А-Яа-яЁё]", text), re.findall(r"\S*[А-Яа-яЁё]+\S*", text)[:10]
    assert not re.search(r"\d,\d{1,2}(?!\d)", text), re.findall(r"\S*\d,\d{1,2}(?!\d)\S*", text)[:10]
    assert re.search(r"\d\.\d", text)
    for spec in (chart_spec(at, i) for i in range(len(at.get("plotly_chart")))):
        assert spec["layout"]["separators"] == ".,"
        assert not re.search("[А-Яа-яЁё]", json.dumps(spec["data"], ensure_ascii=False))


def test_regions_table_splits_a_two_region_report_in_half(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/regions.py")
    assert_clean(at)
    table = at.dataframe[0].value
    table.index = link_names(table["Регион"])  # the region's name is the link to its NGOs
    # г. Шымкент: report B whole (6 M, 150) and half of E (1 M, 25).
    assert table.loc["г. Шымкент", "Отчеты"] == 2
    assert table.loc["г. Шымкент", "Сумма грантов"] == 7_000_000
    assert table.loc["г. Шымкент", "Прямые бенефициары"] == 175
    assert table.loc["Западно-Казахстанская область", "Прямые бенефициары"] == 25
    assert table["Прямые бенефициары"].sum() == 740
    assert all("./ngos?" in link and "in=" in link for link in table["Регион"])


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
    assert cards["Отчеты, 2023"] == "1"  # C (A is 2022's)
    assert f"За 2022–2023: 9,0{NB}млн{NB}₸" in captions(at)  # A and C


def test_ngo_page_compares_the_regions_ngos_and_links_to_their_profiles(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/ngos.py", **{"in": "KZ-79"})
    assert_clean(at)
    table = at.dataframe[0].value
    assert set(link_names(table["НПО"])) == {"ОФ «Болашак»", "КФ «Нур»"}
    assert all("./ngo?" in link and "ngo=" in link for link in table["НПО"])


def test_the_ngo_scatter_names_its_biggest_points(sample_db, monkeypatch):
    with duckdb.connect(str(sample_db)) as con:
        region = metrics.totals(con, metrics.Filter(), by="region").sort_values("ngos")["region"].dropna().iloc[-1]
        ngos = metrics.ngo_comparison(con, metrics.Filter(), region).dropna(
            subset=["cost_per_beneficiary", "direct_achievement"])
    at = open_app(sample_db, monkeypatch, "pages/ngos.py", **{"in": region})
    assert_clean(at)
    scatter = chart_spec(at, 0)["data"][0]
    named = [text for text in scatter["text"] if text]
    biggest = ngos.sort_values("grant_amount", ascending=False, kind="stable")["ngo_name"].head(len(named))
    assert len(named) == min(8, len(ngos)) >= 5
    assert {n.rstrip("…")[:15] for n in named} == {n[:15] for n in biggest}


def test_plan_fact_page_lists_every_indicator_and_the_shortfalls(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/plan_fact.py")
    assert_clean(at)
    table = at.dataframe[0].value.set_index("Индикатор")
    direct = table.loc["Количество прямых бенефициаров"]
    assert (direct["Σ план"], direct["Σ факт"], direct["Разница (факт − план)"]) == (750, 740, -10)
    assert direct["Выполнение плана"].strip() == f"98,7{NB}%"  # shares: text that sorts as the numbers do
    # Indirect: 1000+5000 planned, 1500+4000 reached.
    assert table.loc["Количество косвенных бенефициаров (за счет освещения в СМИ)", "Σ факт"] == 5500
    shortfalls = at.dataframe[1].value
    # B (150 of 200) then C (90 of 100), linked by the grantee's name
    assert shortfalls["План"].tolist() == [200, 100]
    assert link_names(shortfalls["Грантополучатель"]) == ["ОФ «Болашак»", "ОО «Жастар»"]
    assert all("report=R" in link for link in shortfalls["Грантополучатель"])


def test_participants_page_shows_gender_and_what_came_from_percent(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/participants.py")
    assert_clean(at)
    gender = at.dataframe[0].value.set_index("Пол")
    # Female = 60 % of each report's 740 people in all = 444, every one of them derived from percent.
    assert gender.loc["Женщины", "Человек"] == pytest.approx(444)
    assert gender.loc["Женщины", "Из процентов"] == pytest.approx(444)
    assert gender.loc["Мужчины", "Доля"].strip() == f"40,0{NB}%"


def test_quality_page_points_at_the_cell_of_each_finding_and_links_by_name(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/quality.py", lang="en")
    assert_clean(at)
    assert metric_values(at)["Reports with errors"] == "1"
    findings = at.dataframe[2].value
    error = findings[findings["Severity"] == "error"].iloc[0]
    assert (link_names([error["Grantee"]])[0], error["File"], error["Sheet"], error["Cell"]) == (
        "ОФ «Болашак»", "made.xlsx", "Отчет", "D10")


def test_leaving_out_reports_with_errors_drops_report_b(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, errors="exclude")
    assert "За 2022–2023: 4" in captions(at)


def test_english_from_the_url_translates_labels_and_names(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, region="KZ-75", lang="en")
    assert_clean(at)
    assert at.title[0].value == "Overview"
    assert "2022–2023: 2" in captions(at)
    assert at.segmented_control(key="lang").value == "en"
    at.switch_page("pages/regions.py").run()
    assert link_names(at.dataframe[0].value["Region"]) == ["Almaty"]


# ------------------------------------------------------------------- 1. filters survive everything

def test_filters_survive_a_language_switch_and_a_page_change(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, region="KZ-75", direction="4")
    assert metric_values(at)["Отчеты, 2023"] == "1"
    at.segmented_control(key="lang").set_value("en").run()
    assert_clean(at)
    assert at.title[0].value == "Overview"
    # (AppTest reruns the page without app.py's sidebar: the kept values are what the sidebar draws next time)
    assert at.session_state["_gs_kept_f_regions"] == ["KZ-75"] and at.session_state["_gs_kept_f_directions"] == ["4"]
    assert metric_values(at)["Reports, 2023"] == "1"  # still KZ-75's figures, not the country's
    at.switch_page("pages/regions.py").run()
    assert_clean(at)
    assert link_names(at.dataframe[0].value["Region"]) == ["Almaty"]
    assert any(c.endswith(t("basis_filtered", "en")) for c in captions(at))
    at.session_state["_gs_kept_lang"] = "kk"  # as the switch's on_change keeps it (no sidebar here: see above)
    at.switch_page("pages/plan_fact.py").run()
    assert at.title[0].value == t("page_plan_fact", "kk")
    direct = at.dataframe[0].value.set_index(t("col_indicator", "kk")).loc[
        catalog.name("indicator", "direct_beneficiaries", "kk")]
    assert (direct[t("col_sum_plan", "kk")], direct[t("col_sum_fact", "kk")]) == (200, 210)  # A and C only


def test_a_kept_widget_keeps_its_value_when_its_label_changes_and_when_it_is_not_drawn():
    """Streamlit names a widget by its label and options too: a renamed widget would start from its default."""
    def script():
        import streamlit as st

        from ui import state

        if st.session_state.get("draw", True):
            label = st.session_state.get("label", "Регионы")
            st.session_state["shown"] = st.multiselect(label, ["a", "b", "c"], **state.kept("picked"))

    at = AppTest.from_function(script, default_timeout=30)
    at.run()
    at.multiselect(key="picked").set_value(["b"]).run()
    at.session_state["label"] = "Regions"  # a language switch renames the widget
    at.run()
    assert at.session_state["shown"] == ["b"]
    at.session_state["draw"] = False  # another page: the widget is not drawn, Streamlit forgets it
    at.run()
    at.session_state["draw"] = True
    at.run()
    assert at.session_state["shown"] == ["b"]


# ------------------------------------------------------------------ 2. the summary workbook, downloads

def test_the_overview_offers_the_summary_workbook_for_the_filter(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, region="KZ-75", year_from="2022", year_to="2022")
    assert_clean(at)
    assert "Сводная таблица (Excel)" in [b.label for b in at.get("download_button")]


def test_the_summary_workbook_is_built_once_per_filter_language_and_data(handmade_db, monkeypatch):
    import io

    from openpyxl import load_workbook

    def script():
        import streamlit as st

        from grantstats import export
        from grantstats.metrics import Filter
        from ui import data

        flt = Filter(regions=("KZ-75",), year_from=2022, year_to=2022)
        calls = []
        real = export._cover_sheet  # drawn once a workbook
        export._cover_sheet = lambda *a, **k: calls.append(1) or real(*a, **k)
        try:
            first = data.summary_workbook_bytes(flt, "en")
            again = data.summary_workbook_bytes(flt, "en")
            other = data.summary_workbook_bytes(flt, "kk")
        finally:
            export._cover_sheet = real
        st.session_state.update(first=first, same=first == again, calls=len(calls), kk=other)

    monkeypatch.setenv("GRANTSTATS_DB", str(handmade_db))
    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert_clean(at)
    assert at.session_state["same"] and at.session_state["calls"] == 2  # en once (then kept), kk once
    wb = load_workbook(io.BytesIO(at.session_state["first"]), read_only=True)
    assert len(wb.sheetnames) >= 6
    cover = [cell for row in wb.worksheets[0].iter_rows(values_only=True) for cell in row if cell]
    assert "Almaty" in cover and "2022 – 2022" in cover  # the cover names the filters
    assert wb.sheetnames[0] == t("wb_cover", "en")
    assert load_workbook(io.BytesIO(at.session_state["kk"]), read_only=True).sheetnames[0] == t("wb_cover", "kk")


def test_table_downloads_round_people_and_name_the_sheet_after_the_table(handmade_db, monkeypatch):
    import io

    from openpyxl import load_workbook

    from ui import tables

    df = pd.DataFrame({"Регион": ["г. Шымкент"], "Прямые бенефициары": [174.5], "Выполнение плана": [0.987654]})
    kinds = {"Прямые бенефициары": "count", "Выполнение плана": "share"}
    csv_text = tables.table_csv_bytes(df, kinds=kinds).decode("utf-8-sig")
    assert csv_text.splitlines()[1] == "г. Шымкент,175,0.9877"  # half a person up; a share to 0.01 %
    wb = load_workbook(io.BytesIO(tables.table_xlsx_bytes(df, sheet="Регионы", kinds=kinds)))
    assert wb.sheetnames == ["Регионы"]


# ----------------------------------------------------------------- 4. a report id that is not there

def test_an_unknown_report_id_says_not_found_and_shows_no_report(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/report.py", report="NOPE123")
    assert not at.exception
    assert [e.value for e in at.error] == [t("report_not_found", "ru", report="NOPE123")]
    assert not at.header and not at.dataframe and not at.selectbox


def test_a_replaced_report_id_says_so_and_links_the_current_version(tmp_path, monkeypatch, capsys):
    from grantstats.cli import main

    db, svod = tmp_path / "g.duckdb", tmp_path / "svod.csv"
    header = "Грантополучатель;Договор;Сумма гранта;Прямые бенефициары (план);Прямые бенефициары (факт)\n"
    svod.write_text(header + "ОО «Алау»;№ 7 от 01.02.2023;100;10;8\n", encoding="utf-8")
    main(["ingest", str(svod), "--db", str(db), "--workers", "0"])
    with duckdb.connect(str(db)) as con:
        old = con.execute("SELECT report_id FROM reports").fetchone()[0]
    svod.write_text(header + "ОО «Алау»;№ 17 от 01.02.2023;100;10;8\n", encoding="utf-8")  # the number corrected
    main(["ingest", str(svod), "--db", str(db), "--workers", "0"])
    capsys.readouterr()
    with duckdb.connect(str(db)) as con:
        new = con.execute("SELECT report_id FROM reports").fetchone()[0]
    at = open_app(db, monkeypatch, "pages/report.py", report=old, lang="en")
    assert not at.exception
    assert at.warning and at.warning[0].value.startswith(f"Report “{old}” was replaced")
    assert "svod.csv" in at.warning[0].value and not at.header
    links = [link.proto for link in at.get("page_link")]
    current = [p for p in links if p.label == t("report_current_version", "en")]
    assert current and f"report={new}" in current[0].query_string


# --------------------------------------------------------------------------------------- 6. charts

def test_chart_legends_sit_above_the_plot_not_on_the_axis(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/participants.py")
    for i in range(len(at.get("plotly_chart"))):
        layout = chart_spec(at, i)["layout"]
        if layout.get("showlegend"):
            assert layout["legend"]["y"] >= 1 and layout["legend"]["yanchor"] == "bottom"


def test_heat_map_colour_bars_read_as_their_cells_and_achievement_is_blue_orange(sample_db, monkeypatch):
    at = open_app(sample_db, monkeypatch, "pages/regions.py")
    assert_clean(at)
    heat = next(trace for i in range(len(at.get("plotly_chart"))) for trace in chart_spec(at, i)["data"]
                if trace["type"] == "heatmap" and trace.get("texttemplate"))
    assert heat["colorbar"]["ticktext"] == [fmt.count(v) for v in heat["colorbar"]["tickvals"]]
    at.segmented_control(key="regions_metric").set_value("direct_achievement").run()
    heat = next(trace for i in range(len(at.get("plotly_chart"))) for trace in chart_spec(at, i)["data"]
                if trace["type"] == "heatmap" and trace.get("texttemplate"))
    assert all(text.endswith("%") for text in heat["colorbar"]["ticktext"])
    colours = [stop[1] for stop in heat["colorscale"]]
    assert colours[0].upper() == "#B35806" and colours[-1].upper() == "#2166AC"  # orange below plan, blue above


def test_a_single_year_draws_no_one_column_heat_map(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/regions.py", year_from="2023", year_to="2023")
    assert_clean(at)
    assert t("heatmap_one_year", "ru", year=2023) in captions(at)
    assert not [tr for i in range(len(at.get("plotly_chart"))) for tr in chart_spec(at, i)["data"]
                if tr["type"] == "heatmap" and tr.get("texttemplate")]


def test_map_tiles_write_dark_on_light_and_white_on_dark():
    from grantstats import tilemap

    scale = [[0.0, "#EEF4FA"], [1.0, "#123E5E"]]
    fig = tilemap.tile_figure({"KZ-75": 0.0, "KZ-71": 100.0, "KZ-19": 10.0}, colorscale=scale)
    colours = dict(zip(zip(fig.data[2].x, fig.data[2].y), fig.data[2].textfont.color))
    assert colours[tilemap.TILES["KZ-75"]] == "#111827" and colours[tilemap.TILES["KZ-71"]] == "#FFFFFF"
    # on a diverging scale the middle (100 % of plan) is pale: dark text there, not white
    diverging = [[0.0, "#B35806"], [0.5, "#F7F7F7"], [1.0, "#2166AC"]]
    fig = tilemap.tile_figure({"KZ-19": 1.0, "KZ-71": 0.5, "KZ-75": 1.5}, colorscale=diverging, zmid=1.0)
    colours = dict(zip(zip(fig.data[2].x, fig.data[2].y), fig.data[2].textfont.color))
    assert colours[tilemap.TILES["KZ-19"]] == "#111827"
    assert tilemap.tile_label("KZ-19", "ru") == "Алматин.<br>обл."  # a long name in two lines, not over the tile


# ---------------------------------------------------------------------------------------- 7. tables

def test_a_tables_first_column_is_pinned_and_the_chosen_metric_follows_it(sample_db, monkeypatch):
    at = open_app(sample_db, monkeypatch, "pages/directions.py")
    at.segmented_control(key="directions_metric").set_value("cost_per_beneficiary").run()
    assert_clean(at)
    table = at.dataframe[0].value
    config = column_config(at, 0)
    assert list(table.columns[:2]) == ["Направление", "Стоимость на бенефициара"]
    assert config["Направление"]["pinned"] is True
    long_name = catalog.name("direction", "13-1", "ru")
    assert f"13-1. {long_name}" in table["Направление"].tolist() and len(long_name) > 38  # not cut
    assert config["Стоимость на бенефициара"]["type_config"]["format"] == f"%'{NB},.0f{NB}₸"


def test_numbers_in_tables_are_formatted_in_the_pages_language(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/directions.py", lang="en")
    config = column_config(at, 0)
    assert config["Grant amount"]["type_config"]["format"] == f"%,.0f{NB}₸"
    shares = at.dataframe[0].value["Plan achieved (direct)"]
    assert shares.str.strip().str.fullmatch(r"\d+\.\d %|—".replace(" ", NB)).all()


# ---------------------------------------------------------------------------------- 8. translations

def test_finding_words_are_distinct_from_the_lowest_severity():
    for lang in ("ru", "kk", "en"):
        findings, info = t("findings", lang).lower(), catalog.name("severity", "info", lang).lower()
        assert info[:5] not in findings and findings[:5] not in info, (lang, findings, info)


# -------------------------------------------------------------------------------------- 9. the report

def test_report_page_opens_the_report_named_in_the_url(handmade_db, monkeypatch):
    with duckdb.connect(str(handmade_db)) as con:
        rid = metrics.report_list(con, metrics.Filter(text="Болашак"))["report_id"].iloc[0]
    at = open_app(handmade_db, monkeypatch, "pages/report.py", report=rid)
    assert_clean(at)
    assert at.header[0].value == "ОФ «Болашак»"
    assert at.selectbox(key="report_choice").value == rid
    passport = at.dataframe[0].value.set_index("Поле")["Значение"]
    assert passport["Договор"] == "№ 2/2022 01.03.2022" and passport["Период реализации"] == "01.03.2022 – 01.12.2022"
    indicators = at.dataframe[1].value
    assert indicators["Ячейка"].tolist() == ["C10 / D10"]
    assert indicators[t("col_unit")].tolist() == ["чел."]  # the catalog's unit, in the page's language
    findings = at.dataframe[-1].value
    assert "D10" in findings["Ячейка"].tolist()
    source = " ".join(m.value for m in at.markdown)
    assert "таблица по форме отчета" in source and re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", source)


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_report_page_names_a_registry_reports_units_in_the_page_language(sample_db, monkeypatch, lang):
    with snapshots.reading(sample_db) as con:  # what the pages read: the published snapshot
        rid = con.execute("SELECT min(report_id) FROM indicators WHERE indicator = 'direct_beneficiaries'"
                          " AND unit = 'people'").fetchone()[0]
    at = open_app(sample_db, monkeypatch, "pages/report.py", report=rid, lang=lang)
    assert_clean(at)
    indicators = at.dataframe[1].value.set_index(t("col_indicator", lang))
    direct = catalog.name("indicator", "direct_beneficiaries", lang)
    assert indicators.loc[direct, t("col_unit", lang)] == catalog.name("unit_short", "people", lang)  # «чел.», «адам», «people»


def test_report_page_shows_dates_in_english_and_a_dash_for_what_the_report_leaves_empty(tmp_path, monkeypatch):
    from datetime import date

    from grantstats import store
    from grantstats.model import Activity, Number, Report

    db = tmp_path / "r.duckdb"
    con = store.connect(db)
    report = Report(grantee="ОО «Тихий»", title="Без участников", contract_no="5", contract_date=date(2023, 4, 21),
                    year=2023, grant_amount=Number(1_000_000.0),
                    activities=[Activity("Задача 1", "Мероприятие 1.1", "май", "Актау", None, None, None)])
    store.save_files(con, [store.ParsedFile("/t/tihiy.docx", "tihiy.docx", "sha-t", 1, "word", [report])])
    rid = con.execute("SELECT report_id FROM reports").fetchone()[0]
    con.close()
    at = open_app(db, monkeypatch, "pages/report.py", report=rid, lang="en")
    assert_clean(at)
    passport = at.dataframe[0].value.set_index("Field")["Value"]
    assert passport["Contract"] == f"№ 5 21{NB}Apr{NB}2023"
    assert t("participants_none", "en") in captions(at)
    activities = at.dataframe[-1].value
    assert activities[["Participants", "Plan", "Fact"]].iloc[0].tolist() == ["—", "—", "—"]
    assert "Word document" in " ".join(m.value for m in at.markdown)


# --------------------------------------------------------------------------------- 10. the NGO profile

def test_the_ngo_profile_shows_every_grant_its_trend_and_findings_whatever_the_filter(handmade_db, monkeypatch):
    at = open_app(handmade_db, monkeypatch, "pages/ngo.py", ngo="public_association:жастар", year_from="2023")
    assert_clean(at)
    assert at.header[0].value == "ОО «Жастар»"
    grants = at.dataframe[0].value
    assert sorted(grants["Год"].tolist()) == [2022, 2023]  # the sidebar's years do not narrow a profile
    assert link_names(grants["Проект"]) == ["Проект 3", "Проект 1"]
    assert sorted(grants["Сумма грантов"].tolist()) == [4_000_000, 5_000_000]
    cards = metric_values(at)
    assert cards["Отчеты"] == "2" and cards["Прямые бенефициары"] == "210"
    assert cards["Выполнение плана (прямые)"] == f"105,0{NB}%"  # (120 + 90) / (100 + 100)
    assert cards["Стоимость на бенефициара"] == f"42{NB}857{NB}₸"  # 9 000 000 / 210
    reach, achievement = (figure_values(chart_spec(at, i)["data"][0]["y"]) for i in range(2))
    assert reach == [120, 90] and achievement == pytest.approx([1.2, 0.9])
    findings = at.dataframe[1].value
    assert set(findings["Правило"]) == {"Сумма не сходится"} or len(findings) == 2
    assert t("file_not_kept", "ru") in captions(at)  # made.xlsx is nowhere on disk


def test_the_ngo_profile_downloads_each_source_file(tmp_path, monkeypatch, capsys):
    from grantstats.cli import main

    db, svod = tmp_path / "g.duckdb", tmp_path / "svod.csv"
    svod.write_text("Грантополучатель;Договор;Год;Сумма гранта\nКФ «Достык Центр»;№ 1;2023;100\n"
                    "ОО «Достык Центр»;№ 2;2023;200\n", encoding="utf-8")
    main(["ingest", str(svod), "--db", str(db), "--workers", "0"])
    capsys.readouterr()
    monkeypatch.setenv("GRANTSTATS_ARCHIVE", str(tmp_path / "archive"))
    at = open_app(db, monkeypatch, "pages/ngo.py", ngo="corporate_foundation:достык центр")
    assert_clean(at)
    assert len(at.dataframe[0].value) == 1  # КФ and ОО of one name are two NGOs
    assert [b.label for b in at.get("download_button") if b.label == t("download_original", "ru")]
    assert any("svod.csv" in m.value for m in at.markdown)


def test_the_page_render_times(sample_db, monkeypatch):
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

        from grantstats.findings.queries import findings_table
        from grantstats.metrics import Filter, report_list, totals
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
                    "findings": findings_queries.findings_table(con, metrics.Filter()),
                    "by_year": metrics.totals(con, metrics.Filter(), by="year"),
                    "by_region": metrics.totals(con, metrics.Filter(regions=("KZ-75",)), by="region")}
    for key, df in expected.items():
        assert at.session_state[key].equals(df), key
    assert list(at.session_state["findings"].columns) == findings_queries.FINDINGS_COLUMNS
    assert list(at.session_state["by_year"].columns[:1]) == ["year"]
    assert list(at.session_state["by_region"].columns[:1]) == ["region"]


def test_link_columns_equal_one_page_url_per_row():
    """page_urls / report_urls (a table's link column at once) give page_url's links; None for a missing value;
    with names, each link ends in the name it shows."""
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
        st.session_state["named"] = state.report_urls(["R0001", "R0002"], ["ОО «Жастар» & co", None])
        codes = ["error", "warning", "error", "info", "other"]
        st.session_state["severities"] = (labels.severity_names(codes), [labels.severity_name(c) for c in codes])

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert_clean(at)
    assert at.session_state["many"] == at.session_state["one"]
    assert at.session_state["many"][0].startswith("./report?region=KZ-75%2C-&year_from=2021&text=")
    assert link_names(at.session_state["named"]) == ["ОО «Жастар» & co", "R0002"]
    many, one = at.session_state["severities"]
    assert many == one
