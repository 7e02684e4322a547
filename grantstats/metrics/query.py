"""The metric queries' common parts: the Filter as SQL over the cache (the selected reports and their region
weights), groupings, and running a query into a DataFrame once the cache tables it reads are current."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

from grantstats import catalog
import grantstats.metrics.cache as cache
from grantstats.metrics.filters import NOT_STATED, Filter

if TYPE_CHECKING:  # (pandas and Arrow load where a query runs: a load builds its snapshot's cache without them)
    import pandas as pd

GROUPS: dict[str, str] = {"region": "b.region", "direction": "b.direction", "year": "b.year", "ngo": "b.ngo_no"}
"""The groupings a metric accepts and the column of the ``base`` rows each one reads (identifier whitelist). NGOs
are grouped by their integer number (cheaper than their text key) and given their key and name after
(with_ngo_name)."""


def group_keys(by: str | Sequence[str] | None) -> tuple[str, ...]:
    if by is None:
        return ()
    keys = (by,) if isinstance(by, str) else tuple(by)
    for key in keys:
        if key not in GROUPS:
            raise ValueError(f"unknown grouping {key!r}: use one of {', '.join(GROUPS)}")
    if len(set(keys)) != len(keys):
        raise ValueError(f"grouping {keys!r} repeats a column")
    return keys


def member(column: str, values: tuple[str, ...], params: list) -> str:
    """`column` is one of `values` (NOT_STATED matching NULL), with the list bound as a parameter."""
    codes = [v for v in values if v != NOT_STATED]
    parts = []
    if codes:
        parts.append(f"list_contains(?::VARCHAR[], {column})")
        params.append(codes)
    if NOT_STATED in values:
        parts.append(f"{column} IS NULL")
    return "(" + " OR ".join(parts) + ")"


def text_condition(text: str) -> tuple[str, list]:
    """Grantee, title or contract number contains ``text`` (lowered): the report is in the text's match table
    (searching 100 000 texts costs more than the rest of most queries; every metric of a page reads the same
    text filter, so its matches are kept with the cache)."""
    return f"r.rk IN (SELECT rk FROM gs_cache.{cache.text_match_table(text)})", []


def scoped_regions(flt: Filter) -> tuple[str, ...] | None:
    """The regions a figure covers: the filter's regions cut to its scope (``Filter.scope``, the regions the
    person may see), the scope when none is chosen, the chosen ones without a scope. ``()`` means none at all
    (every chosen region lies outside the scope), None every report. The one place the scope enters SQL:
    every figure selects its base rows through this, so a report of several regions counts only its
    in-scope share and a URL cannot widen what a person sees."""
    if flt.scope is None:
        return flt.regions or None
    if not flt.regions:
        return tuple(flt.scope)
    allowed = set(flt.scope)
    return tuple(r for r in flt.regions if r in allowed)


def region_conditions(flt: Filter) -> tuple[tuple[str, ...], list[tuple[str, list, bool]]]:
    """(regions to weight by, extra conditions): the scoped regions, and a condition selecting nothing when
    the filter's regions all lie outside its scope."""
    regions = scoped_regions(flt)
    if regions == ():
        return (), [("false", [], True)]
    return regions or (), []


def base_ctes(flt: Filter, split_regions: bool) -> tuple[list[str], list]:
    """CTEs ``sel`` (the filtered reports) and ``base`` (sel with ``region`` and ``weight``).

    ``base`` holds one row per report, or per (report, region) when ``split_regions``; ``weight`` is the
    report's share in that region (split), the sum of its shares in the chosen regions (region filter),
    or 1.
    """
    regions, conds = region_conditions(flt)
    conds = conds + conditions(flt)
    where = [c for c, _, _ in conds]
    params: list = [p for _, ps, _ in conds for p in ps]
    ctes = ["sel AS (SELECT r.* FROM gs_cache.facts r" + (" WHERE " + " AND ".join(where) if where else "") + ")"]
    if not split_regions and not regions:
        ctes.append("base AS (SELECT s.*, NULL::VARCHAR AS region, 1.0::DOUBLE AS weight FROM sel s)")
        return ctes, params
    if split_regions:
        # gs_cache.split: gs_cache.facts (without text) already joined to the region shares (region, weight),
        # filtered the same way: on its own columns, or by the selected reports' row keys (text, report ids)
        split_where = [c for c, _, on_split in conds if on_split]
        params.extend(p for _, ps, on_split in conds if on_split for p in ps)
        if any(not on_split for _, _, on_split in conds):
            split_where.append("r.rk IN (SELECT rk FROM sel)")
        if regions:
            split_where.append(member("r.region", regions, params))
        ctes.append("base AS (SELECT r.* FROM gs_cache.split r" + (" WHERE " + " AND ".join(split_where) if split_where else "") + ")")
        return ctes, params
    # the reports' shares in the chosen regions (not joined to sel: a CTE read twice is materialized whole)
    ctes.append("wt AS (SELECT rk, NULL::VARCHAR AS region, sum(share) AS weight FROM gs_cache.regions rr"
                f" WHERE {member('rr.region', regions, params)} GROUP BY rk)")
    ctes.append("base AS (SELECT s.*, wt.region, wt.weight FROM sel s JOIN wt ON wt.rk = s.rk)")
    return ctes, params


