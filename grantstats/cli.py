"""The command line: thin commands over the library. Errors are one line and an exit code, never a traceback."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grantstats.metrics.filters import Filter

# Each command imports the library parts it uses when it runs: `ingest` starts its parsing workers' fork server
# before the store and pandas load (the workers fork from a lean process), and `--help` or a usage error answers
# without loading DuckDB, pandas and openpyxl.

DOCUMENT_LAYOUTS = ("word", "pdf")  # their places are «T3»/«¶» (Word) or «T3 p5»/«p5» (PDF), not sheets


STANDALONE = [False]
"""True when this process is the command line itself (python -m grantstats), not a caller of main(): only then
does a load tie its helper processes' lives to this one and turn SIGTERM into an interruption."""


class UsageError(Exception):
    """Bad command-line usage: exit code 2."""


def _add_filters(parser: argparse.ArgumentParser) -> None:
    """The filter options summary and export share (see _filter_from_args)."""
    parser.add_argument("--region", action="append", metavar="CODE",
                        help="only reports in this region (repeatable; - = not stated)")
    parser.add_argument("--direction", action="append", metavar="CODE", help="only reports of this direction (repeatable)")
    parser.add_argument("--year-from", type=int, metavar="Y", help="only reports that started in Y or later")
    parser.add_argument("--year-to", type=int, metavar="Y", help="only reports that started in Y or earlier")


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="database file (default: $GRANTSTATS_DB or data/grants.duckdb)")


class Progress:
    """`ingest --progress`: one line, rewritten in place, counting the files as they come (a refused file still
    gets its own line: what was refused and why is never folded away)."""

    def __init__(self, total: int, out=None):
        self.total, self.out = total, out or sys.stdout
        self.done = self.loaded = self.reports = self.unchanged = self.refused = 0

    def line(self) -> str:
        return (f"{self.done} of {self.total} files: {self.loaded} loaded ({self.reports} reports), "
                f"{self.unchanged} unchanged, {self.refused} refused")

    def __call__(self, result) -> None:
        self.done += 1
        if result.status == "loaded":
            self.loaded += 1
            self.reports += result.reports
        elif result.status == "unchanged":
            self.unchanged += 1
        else:
            self.refused += 1
            self.out.write("\r\033[K" + result.line() + "\n")
        self.out.write("\r\033[K" + self.line())
        self.out.flush()

    def close(self) -> None:
        self.out.write("\r\033[K")
        self.out.flush()


def _command_line(args: argparse.Namespace) -> str:
    """The command as the audit log and the writer lock name it (paths cut to their names, at most 200 characters)."""
    parts = [args.command] + [Path(p).name for p in getattr(args, "paths", None) or []]
    text = " ".join(parts)
    return text if len(text) <= 200 else text[:197] + "…"


