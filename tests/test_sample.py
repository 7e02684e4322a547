"""The synthetic sample goes through the real readers and comes back as it was generated."""

from __future__ import annotations

import json

from grantstats import sample
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


def test_activities_take_no_draws_from_the_other_fields(monkeypatch):
    with_activities = make_reports(120, 7)
    monkeypatch.setattr(sample, "make_activities", lambda *args: [])
    without = make_reports(120, 7)
    assert [{**r, "activities": []} for r in with_activities] == without


def test_activities_are_held_in_the_report_year_and_its_regions():
    for r in make_reports(200, 3):
        assert 2 <= len(r["activities"]) <= 6
        settlements = [s for code in r["regions"] for s in sample.SETTLEMENTS[code]] or ["офис объединения"]
        for a in r["activities"]:
            assert a["task"].startswith("Задача ") and a["activity"] and a["participants_text"]
            assert str(r["year"]) in a["date_text"]
            assert a["place"] in sample.ONLINE_PLACES or any(a["place"].startswith(s) for s in settlements), a


def test_no_activity_text_reads_as_a_passport_label():
    """A place such as «офис организации» reads as «организация» (the grantee): the sample's activities name no
    passport field (the registry reader no longer takes such a row for a header: see tests/test_template.py)."""
    from grantstats.readers.form import field_of_label

    for r in make_reports(300, 5):
        for a in r["activities"]:
            for key in ("task", "activity", "date_text", "place", "participants_text", "results", "indicator", "effect"):
                assert field_of_label(a[key]) == (None, None), (key, a[key])