def conditions(flt: Filter) -> list[tuple[str, list, bool]]:
    """The filter (all but regions) as conditions on a report row ``r`` of gs_cache.facts (or of a table
    carrying its columns): (condition, its parameters, whether gs_cache.split rows carry its columns)."""
    conds: list[tuple[str, list, bool]] = []
    if flt.year_from is not None:
        conds.append(("r.year >= ?", [flt.year_from], True))
    if flt.year_to is not None:
        conds.append(("r.year <= ?", [flt.year_to], True))
    if flt.directions:
        bound: list = []
        conds.append((member("r.direction", flt.directions, bound), bound, True))
    if flt.ngos:  # an NGO's key, or a name as typed without its legal form («жастар»: every NGO of that name)
        bound = []
        condition = member("r.ngo_key", flt.ngos, bound)
        names = [v for v in flt.ngos if v != NOT_STATED and ":" not in v]
        if names:
            condition = f"({condition} OR list_contains(?::VARCHAR[], r.ngo_name_key))"
            bound.append(names)
        conds.append((condition, bound, True))
    if flt.text:
        conds.append(text_condition(flt.text.lower()) + (True,))
    if flt.exclude_errors:
        conds.append(("NOT r.has_error", [], True))
    if flt.report_ids:
        conds.append(("list_contains(?::VARCHAR[], r.report_id)", [list(flt.report_ids)], False))
    return conds


def order_by(key: str) -> str:
    """How a result grouped by ``key`` is ordered (by the group column's alias): direction codes as the law
    numbers them (``2`` before ``10``, ``13-1`` and ``13-2`` right after ``13``), other codes as they sort;
    NULL (not stated) last."""
    if key == "direction":
        return ("try_cast(split_part(direction, '-', 1) AS INTEGER) NULLS LAST,"
                " try_cast(nullif(split_part(direction, '-', 2), '') AS INTEGER) NULLS FIRST, direction NULLS LAST")
    return f"{key} NULLS LAST"


def group_select(keys: tuple[str, ...]) -> tuple[str, str, str]:
    """(select list, GROUP BY clause, ORDER BY clause) for the grouping keys."""
    if not keys:
        return "", "", ""
    select = ", ".join(f"{GROUPS[k]} AS {k}" for k in keys) + ", "
    group = " GROUP BY " + ", ".join(GROUPS[k] for k in keys)
    order = " ORDER BY " + ", ".join(order_by(k) for k in keys)
    return select, group, order


NGO_NAMES = "names AS (SELECT ngo_key, ngo_no, ngo_name FROM gs_cache.ngo_names)"  # a name per NGO, whatever the filter


def named_ngos(agg: str) -> str:
    """The rows of ``agg`` (grouped by NGO number, column ``ngo``) with the NGO's key as ``ngo`` and its name as
    ``ngo_name``: a query to select from (as ``SELECT * FROM (...)``) with the NGO_NAMES CTE in scope."""
    return (f"SELECT {agg}.* EXCLUDE (ngo), names.ngo_key AS ngo, names.ngo_name"
            f" FROM {agg} LEFT JOIN names ON names.ngo_no = {agg}.ngo")