def cmd_ingest(args: argparse.Namespace) -> int:
    from grantstats import process_guard

    if STANDALONE[0]:
        process_guard.end_children_with_this_process()
        process_guard.yield_cpu_to_readers()
    if args.workers != 0:
        from grantstats.worker import start_fork_server

        start_fork_server()  # the workers' readers load while this process goes on
    from grantstats.gather import collect_paths
    from grantstats.safety import Limits
    from grantstats.worker import ParsePool, read_for_store

    if not args.paths and not args.contracts:
        raise UsageError("name the report files or folders to load, or a contracts list with --contracts FILE")
    command = _command_line(args)
    contracts_refused = _ingest_contracts(args, command) if args.contracts else 0
    if not args.paths:
        return 1 if contracts_refused else 0
    paths, missing = collect_paths(args.paths)
    progress = Progress(len(paths)) if args.progress else None
    for result in missing:
        if not (progress and result.status == "skipped"):  # (with --progress skipped files are only counted)
            print(result.line())
    if not paths and not any(r.status == "refused" for r in missing):
        print("no report files (spreadsheets, CSV, Word .docx or PDF) found in the given folders")
        return 1
    results: list = []
    show = progress or (lambda r: print(r.line(), flush=True))
    limits = Limits.from_env(max_file_mb=args.max_file_mb)
    try:
        with ParsePool(limits=limits, workers=args.workers, fn=read_for_store) as pool:
            pool.start(paths)  # the workers read while this process loads DuckDB, takes the lock, opens the database
            from grantstats import snapshots
            from grantstats.ingest import ingest_paths

            with snapshots.write_session(args.db, command) as con:
                if args.workers != 0:
                    con.execute("SET threads = 1")  # the workers keep both CPUs busy: saving in one thread costs less
                ingest_paths(con, paths, limits=limits, pool=pool, on_result=lambda r: (results.append(r), show(r)))
                pool.close()  # the workers end before the snapshot is published
    finally:
        if progress:
            progress.close()
        from grantstats import audit
        from grantstats.access import os_user

        audit.record_many(args.db, audit.load_entries(results, os_user(), "cli", command))
    from grantstats import store

    results = missing + results
    loaded = [r for r in results if r.status == "loaded"]
    refused = [r for r in results if r.status == "refused"]
    unchanged = [r for r in results if r.status == "unchanged"]
    skipped = [r for r in results if r.status == "skipped"]
    reports = sum(r.reports for r in loaded)
    print(f"{len(results)} file{'s' if len(results) != 1 else ''}: {len(loaded)} loaded "
          f"({reports} report{'s' if reports != 1 else ''}), "
          f"{len(unchanged)} unchanged, {len(refused)} refused"
          + (f", {len(skipped)} skipped" if skipped else "") + f"; database {store.resolve_db_path(args.db)}")
    return 1 if refused or contracts_refused else 0


def _ingest_contracts(args: argparse.Namespace, command: str) -> int:
    """Load the --contracts lists through the one writer (then published for readers, and recorded in the audit
    log under the OS user): one line each, then a count; the number refused."""
    from grantstats import audit, snapshots
    from grantstats.access import os_user
    from grantstats.contracts import load_contract_files
    from grantstats.ingest import collect_paths
    from grantstats.safety import Limits

    paths, missing = collect_paths(args.contracts)
    for result in missing:
        print(result.line())
    outcomes = []
    if paths:
        contracts_command = "ingest --contracts " + " ".join(p.name for p in paths)
        with snapshots.write_session(args.db, contracts_command[:200]) as con:
            outcomes = load_contract_files(con, paths, workers=args.workers, replace_all=args.replace_contracts,
                                           limits=Limits.from_env(max_file_mb=args.max_file_mb))
        audit.record_many(args.db, audit.contracts_entries(outcomes, os_user(), "cli", command))
    for outcome in outcomes:
        print(outcome.line())
    loaded = [o for o in outcomes if o.status == "loaded"]
    refused = sum(r.status == "refused" for r in missing) + sum(o.status == "refused" for o in outcomes)
    count = sum(o.contracts for o in loaded)
    print(f"contracts lists: {len(loaded)} loaded ({count} contract{'s' if count != 1 else ''}), "
          f"{sum(o.status == 'unchanged' for o in outcomes)} unchanged, {refused} refused")
    return refused


