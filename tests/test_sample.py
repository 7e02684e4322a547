"""The synthetic sample goes through the real readers and comes back as it was generated."""

from __future__ import annotations

import json

from grantstats.cli import main
from grantstats.numbers import percent_to_people
from grantstats.sample import make_reports


def test_sample_round_trips_through_ingest(tmp_path, capsys):
    out = tmp_path / "sample"
    assert main(["sample", "--reports", "80", "--out", str(out), "--seed", "7"]) == 0
    db = tmp_path / "g.duckdb"
    code = main(["ingest", str(out), "--db", str(db), "--workers", "0"])
    log = capsys.readouterr().out
    assert code == 0, log
    assert "80 reports" in log.splitlines()[-1]
    assert main(["show", "--json", "--db", str(db)]) == 0
    loaded = {r["contract_no"]: r for r in json.loads(capsys.readouterr().out)}
    layouts = {r["source"]["layout"] for r in loaded.values()}
    assert layouts == {"form", "registry", "tidy"}
    for generated in make_reports(80, 7):
        got = loaded[generated["contract_no"]]
        assert got["grant_amount"] == generated["grant_amount"]
        assert got["regions"] == generated["regions"], (generated["region_text"], got["region_text"], got["source"])
        assert got["direction"] == generated["direction"]
        assert got["year"] == generated["year"]
        assert {y: a for y, a in got["amount_by_year"].items()} == generated["amount_by_year"]
        for code, values in generated["indicators"].items():
            if code in ("direct_beneficiaries", "staff", "payroll", "taxes"):
                assert got["indicators"][code]["plan"] == values["plan"]
                assert got["indicators"][code]["fact"] == values["fact"]
        if not generated["percent_tables"]:
            assert got["gender"] == generated["gender"]
        else:  # written as whole percents of the total, read back as people (halves up)
            total = generated["participants_total"]
            expected = {k: percent_to_people(round(100 * v / total), total) for k, v in generated["gender"].items()}
            assert got["gender"] == expected
