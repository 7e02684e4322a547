"""A brief for the minister: one or two A4 pages of the current view as a PDF.

Headline figures (the overview's cards, formatted alike), the trend by year and the regions as charts, the
largest shortfalls, the overdue reports, a data-quality note, the filters and the date. The page is HTML typeset
by headless Chromium (``--print-to-pdf``): the same browser the tests and CI already install, and one tool for the
text, the tables and the charts — plotly draws them with its own plotly.js (bundled with the plotly package,
inlined, nothing fetched), as vector graphics whose labels stay text. (Kaleido 1.x, plotly's image export, drives
that same Chrome but makes only the chart images: the page would still need a typesetter.) The text is set in
DejaVu Sans (Debian's fonts-dejavu-core), which has every Cyrillic and Kazakh letter; Chromium embeds it.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from grantstats import catalog, formatting as fmt, i18n
from grantstats.metrics import Filter

FONT = "DejaVu Sans"
CHROMIUM_ENV = "GRANTSTATS_CHROMIUM"
TIMEOUT_S = 120
TOP = 5  # rows of the shortfall and overdue tables


class BriefError(Exception):
    """The PDF could not be made; the message is one line for the user."""


def chromium() -> str:
    """The Chromium (or Chrome) to typeset with: $GRANTSTATS_CHROMIUM, else the first one on the PATH."""
    for candidate in (os.environ.get(CHROMIUM_ENV), "chromium", "chromium-browser", "google-chrome", "chrome"):
        if candidate and (shutil.which(candidate) or Path(candidate).is_file()):
            return shutil.which(candidate) or candidate
    raise BriefError("the brief needs Chromium to typeset the PDF: install Debian's chromium "
                     f"(apt-get install chromium) or name it in ${CHROMIUM_ENV}")


# ------------------------------------------------------------------------------------------------ figures


def brief_data(con, flt: Filter = Filter(), lang: str = "ru", as_of: date | None = None) -> dict[str, Any]:
    """Everything the brief shows, computed by the library (no arithmetic here): the overview's headline row and
    the change against the year before, the trend by year, the regions, shortfalls, overdue contracts, quality.
    Every figure keeps to the filter's scope (the reader's regions), the data source line and contracts too."""
    from grantstats import completeness, health, metrics, scope as scopes, shortfall

    head = metrics.headline(con, flt).iloc[0]
    yoy = metrics.year_over_year(con, flt.with_(year_from=flt.year_from - 1) if flt.year_from else flt)
    last = yoy[yoy["year"] == (flt.year_to or yoy["year"].max())] if not yoy.empty else yoy
    indicators = ["direct_beneficiaries", "indirect_beneficiaries"]
    pf = metrics.plan_vs_fact(con, flt, indicators=indicators)
    approx = {r["indicator"]: (r["approx_share"] or 0) > 0 for r in pf.to_dict("records")}
    last_year = int(last["year"].iloc[-1]) if not last.empty else None
    pf_year = (metrics.plan_vs_fact(con, flt.with_(year_from=last_year, year_to=last_year), indicators=indicators)
               if last_year is not None else pf)
    approx_year = {r["indicator"]: (r["approx_share"] or 0) > 0 for r in pf_year.to_dict("records")}
    data: dict[str, Any] = {
        "head": head, "last": last.iloc[-1] if not last.empty else None, "approx": approx,
        "by_year": metrics.totals(con, flt, by="year").dropna(subset=["year"]),
        "by_region": metrics.totals(con, flt, by="region"),
        "short_summary": shortfall.shortfall_summary(con, flt).iloc[0],
        "shortfalls": shortfall.shortfall_breakdown(con, flt, by="report", limit=TOP),
        "health": health.health_summary(con, flt).iloc[0] if head["reports"] else None,
        "source": scopes.data_source(con, flt.scope), "as_of": as_of or date.today(), "flt": flt, "lang": lang,
        "contracts": None, "approx_year": approx_year,
    }
    if completeness.contracts_loaded(con, flt.scope)["contracts"]:
        data["contracts"] = completeness.completeness_by(con, flt, as_of=data["as_of"]).iloc[0]
        data["overdue"] = completeness.contract_status(con, flt, as_of=data["as_of"], status="overdue").head(TOP)
    return data


def headline_cards(data: dict[str, Any]) -> list[tuple[str, str, str | None, str | None]]:
    """The overview's cards as (label, value, change against the year before, total of the selected years): the
    latest selected year's figure and its change («Отчеты, 2025», +12 %), the total of the years under it — the same
    figures, formatted alike (a value and its change speak of one year; the total says which years it adds up)."""
    head, last, lang = data["head"], data["last"], data["lang"]
    approx, approx_year = data["approx"], data.get("approx_year", data["approx"])
    years = [int(y) for y in data["by_year"]["year"]]
    span = (f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])) if years else None

    def figure(kind: str, value: Any, approximate: bool = False) -> str:
        if kind == "count":
            return fmt.count(value, approximate, lang=lang)
        if kind == "share":
            return fmt.share(value, approximate=approximate, lang=lang)
        return fmt.money(value, lang)

    def delta(column: str) -> str | None:
        if last is None or fmt.is_missing(last.get("reports_prev")):
            return None
        if column == "direct_achievement":
            return fmt.points_change(last[column], last[f"{column}_prev"], lang)
        if f"{column}_prev" not in last:
            return None
        return fmt.change(last[column], last[f"{column}_prev"], lang=lang)

    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    cards = (("reports", "reports", "count", None), ("ngos", "ngos", "count", None),
             ("grant_amount", "grant_amount", "money", None),
             ("direct", "direct_beneficiaries", "count", "direct_beneficiaries"),
             ("indirect", "indirect_beneficiaries", "count", "indirect_beneficiaries"),
             ("card_achievement", "direct_achievement", "share", "direct_beneficiaries"),
             ("card_cost", "cost_per_beneficiary", "money", None),
             ("reports_with_errors", "reports_with_errors", "count", None))
    if last is None:
        return [(t(label), figure(kind, head[key], approx.get(indicator, False)), None, None)
                for label, key, kind, indicator in cards]
    year = int(last["year"])
    single = span == str(year)
    return [(f"{t(label)}, {year}", figure(kind, last[key], approx_year.get(indicator, False)), delta(key),
             None if single else t("card_total", years=span, value=figure(kind, head[key], approx.get(indicator, False))))
            for label, key, kind, indicator in cards]


# ------------------------------------------------------------------------------------------------ charts


def _charts(data: dict[str, Any]) -> tuple[str, str]:
    """The trend and the regions as plotly figures' HTML (the plotly.js library is added once, by the page)."""
    import plotly.graph_objects as go
    import plotly.io as pio

    lang = data["lang"]
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    layout = {"font": {"family": FONT, "size": 10}, "margin": {"l": 8, "r": 8, "t": 30, "b": 8},
              "plot_bgcolor": "white", "paper_bgcolor": "white", "separators": ", "}
    by_year = data["by_year"]
    years = [str(int(y)) for y in by_year["year"]]
    trend = go.Figure()
    trend.add_trace(go.Bar(x=years, y=by_year["direct_beneficiaries"], name=t("direct"), marker_color="#1F5F8B",
                           text=[fmt.compact(v, lang) for v in by_year["direct_beneficiaries"]], textposition="outside",
                           cliponaxis=False))
    trend.add_trace(go.Scatter(x=years, y=by_year["direct_plan"], name=t("direct_plan"), mode="lines+markers",
                               line={"color": "#E8A33D", "dash": "dot"}))
    trend.update_layout(width=350, height=250, title={"text": t("trend_by_year"), "font": {"size": 12}},
                        legend={"orientation": "h", "y": -0.15}, **layout)
    trend.update_xaxes(type="category")
    trend.update_yaxes(showticklabels=False, gridcolor="#E5E7EB")
    regions = data["by_region"].dropna(subset=["direct_beneficiaries"]).sort_values(
        "direct_beneficiaries", ascending=False, kind="stable").head(12)
    names = [catalog.name("region", r if isinstance(r, str) else None, lang) for r in regions["region"]]
    bars = go.Figure(go.Bar(y=names, x=regions["direct_beneficiaries"], orientation="h", marker_color="#1F5F8B",
                            text=[fmt.count(v, lang=lang) for v in regions["direct_beneficiaries"]], textposition="auto"))
    bars.update_layout(width=350, height=250, title={"text": f"{t('direct')}: {t('by_region').lower()}",
                                                     "font": {"size": 12}}, **layout)
    bars.update_yaxes(autorange="reversed", automargin=True)
    bars.update_xaxes(showticklabels=False)
    config = {"staticPlot": True, "displayModeBar": False}
    return (pio.to_html(trend, full_html=False, include_plotlyjs=False, config=config),
            pio.to_html(bars, full_html=False, include_plotlyjs=False, config=config))