def report_card(d: dict) -> str:
    """A readable plain-text card of one report."""
    from grantstats import catalog, formatting as fmt

    shown = fmt.value_with_qualifier  # a figure as the report gave it: its mark, up to two decimals
    lines = [f"{d['report_id']}  {d['grantee'] or '—'}", f"  Проект:      {d['title'] or '—'}"]
    contract = " от ".join(x for x in (d["contract_no"] and f"№ {d['contract_no']}", d["contract_date"]) if x)
    lines.append(f"  Договор:     {contract or '—'}")
    lines.append(f"  Период:      {d['period_start'] or '?'} – {d['period_end'] or '?'}   год: {d['year'] or '—'}")
    regions = ", ".join(catalog.name("region", c) for c in d["regions"]) or catalog.name("region", None)
    lines.append(f"  Регион:      {regions}")
    lines.append(f"  Направление: {catalog.name('direction', d['direction']) if d['direction'] else '—'}")
    amount = fmt.money(d["grant_amount"], short=False)
    if d["amount_by_year"]:
        amount += "  (" + "; ".join(f"{y}: {fmt.money(a, short=False)}" for y, a in d["amount_by_year"].items()) + ")"
    lines.append(f"  Сумма:       {amount}")
    if d["indicators"]:
        lines.append("  Индикаторы:  план / факт")
        for code in catalog.codes("indicator"):
            v = d["indicators"].get(code)
            if v:
                lines.append(f"    {catalog.name('indicator', code):<60} {shown(v['plan'], v['plan_qualifier']):>14}"
                             f" / {shown(v['fact'], v['fact_qualifier'])}")
    lines.append(f"  Участники:   {shown(d['participants_total'], None)}  "
                 + ", ".join(f"{catalog.name('gender', k)}: {shown(v, None)}" for k, v in d["gender"].items()))
    if d["findings"]:
        lines.append(f"  Замечания:   {len(d['findings'])}")
        for f in d["findings"][:10]:
            lines.append(f"    [{f['severity']}] {f['rule']}: {f['message']} ({f['where']})")
    src = d["source"]
    sheet = src["sheet"] if src.get("layout") in DOCUMENT_LAYOUTS else src["sheet"] and f"лист {src['sheet']}"
    lines.append(f"  Источник:    {src['file']}" + (f", {sheet}" if sheet else "")
                 + (f", {src['cell']}" if src["cell"] else ""))
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace) -> int:
    from grantstats import snapshots, store
    with snapshots.reading(args.db) as con:
        details = store.report_details(con, store.find_reports(con, args.query))
    if args.json:
        print(json.dumps(details, ensure_ascii=False, indent=2))
    elif not details:
        print("no reports match" if args.query else "the database holds no reports yet")
    else:
        print("\n\n".join(report_card(d) for d in details))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from grantstats.template import write_template

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"the template is an .xlsx workbook: give a name ending in .xlsx, not {out.name}")
    write_template(out)
    print(f"wrote the empty final-report template to {out} (fill the yellow cells, then: python -m grantstats ingest {out})")
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    from grantstats.sample import write_sample

    out = Path(args.out)
    summary = write_sample(out, reports=args.reports, seed=args.seed)
    print(f"wrote {summary['files']} files holding {summary['reports']} synthetic reports to {out}")
    return 0


