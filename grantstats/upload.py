"""Files uploaded in the browser: read them in a dry run, then save or drop the lot.

    planned = dry_run(con, [("svod.xlsx", data), ...], archive, scope=...)  # guarded parse + quality; no write
    plan_table(planned), findings_table(planned)          # what was read and what it would replace
    results = commit(con, planned)                        # one transaction (store.save_files), FileResult lines
    discard(planned)                                      # cancel: the uploaded bytes are deleted

The dry run keeps the bytes in ``<archive>/.pending/`` while the person decides; a load moves each file it
saved into the archive (``data/archive/<sha256><suffix>``, or ``$GRANTSTATS_ARCHIVE``) after the transaction
commits; a refused file, a cancelled upload and an abandoned one (after PENDING_HOURS) leave nothing behind.
With a ``scope`` (the regions a person may load for), a file holding a report of another region, or one that
would replace a report of another region, is refused in the plan with the reason.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from grantstats import scope as scopes, store
from grantstats.ingest import FileResult, prepare_parsed, save_parsed
from grantstats.model import ReadError, Report
from grantstats.refusals import refusal_line
from grantstats.names import visible
from grantstats.store import ParsedFile, planned_report_ids

UPLOAD_TYPES = ("xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "docx", "pdf")
"""The suffixes the upload page accepts (the reader goes by content; safety.check_file refuses the rest)."""

PLAN_COLUMNS = ["file", "status", "report_id", "grantee", "title", "contract_no", "year", "regions", "direction",
                "grant_amount", "direct_plan", "direct_fact", "indirect_fact", "participants", "errors", "warnings",
                "replaces", "replaces_id", "replaces_file", "replaces_loaded_at", "replaces_in_upload"]
"""Columns of :func:`plan_table`: one row a report (a refused or unchanged file: one row, report columns empty).
``status`` is new | replaces | unchanged | refused; ``replaces`` says in a line which stored report (and from
which file) or which earlier file of this upload the report takes the place of; ``replaces_id``,
``replaces_file``, ``replaces_loaded_at`` and ``replaces_in_upload`` (a file of this upload) say it in parts, for a
page to say in its language."""

FINDING_COLUMNS = ["file", "report_id", "grantee", "severity", "rule", "message_ru", "message_en", "sheet", "cell",
                   "params"]


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
    archive_path: Path | None  # where the file is kept once loaded
    status: str  # new | unchanged | refused
    message: str = ""  # the English line of a refusal or of an unchanged file
    parsed: ParsedFile | None = None
    reason: str | None = None  # why: a grantstats.refusals reason, or already_loaded / same_in_upload
    params: dict[str, Any] = field(default_factory=dict)  # the particulars of the reason
    reports: list[PlannedReport] = field(default_factory=list)
    pending_path: Path | None = None  # where its bytes wait until it is loaded or dropped

    @property
    def replacements(self) -> int:
        return sum(1 for r in self.reports if r.replaces_report or r.replaces_in_upload)


def archive_dir(db: str | os.PathLike | None = None) -> Path:
    """Where uploads are kept: $GRANTSTATS_ARCHIVE, else an `archive` folder next to the database."""
    env = os.environ.get("GRANTSTATS_ARCHIVE")
    return Path(env) if env else store.resolve_db_path(db).parent / "archive"


def original_file(path: str | None, sha256: str, name: str | None = None, size: int | None = None,
                  archive: str | os.PathLike | None = None) -> Path | None:
    """Where the bytes of a loaded file are now: the archive's copy (``<sha256><suffix>``, kept for every upload),
    else the path it was loaded from while it still has the size it had (a changed file is loaded again, and
    then has another content hash); None when neither is there."""
    folder = Path(archive) if archive else archive_dir()
    kept = folder / f"{sha256}{_suffix(name or path or '')}"
    if kept.is_file():
        return kept
    if path and Path(path).is_file() and (size is None or Path(path).stat().st_size == size):
        return Path(path)
    return None


def display_name(name: str) -> str:
    """The uploaded file's own name, without any folder part or control characters (bidi and invisible ones made
    visible), at most 200 characters."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = visible(re.sub(r"[\x00-\x1f\x7f]", "", base).strip()) or "file"
    return base if len(base) <= 200 else base[:150] + "…" + base[-49:]


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""


