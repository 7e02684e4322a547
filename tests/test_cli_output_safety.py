"""What the command line writes cannot be turned against the reader: no CSV field starts a formula unless it is a
plain number, and a file name's bidi or invisible characters are shown, not obeyed."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from grantstats import snapshots, store

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grantstats", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_summary_by_ngo_as_csv_neutralises_formulas_and_keeps_numbers_numbers(tmp_path):
    rows = "\n".join(f'"{name.replace(chr(34), chr(34) * 2)}";№ {n} от 01.02.2023;ЗКО;2023;{n} 000 000;{n}0'
                     for n, name in enumerate(HOSTILE, 1))
    path = tmp_path / "hostile.csv"
    path.write_text("Грантополучатель;Договор;Регион;Год;Сумма гранта;Прямые бенефициары (факт)\n" + rows + "\n",
                    encoding="utf-8")
    db = tmp_path / "g.duckdb"
    assert cli("ingest", str(path), "--db", str(db), "--workers", "0").returncode == 0
    done = cli("summary", "--by", "ngo", "--format", "csv", "--db", str(db))
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    names = sorted(r["ngo_name"] for r in table)
    assert names == sorted("'" + name for name in HOSTILE)  # each made inert with a leading apostrophe
    for record in table:
        for value in record.values():
            assert not value.startswith(("=", "+", "@")) and not (value.startswith("-") and not _number(value)), value
    amounts = sorted(float(r["grant_amount"]) for r in table)
    assert amounts == [1_000_000, 2_000_000, 3_000_000, 4_000_000]  # plain numbers, unquoted
    gaps = cli("summary", "--format", "json", "--db", str(db))
    assert json.loads(gaps.stdout)[0]["reports"] == 4


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_a_file_name_with_a_bidi_override_is_shown_as_it_is(tmp_path):
    name = "отчет_\u202excsl.csv"  # would display as «отчет_lscx.csv»-like text reversed
    path = tmp_path / name
    path.write_text("Грантополучатель;Договор;Регион;Год;Сумма гранта\nОО «Б»;№ 5 от 01.02.2023;ЗКО;2023;1 000\n",
                    encoding="utf-8")
    db = tmp_path / "g.duckdb"
    done = cli("ingest", str(path), "--db", str(db), "--workers", "0")
    assert done.returncode == 0, done.stderr
    assert "loaded    отчет_<U+202E>xcsl.csv: 1 report" in done.stdout and "\u202e" not in done.stdout
    shown = cli("show", "--db", str(db))
    assert "отчет_<U+202E>xcsl.csv" in shown.stdout and "\u202e" not in shown.stdout
    with snapshots.reading(db) as con:  # what pages and exports show is stored visible
        assert con.execute("SELECT name FROM files").fetchone()[0] == "отчет_<U+202E>xcsl.csv"
        assert store.report_details(con, store.find_reports(con))[0]["source"]["file"] == "отчет_<U+202E>xcsl.csv"
    refused = tmp_path / "bad\u2066name\u2069.csv"
    refused.write_bytes(b"")
    done = cli("ingest", str(refused), "--db", str(db), "--workers", "0")
    assert "refused   bad<U+2066>name<U+2069>.csv:" in done.stdout and "\u2066" not in done.stdout
