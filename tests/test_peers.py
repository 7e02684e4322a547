"""Peers and outliers against figures worked out by hand.

Nine reports of direction 4 in 2023 (the band 2023–2025), each with 100 direct beneficiaries (fact) and 100
participants; plan 100 except P7 (plan 400). Amounts, so cost = amount / 100 and participants per 1 M ₸ = 1e8 / amount:

  report  NGO            region  amount        cost        achievement  per 1 M ₸
  P1–P4   Жастар (P1,P2) KZ-75     1 000 000      10 000    1.00          100
  P5      Сана           KZ-79     1 000 000      10 000    1.00          100
  P6      Нур            KZ-79     2 500 000      25 000    1.00           40
  P7      Умит           KZ-79       600 000       6 000    0.25          166.67
  P8      Достык         KZ-79     1 200 000      12 000    1.00           83.33
  P9      Алтын          KZ-79   100 000 000   1 000 000    1.00            1

Cost, log10: five 4.0, 4.398 (P6), 3.778 (P7), 4.079 (P8), 6.0 (P9): median 4 (10 000 ₸); the deviations from it
are five 0, 0.398, 0.222, 0.079, 2: their median is 0, so the deviation is the floor log10(2)/3 = 0.10034.
z: P9 2 / 0.10034 = 19.93 (warning, > 5); P6 0.39794 / 0.10034 = 3.966 (info, > 3); P7 −2.21, P8 0.79 (none).
Participants per 1 M ₸ mirror it: P9 z −19.93 (warning), P6 −3.966 (info).
Achievement: eight 1.0 and P7 0.25: median 1.0, deviation the floor; P7 z = log10(0.25) / 0.10034 = −6.0 (warning).
Seven reports of direction 7 in 2023 (one at 100× the others' cost) are fewer than MIN_PEERS = 8: nothing flagged.
A report of direction 4 in 2019 (band 2017–2019) is alone in its band.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from grantstats import outliers, peers, store
from grantstats.ingest import save_parsed
from grantstats.metrics import Filter
from grantstats.model import IndicatorValue, Number, Report, Where

FLOOR = math.log10(2) / 3
PEERS_4 = [  # (name, grantee, region, amount, plan)
    ("P1", "ОО «Жастар»", "KZ-75", 1_000_000, 100), ("P2", "Общественное объединение «Жастар»", "KZ-75", 1_000_000, 100),
    ("P3", "ОО «Береке»", "KZ-75", 1_000_000, 100), ("P4", "ОО «Самал»", "KZ-75", 1_000_000, 100),
    ("P5", "ОО «Сана»", "KZ-79", 1_000_000, 100), ("P6", "ОО «Нур»", "KZ-79", 2_500_000, 100),
    ("P7", "ОО «Умит»", "KZ-79", 600_000, 400), ("P8", "ОО «Достык»", "KZ-79", 1_200_000, 100),
    ("P9", "ОО «Алтын»", "KZ-79", 100_000_000, 100),
]


def report(name, grantee, region, amount, plan, direction="4", year=2023) -> Report:
    return Report(grantee=grantee, title=f"Проект {name}", contract_no=name, year=year, direction=direction,
                  regions=[(region, 1.0)], grant_amount=Number(float(amount)), participants_total=Number(100.0),
                  indicators={"direct_beneficiaries": IndicatorValue(
                      "direct_beneficiaries", Number(float(plan)), Number(100.0), plan_at=Where("Отчет", "C10"),
                      fact_at=Where("Отчет", "D10"))}, source=Where("Отчет", "A1"))


def archive() -> list[Report]:
    reports = [report(*row) for row in PEERS_4]
    reports += [report(f"S{i}", f"ОО «Семь {i}»", "KZ-71", 1_000_000 if i else 100_000_000, 100, direction="7")
                for i in range(7)]
    reports.append(report("OLD", "ОО «Старый»", "KZ-75", 5_000_000, 100, year=2019))
    return reports


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    connection = store.connect(tmp_path_factory.mktemp("peers") / "peers.duckdb")
    save_parsed(connection, [store.ParsedFile("/hand/peers.xlsx", "peers.xlsx", "sha-peers", 1, "registry", archive())])
    yield connection
    connection.close()


def ids(con) -> dict[str, str]:
    return dict(con.execute("SELECT contract_no, report_id FROM reports").fetchall())


def test_a_load_stores_the_outliers_as_findings_worked_out_by_hand(con):
    names = {v: k for k, v in ids(con).items()}
    found = con.execute("SELECT report_id, severity, message_ru, message_en, sheet, cell, file_name FROM findings"
                        " WHERE rule = 'outlier' ORDER BY report_id, message_en").fetchall()
    got = sorted((names[rid], severity, en.split(":")[0]) for rid, severity, _, en, *_ in found)
    assert got == [("P6", "info", "Cost per direct beneficiary"), ("P6", "info", "Participants per 1 M ₸ of grant"),
                   ("P7", "warning", "Plan achievement (direct beneficiaries)"),
                   ("P9", "warning", "Cost per direct beneficiary"), ("P9", "warning", "Participants per 1 M ₸ of grant")]
    p9_cost = next(f for f in found if names[f[0]] == "P9" and f[3].startswith("Cost"))
    assert p9_cost[2] == ("Стоимость на прямого бенефициара: 1\u00a0000\u00a0000\u00a0₸ — в 100,0 раза выше медианы "
                          "10\u00a0000\u00a0₸ по 9 отчетам того же направления (4) за 2023–2025 гг. (отклонение 19,9 MAD)")
    assert p9_cost[3].endswith("is 100.0 times above the median 10\u00a0000\u00a0₸ of 9 reports of the same direction (4)"
                               " in 2023–2025 (19.9 MAD off)")
    assert p9_cost[4:] == ("Отчет", "D10", "peers.xlsx")  # the direct beneficiaries' fact cell
    p7 = next(f for f in found if names[f[0]] == "P7")
    assert "25\u00a0% — в 4,0 раза ниже медианы 100\u00a0%" in p7[2]


def test_the_pages_read_the_same_z_scores_and_flags(con):
    df = peers.report_peers(con, Filter(directions=("4",), year_from=2023))
    names = {v: k for k, v in ids(con).items()}
    by = {(names[r["report_id"]], r["metric"]): r for r in df.to_dict("records")}
    assert by[("P9", "cost_per_beneficiary")]["z"] == pytest.approx(2 / FLOOR)
    assert by[("P6", "cost_per_beneficiary")]["z"] == pytest.approx(math.log10(2.5) / FLOOR)
    assert by[("P7", "achievement")]["z"] == pytest.approx(math.log10(0.25) / FLOOR)
    assert by[("P7", "cost_per_beneficiary")]["z"] == pytest.approx(math.log10(0.6) / FLOOR)
    assert by[("P9", "cost_per_beneficiary")]["median"] == pytest.approx(10_000)
    assert by[("P9", "cost_per_beneficiary")]["ratio"] == pytest.approx(100)
    assert by[("P6", "participants_per_million")]["value"] == pytest.approx(40)
    flagged = {key: r["flag"] for key, r in by.items() if r["flag"] in ("info", "warning")}
    assert flagged == {("P9", "cost_per_beneficiary"): "warning", ("P9", "participants_per_million"): "warning",
                       ("P7", "achievement"): "warning", ("P6", "cost_per_beneficiary"): "info",
                       ("P6", "participants_per_million"): "info"}
    first = df.iloc[0]
    assert names[first["report_id"]] == "P9" and abs(first["z"]) == pytest.approx(2 / FLOOR)  # farthest first
    stored = {(names[rid], sev) for rid, sev in con.execute(
        "SELECT report_id, severity FROM findings WHERE rule = 'outlier'").fetchall()}
    assert stored == {(name, flag) for (name, _), flag in flagged.items()}


def test_fewer_than_eight_peers_flag_nothing(con):
    names = {v: k for k, v in ids(con).items()}
    df = peers.report_peers(con, Filter(directions=("7",)), metric="cost_per_beneficiary")
    assert len(df) == 7 and set(df["flag"]) == {"few_peers"} and set(df["peers"]) == {7}
    old = peers.report_peers(con, Filter(year_to=2019), metric="cost_per_beneficiary").iloc[0]
    assert names[old["report_id"]] == "OLD" and (old["peers"], old["flag"], old["band"]) == (1, "few_peers", 2017)
    assert not con.execute("SELECT count(*) FROM findings WHERE rule = 'outlier' AND report_id IN"
                           " (SELECT report_id FROM reports WHERE direction = '7' OR year = 2019)").fetchone()[0]


def test_a_reports_position_beside_its_direction_and_its_region(con):
    position = peers.report_position(con, ids(con)["P6"]).set_index("metric")
    cost = position.loc["cost_per_beneficiary"]
    assert (cost["value"], cost["median"], cost["peers"], cost["flag"], cost["band"]) == (
        pytest.approx(25_000), pytest.approx(10_000), 9, "info", 2023)
    assert cost["rank"] == 8  # lower: five at 10 000, 6 000 and 12 000
    # KZ-79 in 2023–2025, all directions: 10 000, 25 000, 6 000, 12 000, 1 000 000 -> 12 000
    assert (cost["region"], cost["region_peers"], cost["region_median"]) == ("KZ-79", 5, pytest.approx(12_000))
    assert list(position.index) == list(outliers.METRICS)


def test_each_ngo_beside_the_median_of_its_reports_peers(con):
    df = peers.ngo_peers(con, Filter(directions=("4",), year_from=2023)).set_index("ngo")
    zh = "public_association:жастар"  # ОО and «Общественное объединение»: one legal form, one NGO
    assert (df.loc[zh, "reports"], df.loc[zh, "value"], df.loc[zh, "ratio"]) == (2, 10_000, 1)
    altyn = df.loc["public_association:алтын"]
    assert (altyn["value"], altyn["peer_median"], altyn["ratio"], altyn["outliers"]) == (
        pytest.approx(1_000_000), pytest.approx(10_000), pytest.approx(100), 1)
    assert df.index[0] == "public_association:алтын"  # the farthest from its peers first


def test_a_later_load_moves_the_medians_and_the_outliers_with_them(tmp_path):
    copy = store.connect(tmp_path / "copy.duckdb")
    save_parsed(copy, [store.ParsedFile("/hand/peers.xlsx", "peers.xlsx", "sha-peers", 1, "registry", archive())])
    # five more peers at 25 000 ₸ make 14 costs: 6 000, five 10 000, 12 000, six 25 000, 1 000 000. On the log scale
    # the 7th and 8th are 12 000 and 25 000: median 10^((4.0792 + 4.3979) / 2) = 17 320.5 ₸. The deviations from it:
    # seven 0.1594 (12 000 and the 25 000s), five 0.2386, 0.4604, 1.7614: their median (0.1594 + 0.2386) / 2 =
    # 0.1990, × 1.4826 = 0.2951, above the floor. P6 (z = 0.1594 / 0.2951 = 0.54) is no longer out; P9
    # (z = 1.7614 / 0.2951 = 5.97) is still a warning.
    more = [report(f"Q{i}", f"ОО «Ещё {i}»", "KZ-79", 2_500_000, 100) for i in range(5)]
    save_parsed(copy, [store.ParsedFile("/hand/more.xlsx", "more.xlsx", "sha-more", 1, "registry", more)])
    df = peers.report_peers(copy, Filter(directions=("4",)), metric="cost_per_beneficiary")
    names = {v: k for k, v in ids(copy).items()}
    by = {names[r["report_id"]]: r for r in df.to_dict("records")}
    assert by["P9"]["median"] == pytest.approx(17_320.5, abs=0.1) and by["P9"]["peers"] == 14
    spread = 1.4826 * (0.15936 + 0.23856) / 2
    assert by["P9"]["z"] == pytest.approx(math.log10(1_000_000 / 17_320.5) / spread, rel=1e-3)
    assert by["P9"]["z"] == pytest.approx(5.97, abs=0.01) and by["P9"]["flag"] == "warning"
    assert by["P6"]["z"] == pytest.approx(0.54, abs=0.01) and pd.isna(by["P6"]["flag"])
    stored = {names[rid] for rid, in copy.execute(
        "SELECT report_id FROM findings WHERE rule = 'outlier' AND message_en LIKE 'Cost%'").fetchall()}
    assert stored == {"P9"}
    copy.close()


def test_a_load_of_many_batches_computes_the_outliers_once_at_its_end(tmp_path):
    from grantstats.ingest import ingest_paths

    header = ("Грантополучатель;Договор;Регион;Год;Направление;Сумма гранта;Прямые бенефициары (план);"
              "Прямые бенефициары (факт);Количество участников\n")
    regions = {"KZ-75": "Алматы", "KZ-79": "Шымкент"}
    paths = []
    for name, grantee, region, amount, plan in PEERS_4:  # one file each, so each batch below holds two or three
        path = tmp_path / f"{name}.csv"
        path.write_text(header + f"{grantee};№ {name} от 01.02.2023;{regions[region]};2023;поддержка молодежной "
                        f"политики и детских инициатив;{amount};{plan};100;100\n", encoding="utf-8")
        paths.append(path)
    con = store.connect(tmp_path / "batches.duckdb")
    results = ingest_paths(con, paths, workers=0, batch_files=3)
    assert [r.status for r in results] == ["loaded"] * 9
    names = dict(con.execute("SELECT report_id, grantee FROM reports").fetchall())
    found = sorted((names[rid], severity, en.split(":")[0]) for rid, severity, en in con.execute(
        "SELECT report_id, severity, message_en FROM findings WHERE rule = 'outlier'").fetchall())
    # the same as the one-batch load of these nine reports, worked out by hand at the top
    assert found == [("ОО «Алтын»", "warning", "Cost per direct beneficiary"),
                     ("ОО «Алтын»", "warning", "Participants per 1 M ₸ of grant"),
                     ("ОО «Нур»", "info", "Cost per direct beneficiary"),
                     ("ОО «Нур»", "info", "Participants per 1 M ₸ of grant"),
                     ("ОО «Умит»", "warning", "Plan achievement (direct beneficiaries)")]
    assert con.execute("SELECT count(*) FROM stale_findings").fetchone()[0] == 0
    con.close()


def test_a_load_killed_before_its_end_leaves_the_outliers_to_the_next_publish(tmp_path):
    from grantstats import snapshots

    db = tmp_path / "killed.duckdb"
    writer = store.connect(db)
    save_parsed(writer, [store.ParsedFile("/hand/peers.xlsx", "peers.xlsx", "sha-peers", 1, "registry", archive())])
    # a batch of a load (outliers only marked stale), and the load ends there, as a killed one would
    more = [report(f"Q{i}", f"ОО «Ещё {i}»", "KZ-79", 2_500_000, 100) for i in range(5)]
    save_parsed(writer, [store.ParsedFile("/hand/more.xlsx", "more.xlsx", "sha-more", 1, "registry", more)],
                outliers_later=True)
    names = {v: k for k, v in ids(writer).items()}
    cost_outliers = ("SELECT report_id FROM findings WHERE rule = 'outlier' AND message_en LIKE 'Cost%'")
    assert {names[rid] for rid, in writer.execute(cost_outliers).fetchall()} == {"P6", "P9"}  # as before the batch
    assert writer.execute("SELECT rule FROM stale_findings").fetchall() == [("outlier",)]
    writer.close()
    snapshots.publish(db)
    with snapshots.reading(db) as reader:  # the medians of all 14 peers, as in the test above: P6 is no longer out
        assert {names[rid] for rid, in reader.execute(cost_outliers).fetchall()} == {"P9"}
        assert reader.execute("SELECT count(*) FROM stale_findings").fetchone()[0] == 0
    primary = store.connect(db)
    assert outliers.refresh_if_stale(primary) is False  # the mark went with the refresh
    primary.close()


# ------------------------------------------------------------------------------------------------- pages

@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("peers-pages") / "peers.duckdb"
    connection = store.connect(path)
    save_parsed(connection, [store.ParsedFile("/hand/peers.xlsx", "peers.xlsx", "sha-peers", 1, "registry", archive())])
    connection.close()
    return str(path)


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_report_page_shows_the_report_among_its_peers(db_path, monkeypatch, lang):
    from streamlit.testing.v1 import AppTest

    from grantstats import formatting as fmt
    from grantstats.i18n import t
    from tests.test_pages import APP

    with duckdb_connect(db_path) as con:
        rid = ids(con)["P6"]
    monkeypatch.setenv("GRANTSTATS_DB", db_path)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"lang": lang, "report": rid})
    at.run()
    at.query_params.update({"lang": lang, "report": rid})  # as if the report's own address was opened
    at.switch_page("pages/report.py").run()
    assert not at.exception, [e.message for e in at.exception]
    table = next(d.value for d in at.dataframe if t("col_peer_median", lang) in d.value.columns)
    row = table.set_index(t("peer_metric", lang)).loc[t("metric_cost_per_beneficiary", lang)]
    money = lambda v: fmt.money(v, lang, short=False)  # noqa: E731 - 25,000 ₸ in English, 25 000 ₸ otherwise
    assert row[t("col_value", lang)] == money(25_000) and row[t("col_peer_median", lang)] == money(10_000)
    assert row[t("col_position", lang)] == "8 / 9" and row[t("col_flag", lang)] == t("flag_info", lang)
    assert row[t("col_region_median", lang)] == money(12_000)


def test_the_ngo_page_lists_ngos_beside_their_peers(db_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from grantstats.i18n import t
    from tests.test_pages import APP

    monkeypatch.setenv("GRANTSTATS_DB", db_path)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.query_params.update({"in": "KZ-79"})
    at.switch_page("pages/ngos.py").run()
    assert not at.exception, [e.message for e in at.exception]
    table = at.dataframe[-1].value
    first = table.iloc[0]
    assert (first[t("col_ngo")], first[t("col_peer_ratio")], first[t("col_outliers")]) == ("ОО «Алтын»", "×100,00", 1)
    assert set(table[t("col_ngo")]) == {"ОО «Сана»", "ОО «Нур»", "ОО «Умит»", "ОО «Достык»", "ОО «Алтын»"}


def duckdb_connect(path: str):
    import duckdb

    return duckdb.connect(path)
