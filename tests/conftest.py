"""Shared fixtures: databases built once per test session (the built-in sample, a small hand-made set,
an empty one). Other modules may add fixtures here: keep it additive."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grantstats", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """A database loaded from `grantstats sample --reports 120` through the CLI, as a user would."""
    folder = tmp_path_factory.mktemp("sample")
    db = folder / "sample.duckdb"
    made = _cli("sample", "--reports", "120", "--out", str(folder / "files"))
    loaded = _cli("ingest", str(folder / "files"), "--db", str(db), "--workers", "0")
    # the grantor's list of awarded grants for those reports (issue #17), some whose report never came
    _cli("sample-contracts", "--db", str(db), "--out", str(folder / "contracts.xlsx"))
    _cli("ingest", "--contracts", str(folder / "contracts.xlsx"), "--db", str(db), "--workers", "0")
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        reports = con.execute("SELECT count(*) FROM reports").fetchone()[0]
        contracts = con.execute("SELECT count(*) FROM contracts").fetchone()[0]
    assert reports > 0, f"the sample loaded no report:\n{made.stderr[-2000:]}\n{loaded.stdout[-2000:]}"
    assert contracts > reports, "the sample's contracts list did not load"
    return db


# The hand-made set: five reports whose figures are easy to add up by hand.
#   id  grantee        year region(s)         dir  amount      direct plan/fact  indirect plan/fact  errors
#   A   ОО «Жастар»    2022 KZ-75             4     4 000 000  100 / 120         1000 / 1500          0
#   B   ОФ «Болашак»   2022 KZ-79             1     6 000 000  200 / 150            —                 1
#   C   ОО «Жастар»    2023 KZ-75             4     5 000 000  100 / ≈90            —                 0
#   D   ЧУ «Сана»      2023 KZ-71             7    10 000 000  300 / 330         5000 / 4000          0
#   E   КФ «Нур»       2023 KZ-79 + KZ-27     16    2 000 000   50 / 50             —                 0
# Totals: 5 reports, 4 NGOs, 27 000 000 ₸, direct fact 740 of plan 750 (98,7 %), indirect 5 500.
# Every report has one warning (sum_mismatch); B has one error (implausible_value) in cell D10.
HANDMADE = [
    ("ОО «Жастар»", 2022, [("KZ-75", 1.0)], "4", 4_000_000, 100, 120, (1000, 1500), 0, False),
    ("ОФ «Болашак»", 2022, [("KZ-79", 1.0)], "1", 6_000_000, 200, 150, None, 1, False),
    ("ОО «Жастар»", 2023, [("KZ-75", 1.0)], "4", 5_000_000, 100, 90, None, 0, True),
    ("ЧУ «Сана»", 2023, [("KZ-71", 1.0)], "7", 10_000_000, 300, 330, (5000, 4000), 0, False),
    ("КФ «Нур»", 2023, [("KZ-79", 0.5), ("KZ-27", 0.5)], "16", 2_000_000, 50, 50, None, 0, False),
]


def handmade_reports():
    from grantstats.model import (Activity, Finding, IndicatorValue, Number, ParticipantValue, Report, Where)

    reports = []
    for i, (grantee, year, regions, direction, amount, plan, fact, indirect, errors, approx) in enumerate(HANDMADE):
        indicators = {"direct_beneficiaries": IndicatorValue(
            "direct_beneficiaries", Number(plan, raw=str(plan)),
            Number(fact, "approx" if approx else None, raw=("около " if approx else "") + str(fact)),
            "человек", "Количество прямых бенефициаров", Where("Отчет", "C10"), Where("Отчет", "D10"))}
        if indirect:
            indicators["indirect_beneficiaries"] = IndicatorValue(
                "indirect_beneficiaries", Number(indirect[0], raw=str(indirect[0])),
                Number(indirect[1], raw=str(indirect[1])), "человек", "Количество косвенных бенефициаров",
                Where("Отчет", "C11"), Where("Отчет", "D11"))
        participants = [
            ParticipantValue("gender", "male", fact * 0.4, None, False, str(fact * 0.4), Where("Отчет", "C20")),
            ParticipantValue("gender", "female", fact * 0.6, 60.0, True, "60%", Where("Отчет", "C21")),
            ParticipantValue("age", "17-22", fact * 0.5, None, False, None, Where("Отчет", "C30")),
            ParticipantValue("age", "23-27", fact * 0.5, None, False, None, Where("Отчет", "C31")),
            ParticipantValue("category", "youth", fact * 0.7, None, False, None, Where("Отчет", "C40")),
        ]
        findings = [Finding("implausible_value", "error", "Факт больше плана в 10 раз", "Fact is over 10 × plan",
                            "Отчет", "D10")] * errors
        findings.append(Finding("sum_mismatch", "warning", "Сумма не сходится", "Sum mismatch", "Отчет", "C31"))
        reports.append(Report(
            grantee=grantee, title=f"Проект {i + 1}", contract_no=f"{i + 1}/{year}", contract_date=date(year, 3, 1),
            period_start=date(year, 3, 1), period_end=date(year, 12, 1), year=year, direction=direction,
            regions=list(regions), grant_amount=Number(float(amount), raw=f"{amount:,}".replace(",", " ")),
            participants_total=Number(float(fact)), indicators=indicators, participants=participants,
            findings=findings, source=Where("Отчет", "A1"),
            activities=[Activity("Задача 1", "Мероприятие 1.1", "май", "Алматы", "50", "50", "48")]))
    return reports


@pytest.fixture(scope="session")
def handmade_db(tmp_path_factory) -> Path:
    from grantstats import store

    db = tmp_path_factory.mktemp("handmade") / "handmade.duckdb"
    con = store.connect(db)
    store.save_files(con, [store.ParsedFile("/hand/made.xlsx", "made.xlsx", "0" * 64, 1, "form", handmade_reports())])
    con.close()
    return db


@pytest.fixture()
def empty_db(tmp_path) -> Path:
    """A path where no database exists yet: the dashboard creates it with an empty schema."""
    return tmp_path / "empty.duckdb"


@pytest.fixture(scope="session")
def word_reports(tmp_path_factory) -> dict[str, Path]:
    """The example report as Word documents, name -> .docx (tests/word_report.py: VARIANTS)."""
    from tests import word_report

    folder = tmp_path_factory.mktemp("word")
    return {name: word_report.build_docx(folder / f"{name}.docx", **options)
            for name, options in word_report.VARIANTS.items()}


@pytest.fixture(scope="session")
def pdf_reports(word_reports, tmp_path_factory) -> dict[str, Path]:
    """The same documents as PDFs, name -> .pdf, converted by LibreOffice once for the whole session (it takes
    seconds to start), laid out as Word's «Save as PDF» lays them out."""
    from tests import word_report

    if word_report.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("pdf")
    return dict(zip(word_reports, word_report.to_pdf(list(word_reports.values()), folder)))
