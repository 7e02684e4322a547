"""The selected reports listed one row each, for the pages' tables and report choosers."""

from __future__ import annotations

import pandas as pd

from grantstats.metrics.filters import Filter
from grantstats.metrics.query import base_ctes, fetch_df


REPORT_LIST_COLUMNS = ["report_id", "grantee", "ngo_key", "title", "contract_no", "year", "direction", "regions",
                       "grant_amount", "direct_plan", "direct_fact", "errors", "warnings", "file_name"]


def report_list(con, flt: Filter = Filter(), limit: int | None = None) -> pd.DataFrame:
    """The selected reports, one row each, newest year first: :data:`REPORT_LIST_COLUMNS`.

    ``regions`` is the report's region codes comma-joined (largest share first; NULL when none stated);
    figures are the report's own (not region-weighted); errors / warnings count its findings.
    """
    ctes, params = base_ctes(flt, False)
    sql = ("WITH " + ", ".join(ctes) +
           " SELECT r.report_id, r.grantee, r.ngo_key, r.title, r.contract_no, r.year, r.direction, r.regions,"
           " r.grant_amount, r.direct_plan, r.direct_fact, r.errors, r.warnings, r.file_name"
           " FROM base r"  # base: one row per selected report here (no region split)
           " ORDER BY r.list_order" + (" LIMIT ?" if limit else ""))  # year DESC NULLS LAST, grantee, report_id
    if limit:
        params.append(int(limit))
    return fetch_df(con, sql, params, via_arrow=True)[REPORT_LIST_COLUMNS]
