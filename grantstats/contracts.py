"""The grantor's list of awarded grants: read it (any layout the registry reader accepts) and keep it.

A list is any sheet whose header row names contract fields: contract number and date, grantee, project,
region, direction, amount, period, and the report's due date («Срок сдачи отчета»); the header is found and
its columns classified by the registry reader (``readers.registry.find_header``), so the same wordings, the
same two-row headers and the same CSV dialects load. Each row becomes a contract keyed like a report of it
(``rows.report_identity``: the contract number and year, else grantee, title and year).

Reloading: a contract replaces the stored contract of the same key, whatever file it came from; contracts of
other keys stay. The grantor's list comes in parts (a year, a region) and as re-exports under new names, so a
file's identity says little, while the key is what a report of the contract carries too. ``replace_all``
(``ingest --contracts FILE --replace-contracts``) first drops every stored contract, for a list that is the
whole of it (a cancelled contract then leaves). Loading the same file again changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb

from grantstats.model import ReadError
from grantstats.refusals import refusal
from grantstats.rows import file_sha256, ngo_key, report_identity
from grantstats.text import normalize

DUE_DAYS_DEFAULT = 30
"""Days after the period's end a final report is due when the list gives no due date (domain.md: a month)."""
DUE_DAYS_ENV = "GRANTSTATS_DUE_DAYS"

CONTRACT_COLUMNS = ("contract_key", "contract_no", "contract_no_key", "contract_date", "grantee", "ngo_key", "title",
                    "year", "direction", "direction_text", "region_text", "grant_amount", "grant_amount_text",
                    "period_start", "period_end", "due_date", "due_date_text", "sheet", "cell")
"""The columns of a contract row as the reader gives it (the store adds the file's columns and load time)."""


def due_days(value: int | str | None = None) -> int:
    """The days after the period's end a report is due: the given value, else $GRANTSTATS_DUE_DAYS, else 30."""
    raw = value if value is not None else os.environ.get(DUE_DAYS_ENV, "").strip() or DUE_DAYS_DEFAULT
    try:
        days = int(raw)
    except (TypeError, ValueError):
        raise ValueError(f"the report due days must be a whole number of days, not {raw!r} (${DUE_DAYS_ENV})") from None
    if not 0 <= days <= 3650:
        raise ValueError(f"the report due days must be between 0 and 3650, not {days}")
    return days


@dataclass
class ContractsFile:
    """One contracts list as read: its rows (tuples of CONTRACT_COLUMNS), regions, and what was left out."""

    path: str
    name: str
    sha256: str
    size: int
    rows: list[tuple] = field(default_factory=list)
    regions: list[tuple[str, str | None, float]] = field(default_factory=list)  # (contract_key, region, share)
    notes: list[str] = field(default_factory=list)  # rows left out or read only in part, one line each


def read_contracts(path: str | os.PathLike) -> ContractsFile:
    """Read a contracts list (run in a guarded worker: safety-checked first). ReadError when no sheet has one."""
    from grantstats.readers.fields import parse_date
    from grantstats.readers.grid import cell_name, cell_text, load_grids
    from grantstats.readers.registry import _is_total_row, _read_row, find_header

    path = Path(path)
    grids = load_grids(path)
    out = ContractsFile(str(path.resolve()), path.name, file_sha256(path), path.stat().st_size)
    seen: dict[str, int] = {}
    found_header = False
    for grid in grids:
        header = find_header(grid)
        if header is None:
            continue
        found_header = True
        first, height, columns = header
        due_cols = [c for c, col in columns.items() if col.kind == "field" and col.code == "due_date"]
        for r in range(first + height, grid.height):
            if all(not grid.text(r, c) for c in columns) or _is_total_row(grid, r, columns):
                continue
            report = _read_row(grid, r, columns)
            where = f"{grid.name}!{cell_name(r, 0)}"
            if not report.contract_no and not (report.grantee and report.title):
                out.notes.append(f"{where}: left out — no contract number, nor grantee and project title")
                continue
            due_text = cell_text(grid.rows[r][due_cols[0]]) if due_cols and due_cols[0] < len(grid.rows[r]) else ""
            due = parse_date(due_text) if due_text else None
            if due_text and due is None:
                out.notes.append(f"{where}: the due date «{due_text}» is not a date — the period's end plus the "
                                 "due days is used")
            key = report_identity(report)
            row = (key, report.contract_no, normalize(report.contract_no) or None, report.contract_date,
                   report.grantee, ngo_key(report.grantee), report.title, report.effective_year(), report.direction,
                   report.direction_text, report.region_text, report.grant_amount.value, report.grant_amount.raw,
                   report.period_start, report.period_end, due, due_text or None, grid.name, cell_name(r, 0))
            if key in seen:
                out.notes.append(f"{where}: the same contract as row {out.rows[seen[key]][-1]} — this later row is kept")
                out.rows[seen[key]] = row
                out.regions = [x for x in out.regions if x[0] != key]
            else:
                seen[key] = len(out.rows)
                out.rows.append(row)
            out.regions.extend((key, code, share) for code, share in (report.regions or [(None, 1.0)]))
    if not found_header:
        raise refusal("no_contracts", path.name)
    if not out.rows:
        raise refusal("contracts_empty", path.name)
    return out


