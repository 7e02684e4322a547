"""Files uploaded in the browser: keep each in the archive, read it in a dry run, then save or drop the lot.

    planned = dry_run(con, [("svod.xlsx", data), ...])   # archive + guarded parse + quality; no database write
    plan_table(planned), findings_table(planned)          # what was read and what it would replace
    results = commit(con, planned)                        # one transaction (store.save_files), FileResult lines

Cancelling is doing nothing: the database is untouched by the dry run, and the files stay in the archive
(``data/archive/<sha256><suffix>``, or ``$GRANTSTATS_ARCHIVE``) whether they are loaded or not.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from grantstats import store
from grantstats.history import WRITE_LOCK
from grantstats.ingest import FileResult, _reason, prepare_parsed, save_parsed
from grantstats.model import ReadError, Report
from grantstats.store import ParsedFile, planned_report_ids

UPLOAD_TYPES = ("xlsx", "xlsm", "xlsb", "xls", "ods", "csv")
"""The suffixes the upload page accepts (the reader goes by content; safety.check_file refuses the rest)."""

PLAN_COLUMNS = ["file", "status", "report_id", "grantee", "title", "contract_no", "year", "regions", "direction",
                "grant_amount", "direct_plan", "direct_fact", "indirect_fact", "participants", "errors", "warnings",
                "replaces"]
"""Columns of :func:`plan_table`: one row a report (a refused or unchanged file: one row, report columns empty).
``status`` is new | replaces | unchanged | refused; ``replaces`` says which stored report (and from which
file) or which earlier file of this upload the report takes the place of."""

FINDING_COLUMNS = ["file", "report_id", "grantee", "severity", "rule", "message_ru", "message_en", "sheet", "cell"]


@dataclass
class PlannedReport:
    """One report found in an uploaded file, with its key figures and what it would replace."""

    report_id: str
    grantee: str | None
    title: str | None
    contract_no: str | None
    year: int | None
    regions: str | None
    direction: str | None
    grant_amount: float | None
    direct_plan: float | None
    direct_fact: float | None
    indirect_fact: float | None
    participants: float | None
    errors: int
    warnings: int
    replaces_report: dict[str, Any] | None = None  # the stored report it replaces: report_id, grantee, file_name, loaded_at
    replaces_in_upload: str | None = None  # an earlier file of this upload holding the same report


@dataclass
class PlannedFile:
    """One uploaded file after the dry run: refused (with the reason), unchanged (already loaded), or new."""

    name: str
    sha256: str
    size: int
    archive_path: Path | None
    status: str  # new | unchanged | refused
    message: str = ""
    parsed: ParsedFile | None = None
    reports: list[PlannedReport] = field(default_factory=list)

    @property
    def replacements(self) -> int:
        return sum(1 for r in self.reports if r.replaces_report or r.replaces_in_upload)


def archive_dir(db: str | os.PathLike | None = None) -> Path:
    """Where uploads are kept: $GRANTSTATS_ARCHIVE, else an `archive` folder next to the database."""
    env = os.environ.get("GRANTSTATS_ARCHIVE")
    return Path(env) if env else store.resolve_db_path(db).parent / "archive"


def display_name(name: str) -> str:
    """The uploaded file's own name, without any folder part or control characters, at most 200 characters."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip() or "file"
    return base if len(base) <= 200 else base[:150] + "…" + base[-49:]


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""


def archive_bytes(name: str, data: bytes, folder: str | os.PathLike) -> tuple[Path, str]:
    """Keep the bytes as `<folder>/<sha256><suffix>` (written once, atomically): (path, sha256)."""
    digest = hashlib.sha256(data).hexdigest()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}{_suffix(name)}"
    if not path.exists() or path.stat().st_size != len(data):
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return path, digest


