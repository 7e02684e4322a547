"""Every figure the pages and exports show: DuckDB SQL with bound parameters, one Filter, DataFrames out.

Conventions shared by every figure here
-----------------------------------------
* Every metric takes ``(con, flt)``: ``con`` is a DuckDB connection or cursor, ``flt`` a :class:`Filter`.
  Results are pandas DataFrames whose columns are listed in each docstring and never renamed silently.
* Grouping functions take ``by``: one of ``'region'``, ``'direction'``, ``'year'``, ``'ngo'``, a tuple of
  them (``('region', 'year')`` for a heat map, ``('direction', 'year')``) or ``None`` (one total row).
  The group code sits in a column named like the grouping (``region``, ``direction``, ``year``,
  ``ngo``). NULL (``None``/NaN) in it means *not stated* («не указан»): such reports are never dropped.
  Labels are the caller's job (``catalog.name``); ``by='ngo'`` also returns ``ngo_name``, the grantee
  text most often used for that NGO.
* **Regions.** A report with several regions is split across them by its stated shares (normalised to
  sum to 1; equal shares when none are stated). In a by-region grouping every money or people figure is
  multiplied by the region's share, so the regions always add up to the national total. ``reports`` is
  then the number of distinct reports touching the group (an integer: a two-region report is counted
  under both regions) and ``report_weight`` the sum of shares (fractional; sums to the national report
  count).
* **Region filter.** A report is selected when any of its regions is among ``Filter.regions``; its figures
  are weighted by the sum of its shares in the chosen regions. So the total for a region filter equals
  the sum of those regions' bars in a by-region chart. ``NOT_STATED`` (``'-'``) in ``regions``,
  ``directions`` or ``ngos`` selects the reports where that field is not stated.
* **Year.** A report belongs to ``reports.year`` (the year its project started). A year filter leaves out
  reports of unknown year. By-year money puts a whole grant in its start year; :func:`amount_by_year`
  spreads a multi-year grant over the years the report gives amounts for.
* **Missing values.** A sum is over the reports that give the figure; it is NULL when none in the group
  does (so 0 means "reported as zero"). Weighted people may be fractional; round when displaying.
* **Plan versus fact.** Σplan and Σfact are taken over the reports that give both for the indicator;
  achievement = Σfact / Σplan, gap = Σfact − Σplan. A value with a qualifier (approx/at_least/at_most)
  counts at its number and is counted in ``approx_share``.
* **Cost per beneficiary** = Σgrant amount / Σdirect beneficiaries (fact), over the reports giving both
  (with fact > 0); ``cost_median``, ``cost_q1``, ``cost_q3`` are the quartiles of the per-report cost.
* No row is scanned in Python: all arithmetic is in DuckDB.

The package: ``filters`` (the Filter and its URL form), ``cache`` (the per-report tables every query reads),
``query`` (the Filter as SQL over them), and the figures by theme: ``totals``, ``plan_fact``, ``participants``
and ``reports`` (the findings queries live in ``grantstats.findings.queries``). Its face hands on the figures and their column lists, so that callers write
``metrics.totals(con, flt, by="region")`` or ``from grantstats.metrics import totals``.
"""

from importlib import import_module

from grantstats.metrics.filters import NOT_STATED, Filter

_FROM = {  # the face's names and the module each comes from, imported when first asked for
    "cache": ("DIMENSIONS",),
    "query": ("GROUPS",),
    "totals": ("COST_COLUMNS", "NGO_COMPARISON_COLUMNS", "RANKABLE", "SUMMARY_COLUMNS", "TOTALS_COLUMNS",
               "YOY_COLUMNS", "amount_by_year", "cost_per_beneficiary", "headline", "ngo_comparison", "summary",
               "totals", "year_over_year"),
    "plan_fact": ("PLAN_FACT_COLUMNS", "REPORT_ACHIEVEMENT_COLUMNS", "achievement_values", "largest_shortfalls",
                  "plan_vs_fact", "report_achievement"),
    "participants": ("BREAKDOWN_COLUMNS", "breakdown"),
    "reports": ("REPORT_LIST_COLUMNS", "report_list"),
}
_MODULE_OF = {name: module for module, names in _FROM.items() for name in names}


def __getattr__(name: str):
    """A figure of the face, from its module on first use: a load builds a snapshot's cache tables (the cache
    module) without the figures' pandas."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    loaded = import_module(f"{__name__}.{module}")
    for each in _FROM[module]:  # all of the module's names at once (``totals`` is also the module's own name)
        globals()[each] = getattr(loaded, each)
    return globals()[name]


__all__ = [
    "Filter", "NOT_STATED", "GROUPS", "DIMENSIONS",
    "totals", "headline", "summary", "year_over_year", "amount_by_year", "cost_per_beneficiary", "ngo_comparison",
    "plan_vs_fact", "report_achievement", "achievement_values", "largest_shortfalls", "breakdown",
    "report_list",
    "TOTALS_COLUMNS", "SUMMARY_COLUMNS", "YOY_COLUMNS", "COST_COLUMNS", "NGO_COMPARISON_COLUMNS", "RANKABLE",
    "PLAN_FACT_COLUMNS", "REPORT_ACHIEVEMENT_COLUMNS", "BREAKDOWN_COLUMNS", "REPORT_LIST_COLUMNS",
]