@dataclass
class ContractsOutcome:
    """What loading one contracts list did, as one line for the user."""

    name: str
    status: str  # loaded | unchanged | refused
    contracts: int = 0
    replaced: int = 0
    notes: list[str] = field(default_factory=list)
    message: str = ""
    sha256: str = ""

    def line(self) -> str:
        if self.status == "refused":
            return f"refused   {self.name}: {self.message}"
        if self.status == "unchanged":
            return f"unchanged {self.name}: contracts list already loaded, nothing changed"
        text = f"loaded    {self.name}: {self.contracts} contract{'s' if self.contracts != 1 else ''}"
        if self.replaced:
            text += f" ({self.replaced} replacing the stored one{'s' if self.replaced != 1 else ''})"
        if self.notes:
            text += f"; {len(self.notes)} note{'s' if len(self.notes) != 1 else ''}: " + "; ".join(self.notes[:3])
            text += f" (+{len(self.notes) - 3} more)" if len(self.notes) > 3 else ""
        return text


def save_contracts(con: duckdb.DuckDBPyConnection, files: list[ContractsFile],
                   replace_all: bool = False) -> list[ContractsOutcome]:
    """Store read contracts lists in one transaction: each contract replaces the stored one of its key; a file
    already loaded (same content) changes nothing. ``replace_all`` drops every stored contract first."""
    from grantstats.store import _insert_columns

    from grantstats.store import transaction

    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    outcomes: list[ContractsOutcome] = []
    with transaction(con):
        if replace_all:
            for table in ("contracts", "contract_regions", "contract_files"):
                con.execute(f"DELETE FROM {table}")
        known = {r[0] for r in con.execute("SELECT sha256 FROM contract_files").fetchall()}
        for item in files:
            if item.sha256 in known:
                outcomes.append(ContractsOutcome(item.name, "unchanged", sha256=item.sha256))
                continue
            known.add(item.sha256)
            keys = [row[0] for row in item.rows]
            replaced = con.execute("SELECT count(*) FROM contracts WHERE contract_key IN (SELECT unnest(?::VARCHAR[]))",
                                   [keys]).fetchone()[0]
            for table in ("contracts", "contract_regions"):
                con.execute(f"DELETE FROM {table} WHERE contract_key IN (SELECT unnest(?::VARCHAR[]))", [keys])
            columns = dict(zip(CONTRACT_COLUMNS, map(list, zip(*item.rows))))
            columns.update(file_sha256=[item.sha256] * len(keys), file_name=[item.name] * len(keys),
                           loaded_at=[loaded_at] * len(keys))
            _insert_columns(con, "contracts", columns, len(keys))
            _insert_columns(con, "contract_regions", dict(zip(("contract_key", "region", "share"),
                                                              map(list, zip(*item.regions)))), len(item.regions))
            _insert_columns(con, "contract_files", {"sha256": [item.sha256], "name": [item.name], "path": [item.path],
                                                    "size": [item.size], "loaded_at": [loaded_at],
                                                    "contracts": [len(keys)]}, 1)
            outcomes.append(ContractsOutcome(item.name, "loaded", len(keys), replaced, item.notes, sha256=item.sha256))
    return outcomes


