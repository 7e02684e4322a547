"""`make run` sets up quietly: the sample loads with one progress line counting the files (a refused file still
gets its own line, a skipped one is only counted), and the dashboard's header shows no «Deploy» button."""

from __future__ import annotations

import tomllib
from pathlib import Path

from grantstats.cli import main

ROOT = Path(__file__).resolve().parent.parent
HEADER = "Грантополучатель;Договор;Сумма гранта\n"


def test_ingest_progress_counts_files_on_one_line_and_still_names_each_refusal(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"svod_{i}.csv").write_text(HEADER + f"ОО «Алау {i}»;№ {i};100\n", encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "README.md").write_text("about these files", encoding="utf-8")  # not a report: counted, no line
    code = main(["ingest", str(folder), "--db", str(tmp_path / "g.duckdb"), "--workers", "0", "--progress"])
    out = capsys.readouterr().out
    assert code == 1  # a file was refused
    lines = out.split("\n")
    assert len(lines) == 3 and lines[-1] == ""  # the refusal, the closing count
    assert lines[0].rsplit("\r\033[K", 1)[-1].startswith("refused   scan.pdf: the PDF is damaged")
    assert lines[1].rsplit("\r\033[K", 1)[-1].startswith("5 files: 3 loaded (3 reports), 0 unchanged, 1 refused, 1 skipped")
    assert "4 of 4 files: 3 loaded (3 reports), 0 unchanged, 1 refused" in out  # the running line, rewritten
    assert "loaded    svod_" not in out


def test_make_run_loads_the_sample_with_the_progress_line():
    makefile = (ROOT / "Makefile").read_text()
    assert "ingest $(SAMPLE_DIR) --db $(DB) --progress" in makefile


def test_the_dashboard_header_has_no_deploy_button():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["toolbarMode"] == "viewer"
