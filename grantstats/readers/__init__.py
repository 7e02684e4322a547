"""Readers turn one file into reports; each layout has its own module, tried in a fixed order.

A workbook may hold several reports of several layouts: one form per sheet, a form spread over sheets, a
registry sheet (one row a report) beside form sheets, notes. Each sheet is read as what it holds, and each
report's fields come from its own sheet or block only. What holds figures beside labels the catalog knows
but yields no report becomes an `unread_part` finding on the file's reports, or (when the file yields no
report at all) the reason in its refusal line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from grantstats import catalog, privacy
from grantstats.findings import messages as finding_messages
from grantstats.model import Finding, Report
from grantstats.refusals import refusal
from grantstats.readers.grid import (
    DOCUMENT_SUFFIXES, SUPPORTED_SUFFIXES, Grid, cell_name, column_letters, expected_suffixes, load_grids,
    without_hidden, xlsx_hidden_columns, xlsx_hidden_rows,
)
from grantstats.readers.ods_hidden import ods_hidden
from grantstats.readers.xls_hidden import xls_hidden

if TYPE_CHECKING:
    from grantstats.readers.registry import RegistrySheet

LAYOUT_FORM, LAYOUT_REGISTRY = "form", "registry"
SCAN_ROWS = 300  # rows of an unread sheet looked at for figures beside known labels
LABEL_MAX_CHARS = 160
SHEETS_IN_MESSAGE = 4
NOTHING_KNOWN = "nothing the catalog knows"
EXPECTED_LAYOUTS = ("a registry header row naming report fields (grantee, region, grant amount, beneficiaries…) "
                    "or a final-report form (passport labels, an indicator table, participant tables)")
_FIGURE_TEXT = re.compile(r"\s*[-+]?\d[\d\s.,]*%?\s*")


def _content(report: Report) -> int:
    """How much a reading of a report found: its fields, indicators and participant buckets."""
    return len(report.field_at) + len(report.indicators) + len(report.participants)


@dataclass
class SheetNote:
    """Why a sheet gave no report, for the refusal line and the unread_part finding."""

    sheet: str
    cell: str | None
    reason: str  # English, one clause
    reason_ru: str = ""
    figures: bool = False  # the sheet holds figures beside known labels: worth a finding
    why: dict | None = None  # the reason as a finding_messages term (any language)
    severity: str = "warning"  # the finding's: "info" for rows left out because they are no reports (totals)


def _phrase_note(sheet: str, cell: str | None, why: dict, figures: bool = False, severity: str = "warning"
                 ) -> SheetNote:
    """A note whose reason is a phrase of findings.messages: its wording kept there once, in every language."""
    return SheetNote(sheet, cell, finding_messages.term_text(why, "en"), finding_messages.term_text(why, "ru"),
                     figures, why, severity)


@dataclass
class WorkbookReading:
    layout: str
    reports: list[Report] = field(default_factory=list)
    notes: list[SheetNote] = field(default_factory=list)


def read_document_file(path: Path) -> tuple[str, list[Report]]:
    """A Word report ('word') or a PDF exported from Word ('pdf'): its one grid read by the form reader."""
    from grantstats.readers.document import read_document

    if path.suffix.lower() == ".docx":
        from grantstats.readers.word import load_word_grid

        return read_document(load_word_grid(path), path.name, "word", "Word document")
    from grantstats.readers.pdf import load_pdf_grid

    return read_document(load_pdf_grid(path), path.name, "pdf", "PDF")


def read_reports(path: str | Path) -> tuple[str, list[Report]]:
    """The layout a file is in and the reports it holds; ReadError (one line, file named) when none.

    Tidy exports are recognised by their sheet names. Otherwise every sheet is read (readers.read_workbook).
    Personal data is taken out of every report (privacy.clean_report).
    """
    from grantstats.readers import tidy

    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise refusal("unsupported_suffix", path.name)
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        return read_document_file(path)
    grids = load_grids(path)
    if not any(g.height for g in grids):
        names = ", ".join(f"«{g.name}»" for g in grids[:SHEETS_IN_MESSAGE])
        raise refusal("no_cells_in_sheets", path.name, sheets=names) if names else refusal("no_cells", path.name)
    reports = tidy.read_tidy(grids, path.name)
    if reports is not None:
        return "tidy", reports
    reading = read_workbook(grids, path)
    if not reading.reports:
        raise refusal("no_report_in_sheets", path.name, why=_refusal(reading.notes, "en"),
                      why_ru=_refusal(reading.notes, "ru"), why_kk=_refusal(reading.notes, "kk"))
    findings = [_unread_finding(note) for note in reading.notes if note.figures]
    for report in reading.reports:
        report.findings.extend(findings)
        privacy.clean_report(report)
    return reading.layout, reading.reports


def read_workbook(grids: list[Grid], path: Path | None = None) -> WorkbookReading:
    """Every report of a workbook, sheet by sheet: registry sheets give a report a row, the other sheets are
    read as forms (one or several); and why each sheet that gave nothing gave nothing."""
    from grantstats.readers import fields, form, registry

    hidden_sheets = [g for g in grids if g.hidden]  # what Excel hides, the person filling the form never saw
    grids = [g for g in grids if not g.hidden]
    hidden_of = _hidden_columns_finder(path)
    parts_of = {i: form.sheet_parts(g, i) if g.rows else [] for i, g in enumerate(grids)}
    hidden_notes: dict[int, SheetNote] = {}
    hidden_cells = _hidden_cells(path, {grids[i].name for i, parts in parts_of.items() if parts}, hidden_of)
    for i, grid in enumerate(grids):
        if grid.name in hidden_cells:  # a form sheet is read as a person sees it
            rows, cols = hidden_cells[grid.name]
            parts_of[i] = form.sheet_parts(without_hidden(grid, rows, cols), i)
            note = _hidden_cells_note(grid, rows, cols)
            if note is not None:
                hidden_notes[i] = note
    registries: dict[int, registry.RegistrySheet] = {}
    contract_lists: dict[int, registry.RegistrySheet] = {}  # read as contracts (--contracts), never as reports
    for i, grid in enumerate(grids):
        if not grid.rows or any(k != "activities" for p in parts_of[i] for k in p.tables):
            continue  # a form's tables are on this sheet: a registry has none (and the search costs time)
        found = registry.read_sheet(grid, lambda name=grid.name: hidden_of(name))
        if found is None:
            found = registry.read_sideways(grid)
        if found is None:
            continue
        if registry.is_contracts_list(found):
            contract_lists[i] = found
            continue
        if len(found.reports) <= 1 and parts_of[i]:
            # a passport whose labels stand in one header row: the form reader reads it whole (with its tables on
            # other sheets its values row holds no figure, so the registry reader takes it for no report at all)
            form_report, _ = form.report_of(parts_of[i])
            if (_content(form_report) >= _content(found.reports[0]) if found.reports
                    else not fields.is_shell(form_report)):
                continue
        registries[i] = found
    forms = form.forms_from_parts([p for i, parts in parts_of.items() if i not in registries and i not in contract_lists
                                   for p in parts])
    notes: list[SheetNote] = []
    form_reports, summary_sheets = _without_summaries(forms.reports, registries, notes)
    reports: list[tuple[int, Report]] = []
    index_of = {g.name: i for i, g in enumerate(grids)}
    for report in form_reports:
        reports.append((index_of.get(report.source.sheet, 0), report))
    for i, sheet in registries.items():
        reports.extend((i, r) for r in sheet.reports)
        hidden = registry.hidden_column_note(sheet)
        if hidden:
            notes.append(SheetNote(sheet.grid.name, sheet.grid.cell(sheet.header_row, 0), hidden[1], hidden[0], True,
                                   hidden[2]))
        unclear = registry.unclear_column_note(sheet)
        if unclear:
            notes.append(_phrase_note(sheet.grid.name, sheet.grid.cell(sheet.header_row, 0), unclear, figures=True))
        notes.extend(_registry_row_notes(sheet))
        if not sheet.reports and i not in summary_sheets:
            notes.append(_phrase_note(sheet.grid.name, sheet.grid.cell(sheet.header_row, 0),
                                      {"phrase": "registry_without_rows"}))
    for sheet in contract_lists.values():
        notes.append(_phrase_note(sheet.grid.name, sheet.grid.cell(sheet.header_row, 0), {"phrase": "contracts_list"},
                                  figures=True))
    notes.extend(note for i, note in hidden_notes.items() if i not in registries and i not in contract_lists)
    reports.sort(key=lambda item: item[0])  # sheet order; within a sheet, as read
    notes.extend(SheetNote(u.sheet, u.cell, u.text_en, u.text_ru, True, u.why) for u in forms.unread)
    used = {r.source.sheet for _, r in reports} | {n.sheet for n in notes}
    used |= {sheet for sheets in forms.report_sheets for sheet in sheets}
    for part in forms.shells:
        if part.sheet not in used:
            used.add(part.sheet)
            labels = ", ".join(f"«{fv.label.strip().rstrip(':')[:40]}»" for fv in list(part.found.values())[:3])
            notes.append(_phrase_note(part.sheet, part.starts[0][3].cell if part.starts else None,
                                      {"phrase": "passport_without_form", "labels": labels}))
    for grid in grids:
        if grid.name not in used:
            notes.append(_unused_sheet_note(grid))
    notes.extend(_hidden_sheet_note(grid) for grid in hidden_sheets)
    layouts = {LAYOUT_FORM if form_reports else None, LAYOUT_REGISTRY if any(s.reports for s in registries.values())
               else None} - {None}
    layout = "+".join(sorted(layouts)) or LAYOUT_FORM
    return WorkbookReading(layout, [r for _, r in reports], notes)


def _without_summaries(form_reports: list[Report], registries: dict[int, RegistrySheet], notes: list[SheetNote]
                       ) -> tuple[list[Report], set[int]]:
    """The form reports less those summing up the others, the registry rows listing a form's report taken out of
    their sheets, each set-aside named in a note (readers.summary); and the registry sheets that were summaries.
    Looked for only in a workbook of several reports, some of them forms."""
    from grantstats.readers import registry, summary

    summary_sheets: set[int] = set()
    if not form_reports or len(form_reports) + sum(len(s.reports) for s in registries.values()) < 2:
        return form_reports, summary_sheets
    totals = summary.form_summaries(form_reports) if len(form_reports) >= 2 else []
    if totals:
        set_aside = {id(found.report) for found in totals}
        form_reports = [r for r in form_reports if id(r) not in set_aside]
        sheets = summary.sheets_text(form_reports, SHEETS_IN_MESSAGE)
        for found in totals:
            why = ({"phrase": "summary_form_differs", "label": found.label, "sheets": sheets,
                    "figures": summary.differences_term(found.differing)} if found.label and found.differing
                   else {"phrase": "summary_form", "sheets": sheets})
            notes.append(_phrase_note(found.report.source.sheet or "", found.report.source.cell, why, figures=True,
                                      severity="warning" if found.differing else "info"))
    for i, sheet in registries.items():
        listed = summary.summary_rows(sheet.reports, form_reports) if sheet.reports and form_reports else None
        if not listed or not listed.matched:
            continue
        rows = listed.rows
        sheet.reports = [r for r in sheet.reports if id(r) not in rows]
        sheets = summary.sheets_text([report for _, report in listed.matched], SHEETS_IN_MESSAGE)
        if sheet.reports:
            numbers = [str(summary.row_number(row)) for row, _ in listed.matched]
            shown = ", ".join(numbers[:registry.ROWS_NAMED]) + (", …" if len(numbers) > registry.ROWS_NAMED else "")
            said = [{"phrase": "summary_registry_rows", "rows": shown, "sheets": sheets}]
        else:
            summary_sheets.add(i)
            said = [{"phrase": "summary_registry", "sheets": sheets}]
        differ = [summary.differences_term(d, summary.row_number(row)) for row, report in listed.matched
                  if (d := summary.differing(row, summary.figures(report)))]
        if differ:
            said.append({"phrase": "summary_figures_differ", "figures": {"join": differ, "sep": "; "}})
        why = said[0] if len(said) == 1 else {"join": said, "sep": "; "}
        notes.append(_phrase_note(sheet.grid.name, sheet.grid.cell(sheet.header_row, 0), why, figures=True,
                                  severity="warning" if differ else "info"))
    return form_reports, summary_sheets


def _registry_row_notes(sheet: RegistrySheet) -> list[SheetNote]:
    """What a registry sheet left unread, named for findings: columns naming what an earlier one gives (warning),
    columns of figures the catalog does not know (info: extra data, the standard figures are whole); totals,
    subtotals, a repeated header and notes as one note (info: the sheet's reports are whole), another table under
    the first as another (warning: its rows are not read)."""
    from grantstats.readers import registry

    notes = []
    twice = registry.twice_columns_term(sheet)
    if twice:
        notes.append(_phrase_note(sheet.grid.name, sheet.grid.cell(sheet.header_row, sheet.twice[0][0]), twice, True))
    unknown = registry.unknown_columns_term(sheet)
    if unknown:
        notes.append(_phrase_note(sheet.grid.name, sheet.grid.cell(sheet.header_row, sheet.unknown[0]), unknown, True, "info"))
    skipped = registry.skipped_rows_term(sheet)
    if skipped:
        notes.append(_phrase_note(sheet.grid.name, sheet.grid.cell(sheet.skipped[0][0], 0), skipped, True, "info"))
    second = registry.second_table_term(sheet)
    if second:
        notes.append(_phrase_note(sheet.grid.name, sheet.grid.cell(sheet.second_table, 0), second, True))
    return notes


# What an .ods or .xls hides, each sheet's (rows, columns), read from the file by a reader of its own; an .xlsx's
# hidden parts are looked for only where the safety check saw a sign of them (xlsx_hidden_rows/columns).
HIDDEN_PARTS_OF = {".ods": ods_hidden, ".xls": xls_hidden}


def _hidden_columns_finder(path: Path | None):
    """A function giving a sheet's hidden columns; the file is looked into once, on the first question."""
    known: dict[str, frozenset[int]] | None = None

    def hidden_of(sheet: str) -> frozenset[int]:
        nonlocal known
        if known is None:
            from grantstats.safety import columns_may_be_hidden

            suffix = path.suffix.lower() if path is not None else ""
            if suffix in HIDDEN_PARTS_OF:
                known = {name: cols for name, (_, cols) in HIDDEN_PARTS_OF[suffix](path).items() if cols}
            else:  # (the safety check saw each sheet's head: when it saw no hidden column, none)
                known = (xlsx_hidden_columns(path) if suffix in (".xlsx", ".xlsm") and columns_may_be_hidden(path)
                         else {})
        return known.get(sheet, frozenset())

    return hidden_of


def _hidden_cells(path: Path | None, sheets: set[str], hidden_columns) -> dict[str, tuple[frozenset[int], frozenset[int]]]:
    """The hidden rows and columns of these sheets (of an .xlsx/.xlsm, .ods or .xls), by sheet name: only sheets
    hiding any.

    Hidden columns are known from each sheet's head, hidden rows from its cells: neither is looked for again when
    the safety check of the file saw none; else only the sheets asked about (those holding a form) are read."""
    suffix = path.suffix.lower() if path is not None else ""
    if suffix not in (".xlsx", ".xlsm", *HIDDEN_PARTS_OF) or not sheets:
        return {}
    from grantstats.safety import rows_may_be_hidden

    if suffix in HIDDEN_PARTS_OF:
        rows = {name: hidden_rows for name, (hidden_rows, _) in HIDDEN_PARTS_OF[suffix](path).items()}
    else:  # (the safety check read the cells: when it saw no hidden row, none)
        rows = xlsx_hidden_rows(path, sheets) if rows_may_be_hidden(path) else {}
    out = {}
    for name in sheets:
        hidden = (rows.get(name, frozenset()), hidden_columns(name))
        if hidden[0] or hidden[1]:
            out[name] = hidden
    return out


def _hidden_cells_note(grid: Grid, rows: frozenset[int], cols: frozenset[int]) -> SheetNote | None:
    """The hidden rows and columns of a form sheet that held figures beside known labels (an old row, an old
    column of facts), named for an unread_part finding; None when none did."""
    named_rows: list[str] = []
    first: tuple[int, int] | None = None
    for r in sorted(rows):
        if r >= grid.height:
            break
        label = _label_before_figure(grid.rows[r], cols=frozenset())
        if label is not None:
            named_rows.append(f"{r + 1} «{label[1].strip()[:40]}»")
            first = first or (r, label[0])
    named_cols: list[str] = []
    for c in sorted(cols):
        for r in range(grid.height):
            if r in rows or not _is_figure(grid.value(r, c)):
                continue
            if _label_before_figure(grid.rows[r][:c + 1], cols) is not None:
                header = next((grid.text(rr, c) for rr in range(grid.height) if _looks_like_label(grid.value(rr, c))),
                              "")
                named_cols.append(f"{column_letters(c)} «{header[:40]}»" if header else column_letters(c))
                first = first or (r, c)
                break
    if not named_rows and not named_cols:
        return None
    said = ([{"phrase": "hidden_rows", "rows": ", ".join(named_rows)}] if named_rows else []) + (
        [{"phrase": "hidden_columns", "columns": ", ".join(named_cols)}] if named_cols else [])
    why = said[0] if len(said) == 1 else {"join": said, "sep": "; "}
    return _phrase_note(grid.name, cell_name(*first), why, figures=True)


def _looks_like_label(value) -> bool:
    return isinstance(value, str) and any(ch.isalpha() for ch in value) and len(value) <= LABEL_MAX_CHARS


def _label_before_figure(row: list, cols: frozenset[int]) -> tuple[int, str] | None:
    """A row's label (its first text, outside the columns `cols`) when the catalog knows it and a figure stands
    right of it (its last cell, when `cols` is given: the figure in a hidden column)."""
    for c, value in enumerate(row):
        if c in cols or not _looks_like_label(value):
            continue
        figures = row[-1:] if cols else row[c + 1:]
        if c + 1 < len(row) and any(_is_figure(v) for v in figures) and _names_something(value.strip()):
            return c, value
        return None
    return None


def _unused_sheet_note(grid: Grid) -> SheetNote:
    """Why a sheet no reader took gave nothing: empty, nothing the catalog knows, or figures beside known
    labels that no registry header or form passport ties to a report (then worth a finding)."""
    if grid.error:
        return SheetNote(grid.name, None, f"the sheet cannot be read ({grid.error})",
                         f"лист не читается ({grid.error})", True,
                         {"phrase": "unreadable_sheet", "error": f"{grid.error}"})
    if not any(any(v not in ("", None) for v in row) for row in grid.rows[:SCAN_ROWS]):
        return SheetNote(grid.name, None, "empty", "пустой")
    labels, cell = _known_labels_beside_figures(grid)
    if labels:
        shown = ", ".join(f"«{label[:40]}»" for label in labels)
        return SheetNote(grid.name, cell,
                         f"figures beside known labels ({shown}), but no registry header naming an organisation "
                         f"or a title and no form passport to tie them to a report",
                         f"цифры рядом с известными подписями ({shown}), но нет ни заголовка реестра с "
                         f"организацией или темой, ни паспорта формы, чтобы отнести их к отчёту", True,
                         {"phrase": "figures_beside_labels", "labels": shown})
    return SheetNote(grid.name, None, NOTHING_KNOWN, "ничего знакомого каталогу", why={"phrase": "nothing_known"})


def _hidden_sheet_note(grid: Grid) -> SheetNote:
    """A hidden sheet is not read; when it holds figures beside known labels (an old draft of a report), that
    is worth a finding."""
    labels, cell = _known_labels_beside_figures(grid)
    if labels:
        shown = ", ".join(f"«{label[:40]}»" for label in labels)
        return _phrase_note(grid.name, cell, {"phrase": "hidden_sheet_figures", "labels": shown}, figures=True)
    return _phrase_note(grid.name, None, {"phrase": "hidden_sheet"})


def _is_figure(value) -> bool:
    if value.__class__ in (int, float):
        return True
    return isinstance(value, str) and bool(_FIGURE_TEXT.fullmatch(value)) and any(ch.isdigit() for ch in value)


def _names_something(text: str) -> bool:
    return any(matcher(text) for matcher in (catalog.match_indicator, catalog.match_field, catalog.match_category,
                                             catalog.match_gender))


def _known_labels_beside_figures(grid: Grid) -> tuple[list[str], str | None]:
    """Up to three labels the catalog knows that stand in a row holding a figure, and the first one's cell."""
    labels: list[str] = []
    cell = None
    for r, row in enumerate(grid.rows[:SCAN_ROWS]):
        if not any(_is_figure(v) for v in row):
            continue
        for c, value in enumerate(row):
            if _looks_like_label(value):
                text = value.strip()
                if text not in labels and _names_something(text):
                    labels.append(text)
                    cell = cell or cell_name(r, c)
                break  # a row's first text is its label
        if len(labels) >= 3:
            break
    return labels, cell


_SHEET_WORDS = {  # (one sheet, several, «and N more», N empty, all empty, none) in each language
    "ru": ("лист", "листы", " и еще {n}", "пустых листов: {n}", "все листы пусты", "нет листов"),
    "kk": ("парақ", "парақтар", " және тағы {n}", "бос парақтар: {n}", "барлық парақтар бос", "парақ жоқ"),
    "en": ("sheet", "sheets", " and {n} more", "{n} empty sheets", "every sheet is empty", "no sheet"),
}


def _refusal(notes: list[SheetNote], lang: str = "en") -> str:
    """Why no sheet gave a report, in ``lang``: sheets with the same reason together, the telling reasons first
    (figures that could not be tied to a report before sheets the catalog knows nothing of); empty sheets counted."""
    from grantstats.findings.messages import term_text

    one, several, more, empties, all_empty, none = _SHEET_WORDS[lang]
    grouped: dict[str, list[str]] = {}
    for note in sorted(notes, key=lambda n: (not n.figures, n.reason == NOTHING_KNOWN)):
        if note.reason != "empty":
            reason = term_text(note.why, lang) if note.why else (note.reason if lang == "en" else note.reason_ru)
            grouped.setdefault(reason, []).append(note.sheet)
    parts = []
    for reason, sheets in list(grouped.items())[:SHEETS_IN_MESSAGE]:
        named = ", ".join(f"«{s}»" for s in sheets[:SHEETS_IN_MESSAGE])
        extra = len(sheets) - SHEETS_IN_MESSAGE
        parts.append(f"{several if len(sheets) > 1 else one} {named}{more.format(n=extra) if extra > 0 else ''}: {reason}")
    empty = sum(1 for n in notes if n.reason == "empty")
    if empty:
        counted = empties.format(n=empty) if lang != "en" or empty != 1 else "1 empty sheet"
        parts.append(counted if parts else all_empty)
    return "; ".join(parts) or none


def _unread_finding(note: SheetNote) -> Finding:
    if note.why is None:  # (every note worth a finding says why in any language; this one only in two)
        return Finding("unread_part", "warning", f"Часть файла не прочитана — лист «{note.sheet}»: {note.reason_ru}",
                       f"Part of the file was not read — sheet «{note.sheet}»: {note.reason}", note.sheet, note.cell)
    params = {"key": "unread_part", "sheet": f"{note.sheet}", "reason": note.why}
    ru, en, _ = finding_messages.texts(params)
    return Finding("unread_part", note.severity, ru, en, note.sheet, note.cell, params)