def load_contract_files(con: duckdb.DuckDBPyConnection, paths: list[Path], workers: int | None = None,
                        limits=None, replace_all: bool = False) -> list[ContractsOutcome]:
    """Check and read each list in a guarded worker (as report files are), then store the readable ones together."""
    from grantstats.worker import ParsePool

    read: list[ContractsFile] = []
    outcomes: dict[int, ContractsOutcome] = {}
    with ParsePool(limits=limits, workers=workers, fn=read_contracts) as pool:
        for i, (path, got) in enumerate(pool.parse_many(paths)):
            if isinstance(got, ReadError):
                outcomes[i] = ContractsOutcome(path.name, "refused", message=got.line)
            else:
                got.name = path.name
                read.append(got)
    saved = iter(save_contracts(con, read, replace_all=replace_all) if read else [])
    return [outcomes[i] if i in outcomes else next(saved) for i in range(len(paths))]


def as_of_date(value: date | datetime | str | None) -> date:
    """An as-of date: a date, an ISO text (``2025-03-01``) or None for today."""
    if value is None or value == "":
        return date.today()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"not a date: {value!r} (give it as YYYY-MM-DD)") from None


@dataclass
class PlannedContracts:
    """An uploaded contracts list after its dry run: read (with what it would replace) or refused. Its bytes wait
    in the archive's pending folder (``pending_path``) until it is loaded (moved to ``archive_path``) or dropped."""

    name: str
    sha256: str
    status: str  # new | unchanged | refused
    read: ContractsFile | None = None
    replacing: int = 0
    message: str = ""
    reason: str | None = None  # a refusal's reason (grantstats.refusals) and its particulars
    params: dict = field(default_factory=dict)
    pending_path: Path | None = None
    archive_path: Path | None = None


def dry_run_contracts(con, files: list[tuple[str, bytes]], archive=None, workers: int | None = None,
                      limits=None, scope: tuple[str, ...] | None = None) -> list[PlannedContracts]:
    """Read each uploaded list in a guarded worker (its bytes wait in the archive's pending folder, as uploaded
    reports do); what loading would do, without writing to the database (``con`` is only read). With ``scope``
    (the regions a person may load for), a list holding a contract of another region, or replacing one, is
    refused with the reason."""
    from grantstats.upload import PENDING, archive_bytes, archive_dir, display_name
    from grantstats.worker import ParsePool

    folder = Path(archive) if archive else archive_dir()
    kept = []
    for name, data in files:
        shown = display_name(name)
        path, digest = archive_bytes(shown, bytes(data), folder / PENDING)
        kept.append(PlannedContracts(shown, digest, "new", pending_path=path, archive_path=folder / path.name))
    if not kept:
        return []
    with ParsePool(limits, workers=workers, fn=read_contracts) as pool:
        outcomes = [got for _, got in pool.parse_many([p.pending_path for p in kept])]
    loaded = {r[0] for r in con.execute("SELECT sha256 FROM contract_files").fetchall()}
    for item, got in zip(kept, outcomes):
        if isinstance(got, ReadError):
            refused = got.named(item.name, item.pending_path.name)
            item.status, item.message = "refused", refused.line
            item.reason, item.params = refused.reason, dict(refused.params)
            continue
        got.name, got.path = item.name, str(item.archive_path.resolve())
        item.read = got
        if item.sha256 in loaded:
            item.status = "unchanged"
            continue
        item.replacing = con.execute(
            "SELECT count(*) FROM contracts WHERE contract_key IN (SELECT unnest(?::VARCHAR[]))",
            [[row[0] for row in got.rows]]).fetchone()[0]
        _refuse_outside(con, item, scope)
    for item in kept:
        if item.status != "new":
            _drop(item)
    return kept