# ------------------------------------------------------------------------------------------------ the page


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def brief_html(data: dict[str, Any]) -> str:
    """The brief as one HTML page (A4, DejaVu Sans), ready for Chromium to print."""
    from grantstats.export import filter_lines
    from grantstats.metrics.query import scoped_regions
    from plotly.offline import get_plotlyjs

    lang = data["lang"]
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    flt = data["flt"]
    shown = flt.with_(regions=scoped_regions(flt) or ())  # a reader's regions are named even when none is chosen
    filters = "; ".join(f"{label}: {value}" for label, value in filter_lines(shown, lang)) or t("wb_no_filters")
    cards = "".join(
        f'<div class="card"><div class="label">{_e(label)}</div><div class="value">{_e(value)}</div>'
        + (f'<div class="delta">{_e(change)}</div>' if change else "")
        + (f'<div class="total">{_e(total)}</div>' if total else "") + "</div>"
        for label, value, change, total in headline_cards(data))
    trend, regions = _charts(data) if data["head"]["reports"] else ("", "")
    last = data["last"]
    delta_note = (t("vs_prev_year", year=int(last["year"]), prev=int(last["year"]) - 1)
                  if last is not None and not fmt.is_missing(last.get("reports_prev")) else "")

    summary = data["short_summary"]
    short_rows = "".join(
        f"<tr><td>{_e(r['grantee'])}</td><td>{_e(r['year'] if isinstance(r['year'], int) else '')}</td>"
        f"<td class='n'>{fmt.count(r['plan'], lang=lang)}</td><td class='n'>{fmt.count(r['fact'], lang=lang)}</td>"
        f"<td class='n'>{fmt.count(r['shortfall'], lang=lang)}</td></tr>"
        for r in data["shortfalls"].to_dict("records") if r["shortfall"] > 0)
    if short_rows:
        pareto = t("sf_pareto", n=fmt.count(summary["reports_for_share"], lang=lang), short=fmt.count(summary["reports_short"], lang=lang),
                   share=fmt.share(0.8, 0, lang=lang), value=fmt.count(summary["shortfall"] * summary["share_reached"], lang=lang),
                   total=fmt.count(summary["shortfall"], lang=lang))
        shortfalls = (f"<p>{_e(t('sf_shortfall'))}: <b>{fmt.count(summary['shortfall'], lang=lang)}</b> · {_e(t('sf_surplus'))}: "
                      f"{fmt.count(summary['surplus'], lang=lang)} · {_e(t('sf_net'))}: {fmt.count(summary['net'], lang=lang)}. {_e(pareto)}</p>"
                      f"<table><tr><th>{_e(t('col_grantee'))}</th><th>{_e(t('col_year'))}</th><th>{_e(t('col_plan'))}</th>"
                      f"<th>{_e(t('col_fact'))}</th><th>{_e(t('col_shortfall'))}</th></tr>{short_rows}</table>")
    else:
        shortfalls = f"<p>{_e(t('sf_none'))}</p>"

    contracts = data["contracts"]
    if contracts is None:
        overdue = f"<p>{_e(t('cp_no_contracts_title'))}.</p>"
    else:
        overdue = (f"<p>{_e(t('brief_contracts', contracts=fmt.count(contracts['contracts'], lang=lang), received=fmt.count(contracts['received'], lang=lang), overdue=fmt.count(contracts['overdue'], lang=lang), not_due=fmt.count(contracts['not_due'], lang=lang), date=data['as_of'].strftime('%d.%m.%Y')))}</p>")
        rows = "".join(
            f"<tr><td>{_e(r['contract_no'])}</td><td>{_e(r['grantee'])}</td>"
            f"<td>{_e(r['due_date'].strftime('%d.%m.%Y') if hasattr(r['due_date'], 'strftime') else '')}</td>"
            f"<td class='n'>{fmt.count(r['days_overdue'], lang=lang)}</td></tr>" for r in data["overdue"].to_dict("records"))
        if rows:
            overdue += (f"<table><tr><th>{_e(t('col_contract_no'))}</th><th>{_e(t('col_grantee'))}</th>"
                        f"<th>{_e(t('col_due_date'))}</th><th>{_e(t('col_days_overdue'))}</th></tr>{rows}</table>")

    head, quality = data["head"], data["health"]
    quality_note = t("brief_quality", reports=fmt.count(head["reports"], lang=lang), errors=fmt.count(head["reports_with_errors"], lang=lang),
                     warnings=fmt.count(head["reports_with_warnings"], lang=lang),
                     score=fmt.number(quality["score_median"], 0, lang=lang) if quality is not None else fmt.DASH)
    if flt.exclude_errors:
        quality_note += " " + t("brief_errors_left_out")
    source = data["source"]
    made = datetime.now().strftime("%d.%m.%Y %H:%M")
    loaded = source["last_loaded_at"].strftime("%d.%m.%Y") if source["last_loaded_at"] else fmt.DASH
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{_e(t('brief_title'))}</title>
<style>
@page {{ size: A4; margin: 12mm 12mm 12mm 12mm; }}
body {{ font-family: '{FONT}', sans-serif; font-size: 9pt; color: #1F2937; margin: 0; }}
h1 {{ font-size: 15pt; margin: 0 0 2pt 0; color: #123E5E; }}
h2 {{ font-size: 11pt; margin: 9pt 0 3pt 0; color: #123E5E; border-bottom: 1px solid #D1D5DB; }}
.meta {{ color: #4B5563; margin: 0 0 6pt 0; }}
.cards {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 4pt; }}
.card {{ border: 1px solid #D1D5DB; border-radius: 4px; padding: 4pt 6pt; }}
.label {{ color: #4B5563; font-size: 8pt; }} .value {{ font-size: 13pt; font-weight: bold; }}
.delta {{ color: #6B7280; font-size: 8pt; }}
.total {{ color: #374151; font-size: 7.5pt; margin-top: 1pt; }}
.charts {{ display: flex; justify-content: space-between; margin-top: 4pt; }}
table {{ border-collapse: collapse; width: 100%; margin-top: 3pt; }}
th, td {{ border-bottom: 1px solid #E5E7EB; padding: 2pt 4pt; text-align: left; vertical-align: top; }}
th {{ background: #EEF4FA; font-weight: bold; }} td.n {{ text-align: right; white-space: nowrap; }}
p {{ margin: 3pt 0; }} .small {{ color: #6B7280; font-size: 7.5pt; }}
</style>
<script>{get_plotlyjs()}</script></head>
<body>
<h1>{_e(t('brief_title'))}</h1>
<p class="meta">{_e(t('brief_filters'))}: {_e(filters)} · {_e(t('brief_made'))}: {made}</p>
<div class="cards">{cards}</div>
<p class="small">{_e(delta_note)}{' · ' + _e(t('approx_note')) if any(data['approx'].values()) else ''}</p>
<div class="charts"><div>{trend}</div><div>{regions}</div></div>
<h2>{_e(t('shortfalls'))}</h2>{shortfalls}
<h2>{_e(t('brief_overdue_title'))}</h2>{overdue}
<h2>{_e(t('brief_quality_title'))}</h2><p>{_e(quality_note)}</p>
<p class="small">{_e(t('brief_source', files=fmt.count(source['files'], lang=lang), reports=fmt.count(source['reports'], lang=lang), last=loaded))}</p>
</body></html>"""


def write_pdf(page: str, out: str | os.PathLike) -> Path:
    """Typeset an HTML page to ``out`` with headless Chromium (written whole or not at all)."""
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    browser = chromium()
    with tempfile.TemporaryDirectory(prefix="grantstats-brief-") as tmp:
        source = Path(tmp) / "brief.html"
        source.write_text(page, encoding="utf-8")
        pdf = Path(tmp) / "brief.pdf"
        command = [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   "--no-pdf-header-footer", "--disable-background-networking", "--no-first-run",
                   f"--user-data-dir={Path(tmp) / 'profile'}", "--virtual-time-budget=20000",
                   f"--print-to-pdf={pdf}", source.as_uri()]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise BriefError(f"Chromium did not finish the PDF within {TIMEOUT_S} s") from None
        except OSError as exc:
            raise BriefError(f"Chromium could not be started ({exc.strerror or exc})") from None
        if not pdf.exists() or pdf.stat().st_size == 0:
            raise BriefError("Chromium wrote no PDF (is it a working headless Chromium?)")
        shutil.move(str(pdf), target.with_name(f".{target.name}.part"))
        os.replace(target.with_name(f".{target.name}.part"), target)
    return target


def brief_pdf(con, flt: Filter = Filter(), out: str | os.PathLike | None = None, lang: str = "ru",
              as_of: date | None = None) -> bytes | Path:
    """The brief of the reports ``flt`` selects, in ``lang``: written to ``out``, or (without it) its bytes."""
    if lang not in i18n.LANGS:
        raise ValueError(f"unknown language {lang!r}: use {', '.join(i18n.LANGS)}")
    page = brief_html(brief_data(con, flt, lang, as_of))
    if out is not None:
        return write_pdf(page, out)
    with tempfile.TemporaryDirectory(prefix="grantstats-brief-") as tmp:
        return write_pdf(page, Path(tmp) / "brief.pdf").read_bytes()
