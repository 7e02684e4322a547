"""The command line: thin commands over the library. Errors are one line and an exit code, never a traceback."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


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


def cmd_ingest(args: argparse.Namespace) -> int:
    if args.workers != 0:
        from grantstats.worker import start_fork_server

        start_fork_server()  # the workers' readers load while this process opens the database
    from grantstats import store
    from grantstats.ingest import collect_paths, ingest_paths
    from grantstats.safety import Limits

    paths, missing = collect_paths(args.paths)
    for result in missing:
        print(result.line())
    if not paths and not any(r.status == "refused" for r in missing):
        print("no report files found in the given folders")
        return 1
    with store.connect(args.db) as con:
        if args.workers != 0:
            con.execute("SET threads = 1")  # the parsing workers keep both CPUs busy: saving in one thread costs less
        limits = Limits.from_env(max_file_mb=args.max_file_mb)
        results = ingest_paths(con, paths, workers=args.workers, limits=limits,
                               on_result=lambda r: print(r.line(), flush=True))
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
    return 1 if refused else 0


def _format_amount(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}".replace(",", " ") + " ₸"


def _format_number(value, qualifier=None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}".replace(",", " ") if float(value).is_integer() else f"{value:,.2f}".replace(",", " ")
    marks = {"approx": "≈", "at_least": "≥", "at_most": "≤"}
    return marks.get(qualifier, "") + text


def report_card(d: dict) -> str:
    """A readable plain-text card of one report."""
    from grantstats import catalog

    lines = [f"{d['report_id']}  {d['grantee'] or '—'}", f"  Проект:      {d['title'] or '—'}"]
    contract = " от ".join(x for x in (d["contract_no"] and f"№ {d['contract_no']}", d["contract_date"]) if x)
    lines.append(f"  Договор:     {contract or '—'}")
    lines.append(f"  Период:      {d['period_start'] or '?'} – {d['period_end'] or '?'}   год: {d['year'] or '—'}")
    regions = ", ".join(catalog.name("region", c) for c in d["regions"]) or catalog.name("region", None)
    lines.append(f"  Регион:      {regions}")
    lines.append(f"  Направление: {catalog.name('direction', d['direction']) if d['direction'] else '—'}")
    amount = _format_amount(d["grant_amount"])
    if d["amount_by_year"]:
        amount += "  (" + "; ".join(f"{y}: {_format_amount(a)}" for y, a in d["amount_by_year"].items()) + ")"
    lines.append(f"  Сумма:       {amount}")
    if d["indicators"]:
        lines.append("  Индикаторы:  план / факт")
        for code in catalog.codes("indicator"):
            v = d["indicators"].get(code)
            if v:
                lines.append(f"    {catalog.name('indicator', code):<60} {_format_number(v['plan'], v['plan_qualifier']):>14}"
                             f" / {_format_number(v['fact'], v['fact_qualifier'])}")
    lines.append(f"  Участники:   {_format_number(d['participants_total'])}  "
                 + ", ".join(f"{catalog.name('gender', k)}: {_format_number(v)}" for k, v in d["gender"].items()))
    if d["findings"]:
        lines.append(f"  Замечания:   {len(d['findings'])}")
        for f in d["findings"][:10]:
            lines.append(f"    [{f['severity']}] {f['rule']}: {f['message']} ({f['where']})")
    src = d["source"]
    lines.append(f"  Источник:    {src['file']}" + (f", лист {src['sheet']}" if src["sheet"] else "")
                 + (f", {src['cell']}" if src["cell"] else ""))
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace) -> int:
    from grantstats import store
    with store.connect(args.db, read_only=True) as con:
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


def cmd_check(args: argparse.Namespace) -> int:
    from grantstats import store
    from grantstats import quality

    with store.connect(args.db, read_only=True) as con:
        ids = store.find_reports(con, args.query)
        records = quality.findings_records(con, ids)
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


SUMMARY_GROUPS = ("region", "direction", "year", "ngo")


def _summary_records(df) -> list[dict]:
    """DataFrame rows as plain dicts: None for missing, int for whole counts, float otherwise."""
    import math

    import pandas as pd

    records = []
    for row in df.to_dict("records"):
        out = {}
        for key, value in row.items():
            if hasattr(value, "item"):
                value = value.item()
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
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
    from grantstats import store
    import csv

    from grantstats import catalog, metrics

    flt = _filter_from_args(args)
    with store.connect(args.db, read_only=True) as con:
        df = metrics.summary(con, flt, args.by)
    rows = _summary_records(df)
    columns = list(df.columns)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if r[c] is None else r[c] for c in columns] for r in rows])
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
    from grantstats import store
    import time

    from grantstats import export, metrics

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(f"export writes .xlsx (the summary workbook) or .csv (the summary table): not {out.name}")
    flt = _filter_from_args(args)
    started = time.perf_counter()
    with store.connect(args.db, read_only=True) as con:
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
    print(f"wrote {what} to {out} in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from grantstats import store
    from grantstats import history

    with store.connect(args.db, read_only=True) as con:
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
    from grantstats import store
    from grantstats import history

    with store.connect(args.db) as con:
        try:
            done = history.restore(con, args.version)
        except history.HistoryError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    kept = (f"; the version it replaced is kept as version {done['archived_version']}"
            if done["archived_version"] is not None else "")
    print(f"restored version {done['restored_version']} of report {done['report_id']}{kept}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m grantstats", description="grantstats: grant final reports analytics")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="load report files or folders into the database")
    p.add_argument("paths", nargs="+", help="files or folders (searched recursively)")
    p.add_argument("--workers", type=int, default=None, help="parsing processes (default: 2; 0 = in this process)")
    p.add_argument("--max-file-mb", type=float, default=None,
                   help="refuse files larger than this (default: $GRANTSTATS_MAX_FILE_MB or 50)")
    _add_db(p)
    p.set_defaults(func=cmd_ingest)

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

    p = sub.add_parser("history", help="list earlier versions of reports (kept when a later load replaced them)")
    p.add_argument("query", nargs="?", help="text in grantee, title, contract number or report id")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    _add_db(p)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("restore", help="make an earlier version of a report current again (see: history)")
    p.add_argument("version", help="the version number history lists")
    _add_db(p)
    p.set_defaults(func=cmd_restore)

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