def dry_run(con, files: list[tuple[str, bytes]], archive: str | os.PathLike | None = None,
            workers: int | None = None, limits=None) -> list[PlannedFile]:
    """Archive and read every upload as `ingest` would (guarded worker, quality findings), and work out
    what loading would do — without writing to the database. `con` is only read."""
    from grantstats.worker import ParsePool

    folder = Path(archive) if archive else archive_dir()
    planned: list[PlannedFile] = []
    for name, data in files:
        shown = display_name(name)
        path, digest = archive_bytes(shown, bytes(data), folder)
        planned.append(PlannedFile(shown, digest, len(data), path, "new"))
    if not planned:
        return []
    with ParsePool(limits, workers=workers) as pool:
        outcomes = [outcome for _, outcome in pool.parse_many([p.archive_path for p in planned])]
    for item, outcome in zip(planned, outcomes):
        if isinstance(outcome, ReadError):
            item.status = "refused"
            message = str(outcome).replace(item.archive_path.name, item.name)
            item.message = _reason(ReadError(message), item.name)
            continue
        layout, reports = outcome
        item.parsed = prepare_parsed(item.archive_path, layout, reports, name=item.name, sha256=item.sha256)
    _plan(con, planned)
    return planned


def _plan(con, planned: list[PlannedFile]) -> None:
    """Mark files already loaded as unchanged and each report's replacement, reading the database only."""
    read = [p for p in planned if p.parsed is not None]
    known = {}
    if read:
        known = {sha: (name, loaded_at) for sha, name, loaded_at in con.execute(
            "SELECT sha256, name, loaded_at FROM files WHERE sha256 IN (SELECT unnest(?::VARCHAR[]))",
            [[p.sha256 for p in read]]).fetchall()}
    seen_sha: dict[str, str] = {}
    in_upload: dict[str, str] = {}  # report id -> file of this upload that holds it
    ids_of: dict[int, list[str]] = {}
    for item in read:
        if item.sha256 in known:
            name, loaded_at = known[item.sha256]
            when = loaded_at.strftime("%Y-%m-%d %H:%M") if loaded_at else "earlier"
            item.status, item.message = "unchanged", f"already loaded ({name}, {when}): nothing would change"
            continue
        if item.sha256 in seen_sha:
            item.status, item.message = "unchanged", f"the same file as {seen_sha[item.sha256]} in this upload"
            continue
        seen_sha[item.sha256] = item.name
        ids = planned_report_ids(item.parsed.reports)
        ids_of[id(item)] = [rid for _, rid in ids]
        for report, (_, report_id) in zip(item.parsed.reports, ids):
            planned_report = _key_figures(report, report_id)
            if report_id in in_upload:
                planned_report.replaces_in_upload = in_upload[report_id]
            in_upload[report_id] = item.name
            item.reports.append(planned_report)
    all_ids = sorted(in_upload)
    stored = {}
    if all_ids:
        stored = {r[0]: {"report_id": r[0], "grantee": r[1], "title": r[2], "file_name": r[3], "loaded_at": r[4]}
                  for r in con.execute(
                      "SELECT report_id, grantee, title, file_name, loaded_at FROM reports"
                      " WHERE report_id IN (SELECT unnest(?::VARCHAR[]))", [all_ids]).fetchall()}
    for item in read:
        for report in item.reports:
            report.replaces_report = stored.get(report.report_id)


def _key_figures(report: Report, report_id: str) -> PlannedReport:
    direct = report.indicators.get("direct_beneficiaries")
    indirect = report.indicators.get("indirect_beneficiaries")
    gender_total = None
    if report.participants_total.value is None:
        gender = [p.people for p in report.participants if p.dimension == "gender" and p.people is not None]
        gender_total = sum(gender) if gender else None
    return PlannedReport(
        report_id=report_id, grantee=report.grantee, title=report.title, contract_no=report.contract_no,
        year=report.effective_year(), regions=",".join(code for code, _ in report.regions) or None,
        direction=report.direction, grant_amount=report.grant_amount.value,
        direct_plan=direct.plan.value if direct else None, direct_fact=direct.fact.value if direct else None,
        indirect_fact=indirect.fact.value if indirect else None,
        participants=report.participants_total.value if report.participants_total.value is not None else gender_total,
        errors=sum(1 for f in report.findings if f.severity == "error"),
        warnings=sum(1 for f in report.findings if f.severity == "warning"))