def _outside_scope(con, read: ContractsFile, scope: tuple[str, ...] | None) -> tuple[str, dict] | None:
    """Why a read list may not be loaded by someone limited to ``scope`` (a contract of another region, or one
    replacing a stored contract of another region), as a refusal reason and its particulars; or None."""
    if scope is None:
        return None
    from grantstats.scope import regions_in_scope

    allowed = ", ".join(scope)
    index = {name: i for i, name in enumerate(CONTRACT_COLUMNS)}
    regions: dict[str, list[str | None]] = {}
    for key, code, _ in read.regions:
        regions.setdefault(key, []).append(code)
    for row in read.rows:
        codes = [c for c in regions.get(row[0], []) if c]
        if not regions_in_scope(codes, scope):
            return "contract_outside_regions", {"contract": row[index["contract_no"]] or "—",
                                                "grantee": row[index["grantee"]] or "—",
                                                "where": ", ".join(codes) or "—", "allowed": allowed}
    other = con.execute(
        "SELECT c.contract_no FROM contracts c WHERE c.contract_key IN (SELECT unnest(?::VARCHAR[]))"
        " AND NOT EXISTS (SELECT 1 FROM contract_regions r WHERE r.contract_key = c.contract_key"
        "  AND list_contains(?::VARCHAR[], r.region)) ORDER BY c.contract_no LIMIT 1",
        [[row[0] for row in read.rows], list(scope)]).fetchone()
    if other:
        return "contract_replaces_other_region", {"contract": other[0] or "—", "allowed": allowed}
    return None


def _refuse_outside(con, item: PlannedContracts, scope: tuple[str, ...] | None) -> None:
    from grantstats.refusals import refusal_line

    outside = _outside_scope(con, item.read, scope) if item.read is not None else None
    if outside:
        item.reason, item.params = outside
        item.status, item.message, item.read = "refused", refusal_line(*outside), None


def _drop(item: PlannedContracts) -> None:
    if item.pending_path is not None:
        item.pending_path.unlink(missing_ok=True)


def discard_contracts(planned: list[PlannedContracts]) -> None:
    """Cancel: delete the uploaded lists' bytes waiting in the pending folder."""
    for item in planned:
        _drop(item)


PREVIEW_COLUMNS = ["file", "contract_no", "contract_date", "grantee", "title", "year", "region_text", "direction",
                   "grant_amount", "period_end", "due_date"]


def preview_table(planned: list[PlannedContracts]):
    """The contracts the dry run read, one row each: :data:`PREVIEW_COLUMNS`."""
    import pandas as pd

    index = {name: i for i, name in enumerate(CONTRACT_COLUMNS)}
    rows = [{"file": p.name, **{c: row[index[c]] for c in PREVIEW_COLUMNS[1:]}}
            for p in planned if p.status == "new" for row in p.read.rows]
    return pd.DataFrame(rows, columns=PREVIEW_COLUMNS)


def commit_contracts(con, planned: list[PlannedContracts],
                     scope: tuple[str, ...] | None = None) -> list[ContractsOutcome]:
    """Store what the dry run read, in one transaction (``save_contracts``); ``con`` is the one writer's (inside
    ``snapshots.write_session``). The scope is checked again (the database may have changed since the dry run).
    A list loaded moves into the archive; the others' bytes are deleted. One outcome per list the dry run found
    new: loaded, unchanged (loaded meanwhile) or refused."""
    from grantstats.store import WRITE_LOCK

    new = [p for p in planned if p.status == "new"]
    for item in new:
        _refuse_outside(con, item, scope)
    to_save = [p for p in new if p.status == "new"]
    saved = []
    if to_save:
        with WRITE_LOCK:
            saved = save_contracts(con, [p.read for p in to_save])
    outcomes, it = [], iter(saved)
    for item in new:
        if item.status == "new":
            outcomes.append(next(it))
        else:
            outcomes.append(ContractsOutcome(item.name, "refused", message=item.message, sha256=item.sha256))
        if outcomes[-1].status == "loaded" and item.pending_path is not None and item.pending_path.exists():
            os.replace(item.pending_path, item.archive_path)
        else:
            _drop(item)
    for item in planned:
        if item.status != "new":
            _drop(item)
    return outcomes
