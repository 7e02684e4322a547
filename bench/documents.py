"""Documents: milliseconds per report for a Word report (.docx) and for a PDF exported from Word, in one process.

The report is the real example of tests/word_report.py (18 pages as a PDF: its activities table runs over eight
pages, most rows broken by a page), as python-docx writes it and LibreOffice exports it to PDF. Each figure is
the median of `runs` readings of the whole path a file takes in a parsing worker (worker.parse_file with
worker.read_for_store: the safety check, the reader, the quality rules, the table rows), after one reading to
warm the caches; CPU milliseconds beside it, the host being shared.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from bench.common import Figure, fig, skipped

TARGET_DOCX_MS = 30
TARGET_PDF_MS = 300


def _timed(path: Path, runs: int) -> tuple[float, float]:
    """(median wall ms, median CPU ms) of reading one report file as a worker does."""
    from grantstats.safety import Limits
    from grantstats.worker import parse_file, read_for_store

    limits = Limits.from_env()
    outcome = parse_file(read_for_store, path, limits)
    if isinstance(outcome, Exception):
        raise RuntimeError(str(outcome))
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        parse_file(read_for_store, path, limits)
        walls.append(1000 * (time.perf_counter() - wall))
        cpus.append(1000 * (time.process_time() - cpu))
    return statistics.median(walls), statistics.median(cpus)


def run(workdir: Path, runs: int = 20, log=print) -> tuple[list[Figure], dict[str, Any]]:
    from tests import word_report

    folder = workdir / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    docx = word_report.build_docx(folder / "example.docx")
    wall, cpu = _timed(docx, runs)
    log(f"  .docx: {wall:.1f} ms a report (CPU {cpu:.1f} ms)")
    figures = [fig("documents: Word report (.docx), one process", wall, "ms", f"<= {TARGET_DOCX_MS}",
                   note=f"median of {runs}; CPU {cpu:.1f} ms; safety check, reader, quality rules, rows")]
    details: dict[str, Any] = {"docx_ms": wall, "docx_cpu_ms": cpu, "runs": runs}
    if word_report.soffice() is None:
        figures.append(skipped("documents: PDF report, one process", "ms", f"<= {TARGET_PDF_MS}",
                               "LibreOffice (soffice) is not installed to make the PDF"))
        return figures, details
    [pdf] = word_report.to_pdf([docx], folder)
    pdf_runs = max(3, runs // 2)
    wall, cpu = _timed(pdf, pdf_runs)
    log(f"  PDF: {wall:.1f} ms a report (CPU {cpu:.1f} ms)")
    figures.append(fig("documents: PDF report, one process", wall, "ms", f"<= {TARGET_PDF_MS}",
                       note=f"median of {pdf_runs}; CPU {cpu:.1f} ms; the 18-page example exported by LibreOffice"))
    details.update(pdf_ms=wall, pdf_cpu_ms=cpu, pdf_runs=pdf_runs)
    return figures, details