def cmd_sample_contracts(args: argparse.Namespace) -> int:
    from grantstats import snapshots
    from grantstats.sample_contracts import write_contracts_list

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"the contracts list is an .xlsx workbook: give a name ending in .xlsx, not {out.name}")
    with snapshots.reading(args.db) as con:
        done = write_contracts_list(con, out, seed=args.seed)
    print(f"wrote {done['contracts']} synthetic contracts ({done['without_report']} whose report never came) to {out}"
          f" (load it with: python -m grantstats ingest --contracts {out})")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from grantstats import snapshots, store

    with snapshots.reading(args.db) as con:
        ids = store.find_reports(con, args.query)
        records = findings_records(con, ids)
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    if not ids:
        print("no reports match" if args.query else "the database holds no reports yet")
        return 0
    for f in records:
        grantee = (f["grantee"] or "—")[:40]
        print(f"{f['severity']:<7}  {f['rule']:<21}  {f['report_id']}  {grantee}: {f['message']}  [{f['where']}]")
    counts = {s: sum(1 for f in records if f["severity"] == s) for s in ("error", "warning", "info")}
    print(f"{len(records)} findings in {len({f['report_id'] for f in records})} of {len(ids)} reports: "
          f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info")
    return 0


def findings_records(con, report_ids: Filter | Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Findings as plain dicts (the `check --format json` shape): report_id, grantee, rule, severity,
    message (ru), message_en, where (file, sheet, cell joined), file, sheet, cell."""
    from grantstats.findings.queries import findings_table
    from grantstats.metrics.filters import Filter

    if report_ids is not None and not isinstance(report_ids, Filter):
        report_ids = list(report_ids)
        if not report_ids:
            return []
        report_ids = Filter(report_ids=tuple(report_ids))
    df = findings_table(con, report_ids or Filter())
    out = []
    for row in df.itertuples(index=False):
        file_name, sheet, cell = _clean(row.file_name), _clean(row.sheet), _clean(row.cell)
        out.append({"report_id": row.report_id, "grantee": _clean(row.grantee), "rule": row.rule,
                    "severity": row.severity, "message": row.message_ru, "message_en": row.message_en,
                    "where": ", ".join(str(x) for x in (file_name, sheet, cell) if x), "file": file_name,
                    "sheet": sheet, "cell": cell})
    return out


def _clean(value: Any) -> Any:
    """None for a missing value (None or NaN)."""
    from grantstats.formatting import is_absent

    return None if is_absent(value) else value


SUMMARY_GROUPS = ("region", "direction", "year", "ngo")


def _summary_records(df) -> list[dict]:
    """DataFrame rows as plain dicts: None for missing, int for whole counts, float otherwise."""
    from grantstats.formatting import is_absent

    records = []
    for row in df.to_dict("records"):
        out = {}
        for key, value in row.items():
            if hasattr(value, "item"):
                value = value.item()
            if is_absent(value):
                value = None
            out[key] = value
        records.append(out)
    return records


def _summary_cell(key: str, value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if key.endswith("achievement") or key.endswith("_share"):
        return f"{value * 100:.1f} %"
    if key == "year":
        return str(value)
    return f"{value:,.0f}".replace(",", " ")


def cmd_summary(args: argparse.Namespace) -> int:
    import csv

    from grantstats import catalog, metrics, snapshots
    from grantstats.export import safe_text

    flt = _filter_from_args(args)
    with snapshots.reading(args.db) as con:
        df = metrics.summary(con, flt, args.by)
    rows = _summary_records(df)
    columns = list(df.columns)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([safe_text(c) for c in columns])  # (a text cell starting a formula is made inert)
        writer.writerows([["" if r[c] is None else safe_text(r[c]) for c in columns] for r in rows])
    else:
        table = [[(catalog.UNKNOWN if c == args.by and r[c] is None else _summary_cell(c, r[c])) for c in columns] for r in rows]
        widths = [max([len(c)] + [len(t[i]) for t in table]) for i, c in enumerate(columns)]
        left = {args.by, "ngo_name"}
        line = lambda cells: "  ".join(x.ljust(w) if c in left else x.rjust(w) for x, w, c in zip(cells, widths, columns))  # noqa: E731
        print(line(columns))
        for cells in table:
            print(line(cells))
    return 0


def _filter_from_args(args: argparse.Namespace):
    """The metrics.Filter the summary/export options describe (unknown codes: a usage error)."""
    from grantstats import catalog, metrics

    for kind, values in (("region", args.region), ("direction", args.direction)):
        known = set(catalog.codes(kind)) | {metrics.NOT_STATED}
        bad = [v for v in values or () if v not in known]
        if bad:
            raise UsageError(f"unknown {kind} code {bad[0]!r}: use one of {', '.join(catalog.codes(kind))} or {metrics.NOT_STATED} for not stated")
    return metrics.Filter(regions=tuple(args.region or ()), directions=tuple(args.direction or ()),
                          year_from=args.year_from, year_to=args.year_to)


def cmd_export(args: argparse.Namespace) -> int:
    import hashlib
    import time

    from grantstats import audit, export, metrics, snapshots, store
    from grantstats.access import os_user

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(f"export writes .xlsx (the summary workbook) or .csv (the summary table): not {out.name}")
    flt = _filter_from_args(args)
    started = time.perf_counter()
    with snapshots.reading(args.db) as con:
        if suffix == ".xlsx" and not args.by:
            export.summary_workbook(con, flt, out, lang=args.lang, db_label=store.resolve_db_path(args.db).name)
            head = metrics.headline(con, flt).iloc[0]
            what = f"the summary workbook of {int(head['reports'])} reports ({int(head['reports_with_errors'])} with errors)"
        else:
            table = metrics.summary(con, flt, args.by)
            data = (export.table_csv_bytes(table, sep=args.sep) if suffix == ".csv"
                    else export.table_xlsx_bytes(table, title=f"summary by {args.by}"))
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            what = f"the summary table{' by ' + args.by if args.by else ''} ({len(table)} rows)"
    audit.record(args.db, "export", os_user(), via="cli", file_name=out.name,
                 sha256=hashlib.sha256(out.read_bytes()).hexdigest(), filters=flt,
                 detail={"by": args.by, "lang": args.lang, "path": str(out.resolve())})
    print(f"wrote {what} to {out} in {time.perf_counter() - started:.1f} s")
    return 0


def _print_table(df, columns: list[str], fmt_format: str, left: set[str]) -> None:
    """A DataFrame as table|json|csv on stdout (json/csv: raw values; table: aligned text)."""
    import csv

    rows = _summary_records(df[columns])
    if fmt_format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if fmt_format == "csv":
        from grantstats.export import safe_text

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if r[c] is None else safe_text(r[c]) for c in columns] for r in rows])  # formulas inert
        return
    table = [[_table_cell(c, r[c]) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(t[i]) for t in table]) for i, c in enumerate(columns)]
    line = lambda cells: "  ".join(x.ljust(w) if c in left else x.rjust(w) for x, w, c in zip(cells, widths, columns))  # noqa: E731
    print(line(columns).rstrip())
    for cells in table:
        print(line(cells).rstrip())


def _table_cell(key: str, value) -> str:
    if value is None:
        return "—"
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key.endswith(("_days", "days_overdue", "year", "_count")) or key in ("contracts", "received", "overdue", "not_due", "no_due_date"):
        return str(value)
    return _summary_cell(key, value)


def _iso_dates(column):
    """A date column as YYYY-MM-DD texts (None where missing)."""
    return [None if value is None or value != value else value.isoformat()[:10] for value in column.tolist()]


def cmd_completeness(args: argparse.Namespace) -> int:
    from grantstats import snapshots
    from grantstats.completeness import contract_status, contracts_loaded
    from grantstats.contracts import as_of_date, due_days

    try:
        as_of, days = as_of_date(args.as_of), due_days(args.due_days)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    flt = _filter_from_args(args)
    with snapshots.reading(args.db) as con:
        if not contracts_loaded(con)["contracts"]:
            print("no contracts list loaded yet: load the list of awarded grants with "
                  "python -m grantstats ingest --contracts FILE", file=sys.stderr)
            return 1
        if args.unmatched:
            from grantstats.completeness import reports_without_contract

            unmatched = reports_without_contract(con, flt)
            _print_table(unmatched.assign(region=unmatched["regions"]),
                         ["report_id", "grantee", "title", "contract_no", "year", "region", "file_name"], args.format,
                         {"report_id", "grantee", "title", "contract_no", "region", "file_name"})
            return 0
        df = contract_status(con, flt, as_of=as_of, due_days=days, status=args.status)
        unmatched_count = 0 if args.format != "table" else len(reports_without_contract_ids(con, flt))
    columns = ["contract_no", "grantee", "region", "year", "due_date", "status", "days_overdue", "report_id"]
    df = df.assign(region=df["regions"], **{c: _iso_dates(df[c]) for c in ("due_date", "contract_date", "period_end")})
    if args.format != "table":
        columns += ["contract_date", "title", "direction", "grant_amount", "period_end", "due_date_stated", "matched_by"]
    _print_table(df, columns, args.format, {"contract_no", "grantee", "region", "status", "report_id", "title"})
    if args.format == "table":
        counts = df["status"].value_counts()
        print(f"{len(df)} contracts on {as_of.isoformat()}: " + ", ".join(
            f"{int(counts.get(s, 0))} {s}" for s in ("received", "overdue", "not_due", "no_due_date") if s != "no_due_date"
            or counts.get(s, 0)) + f" (due {days} days after the period's end where the list gives no date)")
        if unmatched_count:
            one = unmatched_count == 1
            print(f"{unmatched_count} report{'' if one else 's'} of the years the list covers match{'es' if one else ''}"
                  " no contract in it: completeness --unmatched lists them")
    return 0


def reports_without_contract_ids(con, flt) -> list[str]:
    from grantstats.completeness import reports_without_contract

    return reports_without_contract(con, flt)["report_id"].tolist()


def cmd_brief(args: argparse.Namespace) -> int:
    import time

    import hashlib

    from grantstats import audit, metrics, snapshots
    from grantstats.access import os_user
    from grantstats.brief import BriefError, brief_pdf
    from grantstats.contracts import as_of_date

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise UsageError(f"the brief is a PDF: give a name ending in .pdf, not {out.name}")
    try:
        as_of = as_of_date(args.as_of)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    flt = _filter_from_args(args)
    started = time.perf_counter()
    with snapshots.reading(args.db) as con:
        reports = int(metrics.headline(con, flt).iloc[0]["reports"])
        try:
            brief_pdf(con, flt, out, lang=args.lang, as_of=as_of)
        except BriefError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    audit.record(args.db, "export", os_user(), via="cli", file_name=out.name,
                 sha256=hashlib.sha256(out.read_bytes()).hexdigest(), filters=flt,
                 detail={"what": "brief", "lang": args.lang, "as_of": as_of.isoformat(), "path": str(out.resolve())})
    print(f"wrote the brief of {reports} report{'s' if reports != 1 else ''} to {out} in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from grantstats import audit, review, snapshots
    from grantstats.access import os_user

    if args.action == "list":
        status = args.status or "open"
        if status not in review.LISTS:
            raise UsageError(f"review list --status is one of {', '.join(review.LISTS)}, not {status!r}")
        flt = _filter_from_args(args)
        with snapshots.reading(args.db) as con:
            df = review.findings_for_review(con, flt, status=status)
        _print_table(df, ["finding_key", "grantee", "contract_no", "year", "severity", "rule", "cell", "status",
                          "reviewer", "message_ru"] + (["comment", "reviewed_at", "report_id", "message_en"]
                                                      if args.format != "table" else []),
                     args.format, {"finding_key", "grantee", "contract_no", "severity", "rule", "cell", "status",
                                   "reviewer", "message_ru"})
        return 0
    if args.action == "mark":
        if not args.keys or args.status not in review.STATUSES + ("open",):
            raise UsageError("review mark needs the finding keys (review list shows them) and --status accepted|returned|open")
        user = os_user()
        with snapshots.write_session(args.db, f"review mark {args.status} ({len(args.keys)} findings)") as con:
            try:
                count = (review.reopen(con, args.keys) if args.status == "open"
                         else review.mark(con, args.keys, args.status, args.comment, who=args.who or user))
            except review.ReviewError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            owners = review.finding_reports(con, args.keys)
        audit.record(args.db, "review", user, via="cli", report_ids=sorted(set(owners.values())),
                     detail={"status": args.status, "findings": sorted(owners), "comment": args.comment,
                             "reviewer": args.who or user})
        print(f"marked {count} finding{'s' if count != 1 else ''} {args.status}")
        return 0
    if not args.ngo or not args.out:
        raise UsageError("review letter needs --ngo NGO_KEY (as review list and summary --by ngo show it) and --out FILE.xlsx")
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"the letter is an .xlsx workbook: give a name ending in .xlsx, not {out.name}")
    import hashlib

    from grantstats import metrics

    flt = _filter_from_args(args).with_(ngos=(args.ngo,))
    with snapshots.reading(args.db) as con:
        names = metrics.summary(con, flt, "ngo")
        name = names["ngo_name"].iloc[0] if not names.empty else args.ngo
        rows = review.letter_rows(con, flt, args.lang)
        data = review.letter_xlsx(con, flt, args.lang, name)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    audit.record(args.db, "export", os_user(), via="cli", file_name=out.name, sha256=hashlib.sha256(data).hexdigest(),
                 filters=flt, detail={"what": "letter", "ngo": args.ngo, "findings": len(rows),
                                      "path": str(out.resolve())})
    print(f"wrote the letter of {len(rows)} open finding{'s' if len(rows) != 1 else ''} of {name} to {out}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from grantstats import history, snapshots

    with snapshots.reading(args.db) as con:
        df = history.history(con, args.query)
    if args.json:
        print(json.dumps(_summary_records(df), ensure_ascii=False, indent=2, default=str))
    elif df.empty:
        print("no earlier versions match" if args.query else
              "no earlier versions yet: a report gets one when a later load replaces it")
    else:
        for row in df.to_dict("records"):
            print(history.history_line(row))
        print(f"{len(df)} earlier version{'s' if len(df) != 1 else ''}; make one current again with: "
              "python -m grantstats restore VERSION")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from grantstats import audit, history, snapshots
    from grantstats.access import os_user

    with snapshots.write_session(args.db, f"restore {args.version}") as con:
        try:
            done = history.restore(con, args.version)
        except history.HistoryError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    audit.record(args.db, "restore", os_user(), via="cli", report_ids=[done["report_id"]],
                 detail={"restored_version": done["restored_version"], "archived_version": done["archived_version"]})
    kept = (f"; the version it replaced is kept as version {done['archived_version']}"
            if done["archived_version"] is not None else "")
    print(f"restored version {done['restored_version']} of report {done['report_id']}{kept}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from grantstats import audit
    from grantstats.export import safe_text
    from grantstats.names import visible

    df = audit.events(args.db, since=args.since, user=args.user, action=args.action, limit=args.limit)
    records = _summary_records(df)
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(audit.COLUMNS)
        writer.writerows([["" if r[c] is None else safe_text(r[c]) for c in audit.COLUMNS] for r in records])
    elif not records:
        print("no events match" if (args.since or args.user or args.action) else "the audit log is empty")
    else:
        for r in records:
            what = " ".join(str(x) for x in (r["file_name"], r["sha256"] and r["sha256"][:12]) if x)
            ids = json.loads(r["report_ids"]) if r["report_ids"] else []
            more = f" reports {', '.join(ids[:5])}{' …' if len(ids) > 5 else ''}" if ids else ""
            print(visible(f"{r['at'][:19].replace('T', ' ')}  {r['action']:<9} {r['user']} ({r['via']})"
                          f"{'  ' + what if what else ''}{more}"))
        print(f"{len(records)} event{'s' if len(records) != 1 else ''}")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from grantstats import snapshots

    pointer = snapshots.publish(args.db, "publish")
    print(f"published snapshot {pointer.generation} ({pointer.reports} reports) for readers")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m grantstats", description="grantstats: grant final reports analytics")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="load report files or folders into the database")
    p.add_argument("paths", nargs="*", help="files or folders (searched recursively)")
    p.add_argument("--contracts", nargs="+", metavar="FILE",
                   help="lists of awarded grants (contract number and date, grantee, project, region, direction, "
                        "amount, period, report due date): what reports are expected for")
    p.add_argument("--replace-contracts", action="store_true",
                   help="the --contracts lists are the whole list: drop every contract loaded before")
    p.add_argument("--workers", type=int, default=None, help="parsing processes (default: 2; 0 = in this process)")
    p.add_argument("--max-file-mb", type=float, default=None,
                   help="refuse files larger than this (default: $GRANTSTATS_MAX_FILE_MB or 50)")
    p.add_argument("--progress", action="store_true",
                   help="one line counting the files as they load instead of a line per file (refusals still "
                        "get a line each)")
    _add_db(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("completeness", help="every contract of the loaded list: report received, overdue or not yet due")
    p.add_argument("--as-of", metavar="DATE", help="the day to judge on, YYYY-MM-DD (default: today)")
    p.add_argument("--due-days", type=int, metavar="N",
                   help="a report is due N days after the period's end when the list gives no due date "
                        "(default: $GRANTSTATS_DUE_DAYS or 30)")
    p.add_argument("--status", choices=("received", "overdue", "not_due", "no_due_date"), help="only contracts in this status")
    p.add_argument("--unmatched", action="store_true",
                   help="list instead the reports (of the years the list covers) that no contract is matched to")
    _add_filters(p)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    _add_db(p)
    p.set_defaults(func=cmd_completeness)

    p = sub.add_parser("show", help="show reports as cards or JSON")
    p.add_argument("query", nargs="?", help="text in grantee, title, contract number or report id")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    _add_db(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("template", help="write an empty workbook laid out like the final-report form")
    p.add_argument("out", help="the .xlsx file to write")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("sample", help="write the synthetic sample archive as spreadsheet files")
    p.add_argument("--reports", type=int, default=600)
    p.add_argument("--out", default="data/sample")
    p.add_argument("--seed", type=int, default=2024)
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("sample-contracts", help="write a synthetic list of awarded grants for the loaded reports")
    p.add_argument("--out", default="data/sample-contracts.xlsx")
    p.add_argument("--seed", type=int, default=2024)
    _add_db(p)
    p.set_defaults(func=cmd_sample_contracts)

    p = sub.add_parser("check", help="list data-quality findings: which reports not to trust, and why")
    p.add_argument("query", nargs="?", help="text in grantee, title, contract number or report id")
    p.add_argument("--format", choices=("table", "json"), default="table")
    _add_db(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("summary", help="print the summary table: reports, money, beneficiaries, plan vs fact, cost")
    p.add_argument("--by", choices=SUMMARY_GROUPS, help="one row per region, direction, year or NGO (default: one total row)")
    _add_filters(p)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    _add_db(p)
    p.set_defaults(func=cmd_summary)
    p = sub.add_parser("export", help="write the summary workbook (.xlsx) or the summary table (.csv) for the filters")
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.xlsx: the summary workbook; FILE.csv: the summary table")
    p.add_argument("--by", choices=SUMMARY_GROUPS, help="write only the summary table, one row per region, direction, year or NGO")
    _add_filters(p)
    p.add_argument("--sep", choices=(",", ";"), default=",", help="CSV separator (; writes decimal commas, for Russian-locale Excel)")
    p.add_argument("--lang", choices=("ru", "kk", "en"), default="ru", help="language of the workbook's texts and names")
    _add_db(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("brief", help="write a one- or two-page PDF brief of the selection: figures, charts, "
                                     "shortfalls, overdue reports, data quality")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--lang", choices=("ru", "kk", "en"), default="ru", help="the brief's language")
    p.add_argument("--as-of", metavar="DATE", help="the day overdue reports are counted on, YYYY-MM-DD (default: today)")
    _add_filters(p)
    _add_db(p)
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser("review", help="review findings: list them, mark them accepted or returned, write an NGO's letter")
    p.add_argument("action", choices=("list", "mark", "letter"))
    p.add_argument("keys", nargs="*", metavar="FINDING_KEY", help="mark: the findings (as list shows their keys)")
    p.add_argument("--status", help="list: open|accepted|returned|all (default open); mark: accepted|returned|open")
    p.add_argument("--comment", help="mark: why")
    p.add_argument("--who", help="mark: the reviewer (default: the operating-system user)")
    p.add_argument("--ngo", metavar="NGO_KEY", help="letter: the NGO")
    p.add_argument("--out", metavar="FILE.xlsx", help="letter: the workbook to write")
    p.add_argument("--lang", choices=("ru", "kk", "en"), default="ru")
    _add_filters(p)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    _add_db(p)
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("history", help="list earlier versions of reports (kept when a later load replaced them)")
    p.add_argument("query", nargs="?", help="text in grantee, title, contract number or report id")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    _add_db(p)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("restore", help="make an earlier version of a report current again (see: history)")
    p.add_argument("version", help="the version number history lists")
    _add_db(p)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("audit", help="print the audit log: who signed in, loaded, replaced, restored, exported")
    p.add_argument("--since", metavar="WHEN", help="only events from this ISO date or time on (UTC), e.g. 2025-03-01")
    p.add_argument("--user", help="only events of users whose name or e-mail contains this")
    p.add_argument("--action", choices=("sign_in", "sign_out", "load", "replace", "restore", "contracts", "review",
                                        "export", "download", "denied"))
    p.add_argument("--limit", type=int, help="at most this many events (newest first)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    _add_db(p)
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("publish", help="publish a snapshot of the database for readers now (loads do it themselves)")
    _add_db(p)
    p.set_defaults(func=cmd_publish)

    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error; nothing more to print
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush cannot fail again
        return 0
    except (FileNotFoundError, RuntimeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
