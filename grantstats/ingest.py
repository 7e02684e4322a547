"""Load files into the store: read each in a guarded worker, check quality, save in batches (which files, and
the line each one gets: grantstats.gather)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

import duckdb

from grantstats import outliers
from grantstats.findings import checks, duplicates
from grantstats.model import ReadError, Report
from grantstats.gather import FileResult, collect_paths, skip_reason  # noqa: F401 - re-exported
from grantstats.names import visible
from grantstats.rows import ROW_COLUMNS
from grantstats.refusals import refusal
from grantstats.store import ParsedFile, SaveOutcome, file_sha256, save_files
from grantstats.worker import ParsePool, read_for_store

BATCH_FILES = 250
MIN_BATCH_FILES = 16


def ingest_paths(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    workers: int | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    batch_files: int = BATCH_FILES,
    limits=None,
    pool: ParsePool | None = None,
) -> list[FileResult]:
    """Read and save every file; a refused file leaves nothing behind and does not stop the others.

    `limits` (safety.Limits) bounds each file's size and the parsing workers; default: from the environment.
    `pool`: a ParsePool (reading with read_for_store) the caller started on these paths already; it stays open.
    """
    results: list[FileResult] = []
    pending: list[ParsedFile] = []

    def emit(result: FileResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    def flush() -> None:
        if not pending:
            return
        for result in save_parsed(con, pending, outliers_later=True):
            emit(result)
        pending.clear()

    # Each file is read in a guarded worker, which also checks each report's own quality rules.
    with nullcontext(pool) if pool else ParsePool(limits=limits, workers=workers, fn=read_for_store) as pool:
        for done, (path, parsed) in enumerate(pool.parse_many(paths), 1):
            if isinstance(parsed, ReadError):
                flush()
                emit(_refused(path.name, str(path), parsed))
                continue
            parsed.name = visible(path.name)  # as the user named it (a reader may have been given an alias)
            pending.append(parsed)
            if save_now(len(pending), batch_files, len(paths) - done, pool.next_ready()):
                flush()
    flush()
    outliers.refresh_if_stale(con)  # once for the whole load: every batch moved the peers' medians
    return results


def tail_batch(batch_files: int, files_left: int) -> int:
    """How many read files to save at once: `batch_files`, fewer as the last files come in, so that little is
    left to save once the workers have finished (batches are saved while the workers read on)."""
    return min(batch_files, max(MIN_BATCH_FILES, files_left // 2))


def save_now(pending: int, batch_files: int, files_left: int, next_ready: bool) -> bool:
    """Whether to save the read files in hand: a full batch; or a tail batch while the workers are still
    reading the next file. A small batch is not saved when more read files are already waiting (once the
    workers are done, the rest goes in one batch rather than in many, each paying a save's fixed cost)."""
    return pending >= batch_files or (pending >= tail_batch(batch_files, files_left) and not next_ready)


def prepare_parsed(path: Path, layout: str, reports: list[Report], name: str | None = None,
                   sha256: str | None = None) -> ParsedFile:
    """A read file with each report's quality findings attached, ready for save_files (`name` as shown)."""
    for report in reports:
        report.findings.extend(checks.findings_for(report))
    return ParsedFile(str(path.resolve()), visible(name or path.name), sha256 or file_sha256(path), path.stat().st_size,
                      layout, reports)


def save_parsed(con: duckdb.DuckDBPyConnection, parsed_files: list[ParsedFile],
                outliers_later: bool = False) -> list[FileResult]:
    """Save read files (one transaction with the cross-report findings, file by file if that fails): a line for
    each, in order; a file the store would not take is refused with nothing of it left behind. `outliers_later`:
    the outlier findings are only marked stale (a batch of a load, which refreshes them at its end)."""
    findings = _refresh_duplicates_mark_outliers if outliers_later else _refresh_cross_report
    try:
        return [_saved(parsed, outcome) for parsed, outcome
                in zip(parsed_files, save_files(con, parsed_files, before_commit=findings))]
    except _NOT_STORED as exc:
        if len(parsed_files) == 1:
            return [_not_stored(parsed_files[0], exc)]
    results = []
    for parsed in parsed_files:
        try:
            results.append(_saved(parsed, save_files(con, [parsed], before_commit=findings)[0]))
        except _NOT_STORED as exc:
            results.append(_not_stored(parsed, exc))
    return results


_NOT_STORED = (duckdb.Error, ValueError, TypeError, OverflowError)
"""What the store raises for a value it cannot take (out of range, of the wrong type); its transaction is rolled
back."""


def _saved(parsed: ParsedFile, outcome: SaveOutcome) -> FileResult:
    if outcome.status == "unchanged":
        return FileResult(parsed.name, parsed.path, "unchanged")
    sheets, unread = sheets_of(parsed)
    return FileResult(parsed.name, parsed.path, "loaded", len(outcome.report_ids), outcome.report_ids,
                      outcome.replaced, sha256=parsed.sha256, sheets=sheets, unread=unread)


def _not_stored(parsed: ParsedFile, error: Exception) -> FileResult:
    return _refused(parsed.name, parsed.path, refusal("not_stored", parsed.name, error=type(error).__name__))


def _refused(name: str, path: str, error: ReadError) -> FileResult:
    return FileResult(name, path, "refused", message=error.line, reason=error.reason, params=error.params)


_SHEET = ROW_COLUMNS["reports"].index("sheet")
_RULE, _FINDING_SHEET = ROW_COLUMNS["findings"].index("rule"), ROW_COLUMNS["findings"].index("sheet")
_SEVERITY = ROW_COLUMNS["findings"].index("severity")


def sheets_of(parsed: ParsedFile) -> tuple[list[tuple[str, int]], list[str]]:
    """How many reports a file's sheets gave (in the order first met) and the sheets it left a part unread on (an
    info unread_part, rows that are no reports such as a totals row, leaves nothing of a report unread)."""
    tables = parsed.table_rows().tables
    counts: dict[str, int] = {}
    for row in tables["reports"]:
        if row[_SHEET]:
            counts[row[_SHEET]] = counts.get(row[_SHEET], 0) + 1
    unread = list(dict.fromkeys(row[_FINDING_SHEET] for row in tables["findings"]
                                if row[_RULE] == "unread_part" and row[_FINDING_SHEET] and row[_SEVERITY] != "info"))
    return list(counts.items()), unread


def _refresh_cross_report(con: duckdb.DuckDBPyConnection) -> None:
    """The findings that compare reports: duplicates, and outliers among peers (issue #17)."""
    duplicates.refresh_cross_report_findings(con, since_last=True)
    outliers.refresh_outlier_findings(con)


def _refresh_duplicates_mark_outliers(con: duckdb.DuckDBPyConnection) -> None:
    """A batch of a load: its duplicates now; the outliers, which look at the whole archive, once the load ends."""
    duplicates.refresh_cross_report_findings(con, since_last=True)
    outliers.mark_stale(con)
