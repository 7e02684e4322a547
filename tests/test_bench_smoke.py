"""A tiny run of every benchmark part so the benchmark code cannot rot (figures are not checked against targets)."""

from __future__ import annotations

import json

import pytest

import bench.__main__ as runner


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    results = work / "results.json"
    parts = tuple(p for p in runner.PARTS if p != "load")  # the load part has its own test (test_bench_load)
    out = runner.run(parts, files=6, db_reports=300, runs=2, page_runs=1, workdir=work, results=results, log=lambda *a: None)
    out["workdir"] = work
    return out, json.loads(results.read_text(encoding="utf-8"))


def test_every_part_runs_and_reports_figures(smoke):
    out, saved = smoke
    assert out["errors"] == {}
    assert saved["figures"] and saved["host"]["nproc"] and saved["when"]
    for f in saved["figures"]:
        assert set(f) >= {"name", "value", "unit", "target", "met"}


def test_ingest_part_loads_every_file(smoke):
    out, _ = smoke
    assert out["details"]["ingest"]["refused"] == 0
    names = [f["name"] for f in out["figures"]]
    assert any(n.startswith("ingest: files per second") for n in names)


def test_table_prints_target_beside_each_figure(smoke):
    out, _ = smoke
    table = runner.format_table([runner.Figure(**f) for f in out["figures"]])
    assert len(table.splitlines()) == len(out["figures"]) + 2


def test_query_part_times_every_page_call_against_pandas(smoke):
    out, _ = smoke
    from bench import queries

    calls = out["details"]["queries"]["calls"]
    assert {c["call"] for c in calls} == {label for label, _, _ in queries.CALLS}
    assert out["details"]["queries"]["sanity"]["same"]


def test_pages_memory_and_export_parts_report_their_figures(smoke):
    out, _ = smoke
    names = [f["name"] for f in out["figures"]]
    assert "pages: first load of the app process" in names
    assert any(n.startswith("memory: dashboard process peak") for n in names)
    assert any(n.startswith("export: summary workbook") for n in names)
    assert out["details"]["pages"]["pages"] and not out["details"]["pages"]["errors"]


def test_archive_part_loads_the_files_into_a_copy_of_the_query_database(smoke):
    out, _ = smoke
    details = out["details"]["archive"]
    # 300 reports in the query database, then the ingest part's 6 files on top (their reports, counted there)
    assert details["reports_before"] == 300
    assert details["reports_after"] == 300 + out["details"]["ingest"]["ingest_mix"]["reports"]
    assert not list(out["workdir"].glob("archive*"))  # the copy is removed, its cache file too


def test_documents_part_times_a_word_and_a_pdf_report(smoke):
    out, _ = smoke
    names = [f["name"] for f in out["figures"]]
    assert "documents: Word report (.docx), one process" in names
    assert "documents: PDF report, one process" in names
    assert out["details"]["documents"]["docx_ms"] > 0


def test_publish_part_times_a_load_becoming_visible_to_readers(smoke):
    out, _ = smoke
    figures = {f["name"]: f for f in out["figures"]}
    visible = figures["publish: a load visible to readers (commit → snapshot ready)"]
    assert visible["value"] > 0 and visible["target"] == "<= 2.0"
    after = out["details"]["publish"]["after_load"]
    assert after["generation"] == 2 and after["reports"] == 301  # the bench database and the one file loaded
    assert after["publish_s"] >= after["copy_s"] + after["cache_s"] > 0


def test_help_and_an_unknown_part_answer_in_one_line_without_running_anything(capsys):
    assert runner.main(["--help"]) == 0
    assert "python -m bench [--quick] [part ...]" in capsys.readouterr().out
    assert runner.main(["querys"]) == 2
    assert capsys.readouterr().err.strip() == ("unknown part 'querys': use --quick and any of ingest, queries, pages, "
                                               "export, archive, documents, publish, load")