def _replaces_text(report: PlannedReport) -> str | None:
    if report.replaces_in_upload:
        return f"{report.report_id} from {report.replaces_in_upload} (this upload)"
    old = report.replaces_report
    if old:
        when = old["loaded_at"].strftime("%Y-%m-%d") if isinstance(old["loaded_at"], datetime) else ""
        return f"{old['report_id']} from {old['file_name']}" + (f", loaded {when}" if when else "")
    return None


def plan_table(planned: list[PlannedFile]) -> pd.DataFrame:
    """What the dry run found, one row a report: :data:`PLAN_COLUMNS`."""
    rows: list[dict[str, Any]] = []
    for item in planned:
        if item.status != "new" or not item.reports:
            rows.append({"file": item.name, "status": item.status if item.status != "new" else "empty",
                         "title": item.message or None})
            continue
        for r in item.reports:
            rows.append({
                "file": item.name, "status": "replaces" if (r.replaces_report or r.replaces_in_upload) else "new",
                "report_id": r.report_id, "grantee": r.grantee, "title": r.title, "contract_no": r.contract_no,
                "year": r.year, "regions": r.regions, "direction": r.direction, "grant_amount": r.grant_amount,
                "direct_plan": r.direct_plan, "direct_fact": r.direct_fact, "indirect_fact": r.indirect_fact,
                "participants": r.participants, "errors": r.errors, "warnings": r.warnings,
                "replaces": _replaces_text(r)})
    df = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    for column in ("year", "errors", "warnings"):
        df[column] = df[column].astype("Int64")
    return df


def findings_table(planned: list[PlannedFile]) -> pd.DataFrame:
    """Every finding about the reports read, errors first: :data:`FINDING_COLUMNS`."""
    rows = []
    order = {"error": 0, "warning": 1}
    for item in planned:
        if item.parsed is None or item.status != "new":
            continue
        for report, planned_report in zip(item.parsed.reports, item.reports):
            for f in report.findings:
                rows.append({"file": item.name, "report_id": planned_report.report_id, "grantee": report.grantee,
                             "severity": f.severity, "rule": f.rule, "message_ru": f.message_ru,
                             "message_en": f.message_en, "sheet": f.sheet, "cell": f.cell})
    rows.sort(key=lambda r: order.get(r["severity"], 2))
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def summary_counts(planned: list[PlannedFile]) -> dict[str, int]:
    """files, refused, unchanged, reports (to be loaded), replacing, errors, warnings."""
    new = [p for p in planned if p.status == "new"]
    reports = [r for p in new for r in p.reports]
    return {"files": len(planned), "refused": sum(p.status == "refused" for p in planned),
            "unchanged": sum(p.status == "unchanged" for p in planned), "reports": len(reports),
            "replacing": sum(1 for r in reports if r.replaces_report or r.replaces_in_upload),
            "errors": sum(r.errors for r in reports), "warnings": sum(r.warnings for r in reports)}


def commit(con, planned: list[PlannedFile]) -> list[FileResult]:
    """Save what the dry run read, in one transaction (the ingest code path: store.save_files, then the
    cross-report findings); refused files stay refused. One FileResult per planned file, in order.

    The database may have changed since the dry run: save_files decides again (a file loaded meanwhile is
    unchanged; a report loaded meanwhile is replaced and kept in the history)."""
    to_save = [p.parsed for p in planned if p.parsed is not None]
    saved: list[FileResult] = []
    if to_save:
        with WRITE_LOCK:
            saved = save_parsed(con, to_save)
    results, it = [], iter(saved)
    for item in planned:
        if item.parsed is None:
            results.append(FileResult(item.name, str(item.archive_path or ""), "refused", message=item.message))
        else:
            results.append(next(it))
    return results


__all__ = ["dry_run", "commit", "plan_table", "findings_table", "summary_counts", "archive_dir", "archive_bytes",
           "PlannedFile", "PlannedReport", "UPLOAD_TYPES", "PLAN_COLUMNS", "FINDING_COLUMNS"]
