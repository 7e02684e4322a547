"""Findings kept as rule + parameters and shown in the page's language (ru, kk, en) from one table of templates."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from grantstats import store
from grantstats.findings import checks, queries, rules
from grantstats.findings import messages as finding_messages
from grantstats.findings.messages import PHRASES, TEMPLATES, placeholders
from grantstats.model import Number
from tests.test_pages import assert_clean, open_app
from tests.test_quality import clean_report, set_parts

NB = "\u00a0"


def test_every_template_and_phrase_has_ru_kk_en_with_the_same_placeholders():
    for table in (TEMPLATES, PHRASES):
        for key in table:
            found = placeholders(key, table)
            assert found["ru"] == found["kk"] == found["en"], (key, found)


def test_every_rule_and_check_that_can_be_emitted_has_a_template():
    assert {c.name for c in checks.CHECKS} <= set(TEMPLATES)
    assert {r.code for r in rules.RULES} == {t["rule"] for t in TEMPLATES.values()}
    assert all(TEMPLATES[c.name]["rule"] == c.rule for c in checks.CHECKS)


def findings_report():
    """A report with a sum off by a fraction, a missing region, an approximate fact and a percent table."""
    report = clean_report()
    report.regions, report.region_text = [], None
    report.participants_total = Number(70.0)
    report.indicators["direct_beneficiaries"].fact = Number(70.0)
    set_parts(report, "age", {"13-16": 20, "17-22": 20, "23-27": 10, "28-32": 10, "33-45": 0, "46-58": 6, "59+": 4})
    set_parts(report, "gender", {"male": 20.5, "female": 45})
    report.indicators["indirect_beneficiaries"].fact = Number(1_000_000.0, "approx", raw="около 1 млн")
    return report


def test_a_finding_renders_in_kazakh_with_kazakh_names_and_number_format():
    found = {f.rule: f for f in checks.findings_for(findings_report())}
    sums = found["sum_mismatch"]
    assert sums.params["key"] == "gender_parts_sum"
    # the store's Russian text is the Russian template filled: unchanged for every older reader
    assert sums.message_ru == finding_messages.render(sums.params, "ru")
    kk = finding_messages.message(json.dumps(sums.params), "kk", sums.message_ru, sums.message_en)
    assert kk == ("Қатысушылар жынысы бойынша бөліктерінің қосындысы (ерлер 20,5 + әйелдер 45 = 65,5) олардың жалпы"
                  " санына 70 тең емес: айырмашылық 4,5")
    missing = finding_messages.message(found["missing_field"].params, "kk")
    assert missing == "Міндетті өріс көрсетілмеген: өңір — көрсетілмеген"
    approx = finding_messages.message(found["approximate_value"].params, "kk")
    assert approx.endswith(f"«около 1 млн» 1{NB}000{NB}000 ретінде есепке алынды (шамамен)")


def test_a_finding_of_an_older_database_shows_its_stored_text():
    assert finding_messages.message(None, "kk", "Сумма не сходится", "Sum mismatch") == "Сумма не сходится"
    assert finding_messages.message(float("nan"), "en", "Сумма не сходится", "Sum mismatch") == "Sum mismatch"
    stale = json.dumps({"key": "no_such_template", "left": 1})
    assert finding_messages.message(stale, "kk", "Сумма не сходится", "Sum mismatch") == "Сумма не сходится"


@pytest.fixture(scope="module")
def findings_db(tmp_path_factory) -> Path:
    report = findings_report()
    report.findings = checks.findings_for(report)
    db = tmp_path_factory.mktemp("findings") / "findings.duckdb"
    con = store.connect(db)
    store.save_files(con, [store.ParsedFile("/f/findings.xlsx", "findings.xlsx", "1" * 64, 1, "form", [report])])
    con.close()
    return db


def test_stored_findings_keep_their_parameters_beside_the_texts(findings_db):
    with duckdb.connect(str(findings_db)) as con:
        rows = con.execute("SELECT rule, params, message_ru FROM findings ORDER BY rule").fetchall()
    assert {r[0] for r in rows} >= {"sum_mismatch", "missing_field", "approximate_value"}
    for rule, params, ru in rows:
        assert finding_messages.render(json.loads(params), "ru") == ru, rule


def test_kazakh_quality_page_shows_no_russian_finding_text(findings_db, monkeypatch):
    with duckdb.connect(str(findings_db)) as con:
        stored = queries.findings_table(con)
    at = open_app(findings_db, monkeypatch, "pages/quality.py", lang="kk")
    assert_clean(at)
    shown = at.dataframe[-1].value
    cells = set(shown.astype(str).to_numpy().ravel())
    assert not cells & set(stored["message_ru"]), "a finding shown in Russian on the Kazakh page"
    assert any(c.startswith("Қатысушылар жынысы бойынша бөліктерінің қосындысы (ерлер 20,5 + әйелдер 45 = 65,5)") for c in cells)


def test_an_older_database_without_parameters_still_shows_its_findings(findings_db, tmp_path, monkeypatch):
    old = tmp_path / "old.duckdb"
    old.write_bytes(findings_db.read_bytes())
    with duckdb.connect(str(old)) as con:
        con.execute("ALTER TABLE findings DROP COLUMN params")
        frame = queries.findings_table(con)
    assert frame["params"].isna().all()
    assert finding_messages.messages(frame, "kk") == frame["message_ru"].tolist()
