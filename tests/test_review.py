"""Review of findings: a finding accepted leaves the error counts, a returned one goes into the NGO's letter, who
and when are kept, and reloading the same report keeps the review of the findings still there."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from grantstats import access, health, metrics, review, store
from grantstats.cli import main
from grantstats.metrics import Filter

REGISTRY_HEADER = "Грантополучатель;Наименование проекта;№ договора;Год;Регион;Направление;Сумма гранта;" \
                  "Прямые бенефициары (план);Прямые бенефициары (факт);Количество участников проекта всего;Мужчин;Женщин\n"
# Алау: male + female 30 + 40 = 70 against 100 participants (sum_mismatch, an error: 30 % off) and direct
# beneficiaries 120 against 100 participants (sum_mismatch, a warning); Самал: no region (missing_field, a warning). A second version of the file changes Самал's amount only.
ROWS = ["ОО «Алау»;Клуб чтения;7-ГГ;2023;г. Шымкент;4;1 000 000;100;120;100;30;40\n",
        "ОФ «Самал»;Школа волонтеров;8-ГГ;2023;;1;2 000 000;50;50;50;20;30\n"]


def write(path: Path, rows: list[str]) -> Path:
    path.write_text(REGISTRY_HEADER + "".join(rows), encoding="utf-8")
    return path


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "review.duckdb"
    assert main(["ingest", str(write(tmp_path / "svod.csv", ROWS)), "--db", str(path), "--workers", "0"]) == 0
    return path


def test_an_accepted_error_leaves_the_counts_and_who_and_when_are_kept(db):
    con = store.connect(db)
    before = metrics.headline(con).iloc[0]
    assert before.reports_with_errors == 1
    errors = review.findings_for_review(con, status="open")
    error = errors[errors["severity"] == "error"].iloc[0]
    assert error["grantee"] == "ОО «Алау»" and error["rule"] == "sum_mismatch"
    when = datetime(2025, 3, 1, 10, 30)
    assert review.mark(con, [error["finding_key"]], "accepted", "проверено по первичке", who="a.seitova", when=when) == 1
    after = metrics.headline(con).iloc[0]
    assert (after.reports_with_errors, after.reports) == (0, 2)
    assert metrics.headline(con, Filter(exclude_errors=True)).iloc[0].reports == 2  # no longer left out
    done = review.findings_for_review(con, status="accepted").iloc[0]
    assert (done["status"], done["comment"], done["reviewer"], done["reviewed_at"]) == (
        "accepted", "проверено по первичке", "a.seitova", when)
    assert error["finding_key"] not in set(review.findings_for_review(con, status="open")["finding_key"])
    scores = health.health_scores(con).set_index("grantee")["score"]
    assert scores["ОО «Алау»"] == 100 - 0 - sum(  # the accepted error costs nothing; its other findings still do
        health.FINDING_POINTS[s] for s in review.findings_for_review(con, Filter(text="алау"))["severity"])
    con.close()


def test_the_reviewer_defaults_to_the_os_user_and_a_bad_status_is_refused(db, monkeypatch):
    monkeypatch.setattr(access.getpass, "getuser", lambda: "operator")
    con = store.connect(db)
    key = review.findings_for_review(con)["finding_key"].iloc[0]
    review.mark(con, [key], "returned")
    assert review.findings_for_review(con, status="returned")["reviewer"].tolist() == ["operator"]
    with pytest.raises(review.ReviewError, match="accepted or returned, not 'ok'"):
        review.mark(con, [key], "ok")
    with pytest.raises(review.ReviewError, match="no finding has the key nope"):
        review.mark(con, ["nope"], "accepted")
    review.mark(con, [key], "returned", "второй раз", who="operator")  # a new comment on the same status shows
    assert review.findings_for_review(con, status="returned")["comment"].tolist() == ["второй раз"]
    assert review.reopen(con, [key]) == 1 and review.findings_for_review(con, status="returned").empty
    con.close()


def test_reloading_the_same_report_keeps_the_review_of_findings_still_there(db, tmp_path):
    con = store.connect(db)
    samal = review.findings_for_review(con, Filter(text="самал"))
    missing = samal[samal["rule"] == "missing_field"].iloc[0]
    review.mark(con, [missing["finding_key"]], "accepted", "республиканский проект", who="a.seitova")
    con.close()
    # the changed file (same path) replaces both reports; Самал's region is still missing, its amount changed
    changed = [ROWS[0], ROWS[1].replace("2 000 000", "2 500 000")]
    assert main(["ingest", str(write(tmp_path / "svod.csv", changed)), "--db", str(db), "--workers", "0"]) == 0
    con = store.connect(db)
    kept = review.findings_for_review(con, Filter(text="самал"), status="accepted")
    assert kept["finding_key"].tolist() == [missing["finding_key"]] and kept["comment"].tolist() == ["республиканский проект"]
    con.close()


def test_the_ngo_letter_lists_its_open_errors_warnings_and_returned_findings(db):
    con = store.connect(db)
    flt = Filter(ngos=("public_association:алау",))  # the NGO: legal form and name (metrics cache)
    rows = review.letter_rows(con, flt)
    assert rows["severity"].tolist() == ["error", "warning"] and rows["contract_no"].tolist() == ["7-ГГ", "7-ГГ"]
    data = review.letter_xlsx(con, flt, "ru", "ОО «Алау»")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0].startswith("ОО «Алау»: замечания к итоговым отчетам на ")
    header = values[2]  # the title, a blank row, the header
    assert header[:3] == ("№ договора", "Проект", "Год") and "Комментарий" in header
    assert values[3][0] == "7-ГГ" and values[3][header.index("Разбор")] == "открыто"
    assert values[3][header.index("Ячейка")] == "J2" and values[3][header.index("Важность")] == "ошибка"
    con.close()


def test_review_cli_lists_marks_and_writes_the_letter(db, tmp_path, capsys):
    assert main(["review", "list", "--db", str(db), "--format", "json"]) == 0
    import json

    listed = json.loads(capsys.readouterr().out)
    key = next(r["finding_key"] for r in listed if r["severity"] == "error")
    assert main(["review", "mark", key, "--status", "returned", "--comment", "исправьте таблицу", "--who", "staff",
                 "--db", str(db)]) == 0
    assert capsys.readouterr().out.strip() == "marked 1 finding returned"
    out = tmp_path / "letter.xlsx"
    assert main(["review", "letter", "--ngo", "алау", "--out", str(out), "--db", str(db)]) == 0
    assert "wrote the letter of 2 open findings of ОО «Алау»" in capsys.readouterr().out
    assert load_workbook(out).active.cell(4, 10).value == "исправьте таблицу"


# ------------------------------------------------------------------------------------------------- page

@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_page_marks_a_finding_and_keeps_who_and_when(db, monkeypatch, lang):
    from streamlit.testing.v1 import AppTest

    from grantstats.i18n import t
    from tests.test_pages import APP

    monkeypatch.setenv("GRANTSTATS_DB", str(db))
    monkeypatch.setattr(access.getpass, "getuser", lambda: "operator")  # local mode: the person at the machine
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/review.py").run()
    assert not at.exception and not at.error, [e.message for e in at.exception]
    table = at.dataframe[0].value
    assert len(table) == 3 and set(table[t("col_review", lang)]) == {t("review_status_open", lang)}
    first = at.multiselect(key="review_keys").options[0]
    at.multiselect(key="review_keys").select(first).run()
    at.radio(key="review_status").set_value("accepted")
    at.text_input(key="review_comment").input("верно")
    at.button[-1].click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert t("review_saved", lang, n=1) in [s.value for s in at.success]
    assert len(at.dataframe[0].value) == 2  # the open list shows the two left
    at.segmented_control(key="review_list").set_value("accepted").run()
    done = at.dataframe[0].value.iloc[0]
    assert (done[t("col_comment", lang)], done[t("col_reviewer", lang)]) == ("верно", "operator (local)")
    at.selectbox(key="review_ngo").set_value("public_association:алау").run()
    assert at.get("download_button")