def at_places(column: str, chosen: str) -> str:
    """A condition: ``column`` (e.g. ``h.pos``) is one of the places the CTE ``chosen`` picked (its column of the
    same name), their range stated first: a table stored in that order is then read only in the row groups
    holding them (a list picks its first places on narrow rows, then reads their wide rows this way)."""
    name = column.rsplit(".", 1)[-1]
    return (f"{column} BETWEEN (SELECT min({name}) FROM {chosen}) AND (SELECT max({name}) FROM {chosen})"
            f" AND {column} IN (SELECT {name} FROM {chosen})")


def with_ngo_name(keys: tuple[str, ...], ctes: list[str], inner: str, order: str) -> str:
    """Wrap a grouped query so by-ngo results carry the NGO's key as ``ngo`` and ``ngo_name`` right after."""
    if "ngo" not in keys:
        return "WITH " + ", ".join(ctes) + " " + inner + order
    ctes = ctes + [NGO_NAMES, f"agg AS ({inner})"]
    return "WITH " + ", ".join(ctes) + f" SELECT * FROM ({named_ngos('agg')})" + order


def reorder(df: pd.DataFrame, keys: tuple[str, ...], columns: list[str]) -> pd.DataFrame:
    front = list(keys) + (["ngo_name"] if "ngo" in keys else [])
    return df[front + [c for c in columns if c not in front]]


def fetch_df(con, sql: str, params: list, via_arrow: bool = False) -> pd.DataFrame:
    """Run a metric query over the ``gs_cache`` tables (brought up to date first, see refresh_cache).

    ``via_arrow`` fetches through Arrow (much faster for 100,000 rows of text) and gives the DataFrame
    DuckDB's ``.df()`` would: for queries whose columns are text, integers, booleans and doubles only.
    """
    if via_arrow:
        return arrow_to_df(fetch_arrow(con, sql, params))
    cache.refresh_cache(con, cache.tables_read_by(sql))
    return con.execute(sql, params).df()


def fetch_arrow(con, sql: str, params: list):
    """Run a metric query over the ``gs_cache`` tables (brought up to date first); the result as an Arrow table.
    (DuckDB refuses ``sql`` while an ``execute`` result of the cursor is unread: fetch every row of those.)"""
    cache.refresh_cache(con, cache.tables_read_by(sql))
    return con.sql(sql, params=params).to_arrow_table()


@lru_cache(maxsize=1)
def _nullable() -> dict:
    import pandas as pd
    import pyarrow as pa

    return {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
            pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def arrow_to_df(table) -> pd.DataFrame:
    """The DataFrame DuckDB's ``.df()`` gives for these columns: text as pandas strings (object of None when
    the column is all NULL), integers and booleans with NULLs as pandas' nullable types, doubles as float64."""
    import pandas as pd
    import pyarrow as pa

    nullable = _nullable()
    out = {}
    for name, col in zip(table.column_names, table.columns):
        t = col.type
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            out[name] = pd.Series([None] * len(col), dtype=object) if col.null_count == len(col) else col.to_pandas()
        elif t in nullable:
            out[name] = (pa.table({"c": col}).to_pandas(types_mapper=nullable.get)["c"] if col.null_count
                         else col.to_pandas())
        elif pa.types.is_floating(t):
            out[name] = col.to_pandas()
        else:
            raise TypeError(f"arrow_to_df: no .df() equivalent for {name} of type {t}")
    return pd.DataFrame(out)


def catalog_order(df: pd.DataFrame, column: str, kind: str, keys: list[str]) -> pd.DataFrame:
    """Rows in the catalog's order of codes (unknown codes after, alphabetically), keeping group order."""
    order = {code: i for i, code in enumerate(catalog.codes(kind))}
    if df.empty or not order:
        return df.reset_index(drop=True)
    rank = df[column].map(lambda c: order.get(c, len(order)))
    tmp = df.assign(_rank=rank.to_numpy())
    sort = ["_rank", column]
    if keys:  # the groups stay in the order the query gave them (directions as numbers, not as text)
        tmp = tmp.assign(_group=tmp.groupby(keys, sort=False, dropna=False).ngroup().to_numpy())
        sort = ["_group"] + sort
    tmp = tmp.sort_values(sort, kind="stable", na_position="last")
    return tmp.drop(columns=[c for c in ("_rank", "_group") if c in tmp.columns]).reset_index(drop=True)
