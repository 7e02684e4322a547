"""Participants: people per gender, age bracket or category, and how many of them were derived from percent."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from grantstats.metrics.cache import DIMENSIONS
from grantstats.metrics.filters import Filter
from grantstats.metrics.query import (
    GROUPS, NGO_NAMES, base_ctes, catalog_order, fetch_df, group_keys, named_ngos, order_by, reorder,
)


BREAKDOWN_COLUMNS = ["bucket", "people", "share", "derived_people", "derived_share", "reports", "derived_reports"]


def breakdown(con, flt: Filter = Filter(), dimension: str = "gender",
              by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """People per bucket of a participant table (``dimension`` gender, age or category), summed over reports.

    Columns: group columns, then
    bucket          bucket code (male/female; 13-16…59+; children, youth…)
    people          Σ people (weighted); percent tables are already turned into people by the reader
    share           gender and age: people / Σ people of all buckets in the group (sums to 1);
                    category (categories overlap): people / Σ participants of the reports giving a
                    category table (participants = stated total, else the gender-table sum)
    derived_people  the part of ``people`` derived from percent; derived_share = derived_people / people
    reports         reports giving the bucket; derived_reports: of them, given in percent
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {', '.join(DIMENSIONS)}")
    keys = group_keys(by)
    ctes, params = base_ctes(flt, "region" in keys)
    group_cols = "".join(f", {GROUPS[k]}" for k in keys)
    select = "".join(f"{GROUPS[k]} AS {k}, " for k in keys)
    part = [k for k in keys]
    ctes = ctes + [
        # gs_cache.part_<dimension> holds one row per (report, bucket), and base at most one per (report, group):
        # counting rows counts distinct reports
        # (the table name comes from the DIMENSIONS whitelist checked above)
        f"p AS (SELECT rk, bucket_no, people, derived_people, derived FROM gs_cache.part_{dimension})",
        f"agg1 AS (SELECT {select}p.bucket_no AS bucket_no, sum(p.people * b.weight) AS people,"
        " sum(p.derived_people * b.weight) AS derived_people,"
        " count(*) AS reports, count(*) FILTER (WHERE p.derived) AS derived_reports"
        f" FROM base b JOIN p ON p.rk = b.rk GROUP BY p.bucket_no{group_cols})",
        f"agg0 AS (SELECT {''.join(f'a.{k}, ' for k in keys)}n.bucket, a.people, a.derived_people, a.reports,"
        " a.derived_reports FROM agg1 a JOIN gs_cache.buckets n ON n.bucket_no = a.bucket_no)",
    ]
    on = " AND ".join(f"d.{k} IS NOT DISTINCT FROM a.{k}" for k in part) or "true"
    if dimension == "category":
        # b.people is the stated total, else the gender-table sum
        ctes += [
            f"den AS (SELECT {select}sum(b.people * b.weight) AS denom"
            " FROM base b WHERE b.has_category" + (f" GROUP BY {group_cols[2:]}" if keys else "") + ")",
        ]
    else:
        ctes.append(f"den AS (SELECT {''.join(f'{k}, ' for k in part)}sum(people) AS denom FROM agg0"
                    + (f" GROUP BY {', '.join(part)}" if part else "") + ")")
    inner = (f"SELECT a.*, a.people / nullif(d.denom, 0) AS share, a.derived_people / nullif(a.people, 0) AS derived_share"
             f" FROM agg0 a LEFT JOIN den d ON {on}")
    if "ngo" in keys:
        ctes = ctes + [NGO_NAMES]
        sql = "WITH " + ", ".join(ctes) + f", agg AS ({inner}) " + named_ngos("agg")
    else:
        sql = "WITH " + ", ".join(ctes) + " " + inner
    sql = f"SELECT * FROM ({sql}) ORDER BY " + ", ".join([order_by(k) for k in keys] + ["bucket"])
    df = fetch_df(con, sql, params)
    df = reorder(df, keys, BREAKDOWN_COLUMNS)
    return catalog_order(df, "bucket", dimension, list(keys))