PENDING = ".pending"
PENDING_HOURS = 24
"""Uploads neither loaded nor cancelled (a closed tab) are deleted from the pending folder after this long."""


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


def _drop_abandoned(pending: Path) -> None:
    cutoff = time.time() - PENDING_HOURS * 3600
    for old in pending.glob("*"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


def dry_run(con, files: list[tuple[str, bytes]], archive: str | os.PathLike | None = None,
            workers: int | None = None, limits=None, scope: tuple[str, ...] | None = None) -> list[PlannedFile]:
    """Read every upload as `ingest` would (guarded worker, quality findings) and work out what loading would
    do, without writing to the database or the archive (the bytes wait in its pending folder). `con` is only
    read. With `scope`, files with a report outside those regions are refused."""
    from grantstats.worker import ParsePool

    folder = Path(archive) if archive else archive_dir()
    pending = folder / PENDING
    pending.mkdir(parents=True, exist_ok=True)
    _drop_abandoned(pending)
    planned: list[PlannedFile] = []
    for name, data in files:
        shown = display_name(name)
        path, digest = archive_bytes(shown, bytes(data), pending)
        planned.append(PlannedFile(shown, digest, len(data), folder / path.name, "new", pending_path=path))
    if not planned:
        return []
    with ParsePool(limits, workers=workers) as pool:
        outcomes = [outcome for _, outcome in pool.parse_many([p.pending_path for p in planned])]
    for item, outcome in zip(planned, outcomes):
        if isinstance(outcome, ReadError):
            refused = outcome.named(item.name, item.pending_path.name)
            item.status, item.message = "refused", refused.line
            item.reason, item.params = refused.reason, dict(refused.params)
            continue
        layout, reports = outcome
        item.parsed = prepare_parsed(item.pending_path, layout, reports, name=item.name, sha256=item.sha256)
        item.parsed.path = str(item.archive_path.resolve())  # where it is kept once loaded
    _plan(con, planned)
    _refuse_outside(con, planned, scope)
    for item in planned:
        if item.status == "refused":
            _drop(item)
    return planned


def _outside_scope(con, item: PlannedFile, scope: tuple[str, ...] | None) -> tuple[str, dict[str, Any]] | None:
    """Why a read file may not be loaded by someone limited to `scope` (a reason of grantstats.refusals and its
    particulars), or None."""
    if scope is None or item.parsed is None:
        return None
    allowed = ", ".join(scope)
    for report, planned_report in zip(item.parsed.reports, item.reports):
        codes = [code for code, _ in report.regions]
        if not scopes.regions_in_scope(codes, scope):
            return "outside_regions", {"report": planned_report.report_id, "grantee": planned_report.grantee or "—",
                                       "where": ", ".join(codes) or "—", "allowed": allowed}
    ids = [r.report_id for r in item.reports]
    stored = list(store.report_summaries(con, ids)) if ids else []  # (asked again at commit: it may have changed)
    visible = set(scopes.visible_reports(con, stored, scope))
    for report_id in stored:
        if report_id not in visible:
            return "replaces_other_region", {"report": report_id, "allowed": allowed}
    return None


def _refuse(item: PlannedFile, why: tuple[str, dict[str, Any]]) -> None:
    item.reason, item.params = why
    item.status, item.message, item.parsed = "refused", refusal_line(*why), None


def _refuse_outside(con, planned: list[PlannedFile], scope: tuple[str, ...] | None) -> None:
    for item in planned:
        if item.status == "new":
            why = _outside_scope(con, item, scope)
            if why:
                _refuse(item, why)


def _drop(item: PlannedFile) -> None:
    if item.pending_path is not None:
        item.pending_path.unlink(missing_ok=True)


def discard(planned: list[PlannedFile]) -> None:
    """Cancel: delete the uploaded bytes waiting in the pending folder."""
    for item in planned:
        _drop(item)


def _plan(con, planned: list[PlannedFile]) -> None:
    """Mark files already loaded as unchanged and each report's replacement, reading the database only."""
    read = [p for p in planned if p.parsed is not None]
    known = store.loaded_files(con, [p.sha256 for p in read]) if read else {}
    seen_sha: dict[str, str] = {}
    in_upload: dict[str, str] = {}  # report id -> file of this upload that holds it
    ids_of: dict[int, list[str]] = {}
    for item in read:
        if item.sha256 in known:
            name, loaded_at = known[item.sha256]
            when = loaded_at.strftime("%Y-%m-%d %H:%M") if loaded_at else "earlier"
            item.status, item.message = "unchanged", f"already loaded ({name}, {when}): nothing would change"
            item.reason, item.params = "already_loaded", {"file": name, "loaded_at": loaded_at}
            continue
        if item.sha256 in seen_sha:
            item.status, item.message = "unchanged", f"the same file as {seen_sha[item.sha256]} in this upload"
            item.reason, item.params = "same_in_upload", {"file": seen_sha[item.sha256]}
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
    stored = store.report_summaries(con, all_ids) if all_ids else {}
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
            old = r.replaces_report or {}
            rows.append({
                "file": item.name, "status": "replaces" if (r.replaces_report or r.replaces_in_upload) else "new",
                "report_id": r.report_id, "grantee": r.grantee, "title": r.title, "contract_no": r.contract_no,
                "year": r.year, "regions": r.regions, "direction": r.direction, "grant_amount": r.grant_amount,
                "direct_plan": r.direct_plan, "direct_fact": r.direct_fact, "indirect_fact": r.indirect_fact,
                "participants": r.participants, "errors": r.errors, "warnings": r.warnings,
                "replaces": _replaces_text(r), "replaces_id": old.get("report_id"), "replaces_file": old.get("file_name"),
                "replaces_loaded_at": old.get("loaded_at"), "replaces_in_upload": r.replaces_in_upload})
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
                             "message_en": f.message_en, "sheet": f.sheet, "cell": f.cell, "params": f.params})
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


