"""`python -m grantstats summary` end to end: a registry CSV written here, ingested through the CLI, summarised.

The registry (3 reports):
  ОО «Альфа»   г. Алматы           2023  1 000 000  direct 100 -> 120
  ОФ «Бета»    г. Шымкент и ЗКО    2023  2 000 000  direct 200 -> 150   (split ½ KZ-79, ½ KZ-27)
  ОО «Гамма»   (no region)         2024    500 000  direct  50 ->  50
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from grantstats import metrics, store
from grantstats.cli import main
from grantstats.model import Number, Report

REGISTRY = """Грантополучатель;Регион;Год;Сумма гранта;Прямые бенефициары (план);Прямые бенефициары (факт)
ОО «Альфа»;г. Алматы;2023;1 000 000;100;120
ОФ «Бета»;г. Шымкент и ЗКО;2023;2 000 000;200;150
ОО «Гамма»;;2024;500 000;50;50
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    (folder / "registry.csv").write_text(REGISTRY, encoding="utf-8")
    path = folder / "t.duckdb"
    assert main(["ingest", str(folder / "registry.csv"), "--workers", "0", "--db", str(path)]) == 0
    return path


def run(capsys, *args) -> str:
    capsys.readouterr()
    code = main(["summary", *args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_json_by_region_splits_the_two_region_report(db, capsys):
    rows = json.loads(run(capsys, "--by", "region", "--format", "json", "--db", str(db)))
    by = {r["region"]: r for r in rows}
    assert set(by) == {"KZ-75", "KZ-79", "KZ-27", None}  # «не указан» kept as null, last
    assert rows[-1]["region"] is None
    assert by["KZ-75"]["grant_amount"] == 1_000_000 and by["KZ-75"]["direct_beneficiaries"] == 120
    assert by["KZ-79"]["grant_amount"] == 1_000_000 and by["KZ-27"]["grant_amount"] == 1_000_000  # 2 000 000 / 2
    assert by["KZ-79"]["direct_beneficiaries"] == 75 and by["KZ-79"]["direct_plan"] == 100
    assert by[None]["grant_amount"] == 500_000 and by[None]["reports"] == 1
    assert sum(r["grant_amount"] for r in rows) == 3_500_000
    for key in ("reports", "grant_amount", "direct_beneficiaries", "indirect_beneficiaries", "participants", "male",
                "female", "direct_plan", "direct_achievement", "cost_per_beneficiary"):
        assert key in rows[0]


def test_json_total_row_without_by(db, capsys):
    rows = json.loads(run(capsys, "--format", "json", "--db", str(db)))
    assert len(rows) == 1
    total = rows[0]
    assert total["reports"] == 3 and total["grant_amount"] == 3_500_000
    assert total["direct_beneficiaries"] == 120 + 150 + 50
    assert total["direct_plan"] == 100 + 200 + 50
    assert total["direct_achievement"] == pytest.approx(320 / 350)
    assert total["cost_per_beneficiary"] == pytest.approx(3_500_000 / 320)
    assert total["indirect_beneficiaries"] is None  # no report gives it


def test_filters_by_region_and_year(db, capsys):
    rows = json.loads(run(capsys, "--region", "KZ-79", "--region", "KZ-75", "--format", "json", "--db", str(db)))
    assert rows[0]["reports"] == 2 and rows[0]["grant_amount"] == 1_000_000 + 1_000_000  # Альфа + ½ Бета
    rows = json.loads(run(capsys, "--by", "year", "--year-from", "2024", "--format", "json", "--db", str(db)))
    assert [(r["year"], r["grant_amount"]) for r in rows] == [(2024, 500_000)]


def test_table_has_aligned_spaced_numbers(db, capsys):
    out = run(capsys, "--by", "year", "--db", str(db))
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["year", "reports", "ngos"]
    assert "3 000 000" in lines[1] and lines[1].startswith("2023")  # Альфа + Бета in 2023
    assert "500 000" in lines[2]
    assert len({len(line) for line in lines}) == 1  # every line padded to the same width


def test_csv_header_and_rows(db, capsys):
    out = run(capsys, "--by", "direction", "--format", "csv", "--db", str(db))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["direction"] == "" and rows[0]["reports"] == "3"  # no direction stated in the registry
    assert float(rows[0]["grant_amount"]) == 3_500_000


def test_unknown_region_is_one_line_error(db, capsys):
    capsys.readouterr()
    assert main(["summary", "--region", "XX-1", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown region code") and err.count("\n") == 1


def test_missing_database_is_an_error_not_a_traceback(tmp_path, capsys):
    assert main(["summary", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert capsys.readouterr().err.startswith("error:")


def test_cached_facts_follow_a_new_load(tmp_path):
    con = store.connect(tmp_path / "c.duckdb")
    one = Report(grantee="ОО «А»", contract_no="1", year=2023, grant_amount=Number(100))
    store.save_files(con, [store.ParsedFile("a", "a", "sha-a", 1, "registry", [one])])
    assert metrics.headline(con).grant_amount.iloc[0] == 100
    two = Report(grantee="ОО «Б»", contract_no="2", year=2023, grant_amount=Number(50))
    store.save_files(con, [store.ParsedFile("b", "b", "sha-b", 1, "registry", [two])])
    assert metrics.headline(con).grant_amount.iloc[0] == 150
    one_again = Report(grantee="ОО «А»", contract_no="1", year=2023, grant_amount=Number(70))  # replaces report 1
    store.save_files(con, [store.ParsedFile("a2", "a2", "sha-a2", 1, "registry", [one_again])])
    assert metrics.headline(con).grant_amount.iloc[0] == 120
    con.close()


def test_summary_piped_into_head_ends_quietly(tmp_path):
    """`summary | head -1`: the reader closes the pipe early; no 'Broken pipe' error line, exit 0."""
    import os
    import subprocess
    import sys

    db = tmp_path / "g.duckdb"
    rows = "\n".join(f"ОО «Фонд {i}»;г. Алматы;{i} 000 000;К-{i}" for i in range(1, 2000))
    (tmp_path / "a.csv").write_text("Грантополучатель;Регион;Сумма гранта;Номер договора\n" + rows + "\n",
                                    encoding="utf-8")
    assert main(["ingest", str(tmp_path / "a.csv"), "--db", str(db), "--workers", "0"]) == 0
    done = subprocess.run(f"'{sys.executable}' -m grantstats summary --by ngo --db '{db}' | head -1; "
                          "exit ${PIPESTATUS[0]}", shell=True, executable="/bin/bash", capture_output=True,
                          text=True, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert done.stdout.startswith("ngo"), done.stdout
    assert done.stderr == "" and done.returncode == 0, (done.returncode, done.stderr)
