"""A person's scope (the regions they may see) is kept below the pages, in SQL: figures, lists, findings,
the summary workbook, report look-ups, history and restore. Worked out by hand on the five-report set of
conftest.py (B in KZ-79; E half in KZ-79, half in KZ-27; A and C in KZ-75; D in KZ-71)."""

from __future__ import annotations

import io

import duckdb
import openpyxl
import pytest

from grantstats import history, metrics, scope as scopes, store
from grantstats.findings.queries import findings_table
from grantstats.metrics import Filter


@pytest.fixture(scope="module")
def con(handmade_db):
    connection = duckdb.connect(str(handmade_db), read_only=True)
    yield connection
    connection.close()


def test_a_region_scope_counts_its_reports_and_only_the_in_scope_share_of_a_shared_one(con):
    head = metrics.headline(con, Filter(scope=("KZ-79",))).iloc[0]
    # B whole (6 M, 150 direct) and half of E (1 M, 25 direct)
    assert (head["reports"], head["grant_amount"], head["direct_beneficiaries"]) == (2, 7_000_000, 175)
    assert head["report_weight"] == pytest.approx(1.5)


def test_a_url_region_outside_the_scope_widens_nothing(con):
    assert metrics.headline(con, Filter(regions=("KZ-75",), scope=("KZ-79",))).iloc[0]["reports"] == 0
    assert metrics.report_list(con, Filter(regions=("KZ-75",), scope=("KZ-79",))).empty
    assert metrics.totals(con, Filter(regions=("KZ-75",), scope=("KZ-79",)), by="region").empty
    # within a two-region scope, a chosen region narrows it
    both = metrics.headline(con, Filter(regions=("KZ-75",), scope=("KZ-79", "KZ-75"))).iloc[0]
    assert (both["reports"], both["grant_amount"]) == (2, 9_000_000)  # A and C


def test_by_region_shows_only_the_scope_regions(con):
    by_region = metrics.totals(con, Filter(scope=("KZ-27",)), by="region")
    assert by_region["region"].tolist() == ["KZ-27"]
    row = by_region.iloc[0]
    assert (row["reports"], row["grant_amount"], row["direct_beneficiaries"]) == (1, 1_000_000, 25)


def test_lists_findings_and_plan_fact_keep_to_the_scope(con):
    listed = metrics.report_list(con, Filter(scope=("KZ-27",)))
    assert listed["grantee"].tolist() == ["КФ «Нур»"]
    found = findings_table(con, Filter(scope=("KZ-79",)))
    assert sorted(found["grantee"].unique()) == ["КФ «Нур»", "ОФ «Болашак»"]
    assert (found["severity"] == "error").sum() == 1  # B's implausible_value
    pf = metrics.plan_vs_fact(con, Filter(scope=("KZ-79",)), indicators=["direct_beneficiaries"]).iloc[0]
    assert (pf["plan"], pf["fact"]) == (225, 175)  # B 200/150 + half of E 25/25
    achieved = metrics.report_achievement(con, Filter(scope=("KZ-27",)))
    assert achieved["grantee"].tolist() == ["КФ «Нур»"] and achieved["weight"].tolist() == [0.5]
    ngos = metrics.ngo_comparison(con, Filter(scope=("KZ-27",)), region="KZ-79")
    assert ngos.empty  # another region's NGOs, asked for by name


def test_an_empty_scope_filter_is_still_an_empty_filter_and_stays_out_of_the_url():
    flt = Filter(regions=("KZ-75",)).within(("KZ-47",))
    assert Filter().within(("KZ-47",)).is_empty()
    assert flt.to_query_params() == {"region": "KZ-75"}
    assert Filter.from_query_params({"region": "KZ-75", "scope": "KZ-47"}).scope is None
    assert flt != flt.within(None) and hash(flt) != hash(flt.within(("KZ-75",)))


def test_the_summary_workbook_holds_only_the_scope(con):
    book = openpyxl.load_workbook(io.BytesIO(metrics_workbook(con, Filter(scope=("KZ-27",)))), read_only=True)
    by_region = [row for row in book.worksheets[1].iter_rows(values_only=True)]
    text = " ".join(str(c) for row in by_region for c in row if c is not None)
    assert "KZ-27" in text and "KZ-79" not in text and "KZ-75" not in text
    cover = " ".join(str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c is not None)
    assert "1 файлов, 1 отчетов" in cover  # the data source line counts only what the scope sees


def metrics_workbook(con, flt) -> bytes:
    from grantstats import export

    return export.summary_workbook(con, flt)


def test_a_report_is_visible_to_each_of_its_regions_and_to_no_other(con):
    ids = {r["grantee"]: r["report_id"] for r in store.report_details(con, store.find_reports(con))}
    shared = ids["КФ «Нур»"]
    assert scopes.visible_reports(con, [shared], ("KZ-79",)) == [shared]
    assert scopes.visible_reports(con, [shared], ("KZ-27",)) == [shared]
    assert scopes.visible_reports(con, [shared, ids["ЧУ «Сана»"]], ("KZ-75",)) == []
    assert scopes.visible_reports(con, list(ids.values()), None) == list(ids.values())


def test_history_and_restore_keep_to_the_scope(tmp_path):
    from tests.conftest import handmade_reports

    db = tmp_path / "h.duckdb"
    con = store.connect(db)
    reports = handmade_reports()
    store.save_files(con, [store.ParsedFile("/a.xlsx", "a.xlsx", "1" * 64, 1, "form", reports)])
    store.save_files(con, [store.ParsedFile("/b.xlsx", "b.xlsx", "2" * 64, 1, "form", reports)])  # replaces all five
    everything = history.history(con)
    assert len(everything) == 5
    aktobe_only = history.history(con, scope=("KZ-27",))
    assert aktobe_only["grantee"].tolist() == ["КФ «Нур»"]
    sana = everything[everything["grantee"] == "ЧУ «Сана»"].iloc[0]
    with pytest.raises(history.HistoryError, match="outside your regions"):
        history.restore(con, int(sana["version_id"]), scope=("KZ-27",))
    assert history.versions(con, sana["report_id"], scope=("KZ-27",)).empty
    done = history.restore(con, int(sana["version_id"]), scope=("KZ-71",))
    assert done["report_id"] == sana["report_id"]
    con.close()