def commit(con, planned: list[PlannedFile], scope: tuple[str, ...] | None = None) -> list[FileResult]:
    """Save what the dry run read, in one transaction (the ingest code path: store.save_files, then the
    cross-report findings); refused files stay refused. One FileResult per planned file, in order. The files
    saved move into the archive once the transaction commits; the others' bytes are deleted.

    The database may have changed since the dry run: save_files decides again (a file loaded meanwhile is
    unchanged; a report loaded meanwhile is replaced and kept in the history), and the scope is checked again."""
    for item in planned:
        if item.parsed is not None and scope is not None:
            why = _outside_scope(con, item, scope)
            if why:
                _refuse(item, why)
    to_save = [p.parsed for p in planned if p.parsed is not None]
    saved: list[FileResult] = []
    if to_save:
        with store.WRITE_LOCK:
            saved = save_parsed(con, to_save)
    results, it = [], iter(saved)
    for item in planned:
        if item.parsed is None:
            results.append(FileResult(item.name, str(item.archive_path or ""), "refused", message=item.message,
                                      reason=item.reason, params=item.params))
        else:
            results.append(next(it))
            if results[-1].status == "refused":  # the store would not take it: say why in the page's language
                item.reason, item.params = results[-1].reason, results[-1].params
        if results[-1].status == "loaded" and item.pending_path is not None and item.pending_path.exists():
            os.replace(item.pending_path, item.archive_path)
        else:
            _drop(item)
    return results


__all__ = ["dry_run", "commit", "discard", "original_file", "plan_table", "findings_table", "summary_counts", "archive_dir", "archive_bytes",
           "PlannedFile", "PlannedReport", "UPLOAD_TYPES", "PLAN_COLUMNS", "FINDING_COLUMNS"]
