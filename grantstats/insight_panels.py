"""The dashboard side of issue #17 (completeness, peers, health, shortfall, brief, review): cached calls of
its functions and the sections other pages embed. Streamlit lives here; SQL does not."""

from __future__ import annotations

from typing import Any, Callable

import pandas as pd
import streamlit as st

from grantstats import dashboard as ui
from grantstats.metrics import Filter

# ------------------------------------------------------------------------------------------- cached calls


def insight_version() -> tuple:
    """Changes when a contracts list is loaded or a finding reviewed (neither changes the report tables' counts)."""
    return tuple(ui.cursor().execute(
        "SELECT (SELECT count(*) FROM contracts), (SELECT max(loaded_at) FROM contracts),"
        " (SELECT count(*) FROM finding_reviews), (SELECT max(reviewed_at) FROM finding_reviews)").fetchone())


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs={Filter: repr})
def _cached(name: str, flt: Filter, kwargs: tuple, db: str, version: tuple, _fn: Callable, _cur) -> Any:
    return _fn(_cur, flt, **dict(kwargs))


def cached(fn: Callable, flt: Filter = Filter(), **kwargs: Any) -> Any:
    """``fn(cursor, flt, **kwargs)``, cached by the function, every Filter value, the arguments and the state of
    the database (its tables' counts, the contracts and the reviews)."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
    version = (st.session_state.get("_gs_version") or ui.data_version()) + insight_version()
    return _cached(f"{fn.__module__}.{fn.__qualname__}", flt, frozen, ui.db_path(), version, fn, ui.cursor())


def clear_caches() -> None:
    """After a write (contracts loaded, findings reviewed): every figure is computed again."""
    _cached.clear()
    ui.clear_caches()


def dates(column: pd.Series) -> list[str | None]:
    """A date column as DD.MM.YYYY texts (None where missing), for tables."""
    return [None if v is None or v != v else v.strftime("%d.%m.%Y") for v in column.tolist()]


# ------------------------------------------------------------------------------ the Upload page's contracts list

_CT_PLAN, _CT_RESULT, _CT_GEN = "_ct_plan", "_ct_result", "_ct_gen"


def upload_kind() -> str:
    """The Upload page's choice: 'reports' or 'contracts' (the list of awarded grants)."""
    if st.session_state.get("upload_kind") not in ("reports", "contracts"):
        st.session_state["upload_kind"] = "reports"
    language = ui.lang()  # bound now: the labels are also made outside the script run
    return st.segmented_control(ui.T("upload_kind"), ["reports", "contracts"], key="upload_kind", required=True,
                                format_func=lambda k: ui.i18n.t(f"upload_kind_{k}", language))


def contracts_upload() -> None:
    """Drop contracts lists, see what they hold (a dry run), then load or cancel."""
    from grantstats import contracts, upload
    from grantstats.safety import Limits

    st.caption(ui.T("upload_contracts_intro"))
    files = st.file_uploader(ui.T("upload_contracts_files"), type=list(upload.UPLOAD_TYPES), accept_multiple_files=True,
                             key=f"contracts_files_{st.session_state.get(_CT_GEN, 0)}",
                             help=ui.T("upload_help", mb=f"{Limits.from_env().max_file_mb:g}"))
    done = st.session_state.pop(_CT_RESULT, None)
    if done is not None:
        st.success(ui.T("upload_contracts_done", contracts=sum(o.contracts for o in done if o.status == "loaded")),
                   icon=":material/task_alt:")
    if not files:
        st.session_state.pop(_CT_PLAN, None)
        return
    signature = tuple((f.file_id, f.name, f.size) for f in files)
    held = st.session_state.get(_CT_PLAN)
    if held is None or held[0] != signature:
        with st.spinner(ui.T("upload_reading")):
            held = (signature, contracts.dry_run_contracts(ui.cursor(), [(f.name, f.getvalue()) for f in files]))
        st.session_state[_CT_PLAN] = held
    planned = held[1]
    for item in planned:
        if item.status == "refused":
            st.error(ui.T("upload_refused", name=item.name, reason=item.message), icon=":material/block:")
        elif item.status == "unchanged":
            st.markdown(f"- {ui.T('upload_contracts_unchanged', name=item.name)}")
        for note in (item.read.notes if item.read is not None and item.status == "new" else []):
            st.caption(f"{item.name}: {note}")
    new = [p for p in planned if p.status == "new"]
    st.subheader(ui.T("upload_plan"), anchor=False)
    st.markdown(ui.T("upload_contracts_counts", contracts=sum(len(p.read.rows) for p in new),
                     replacing=sum(p.replacing for p in new)))
    table = contracts.preview_table(planned)
    if not table.empty:
        table = table.assign(contract_date=dates(table["contract_date"]), period_end=dates(table["period_end"]),
                             due_date=dates(table["due_date"]),
                             direction_name=[ui.direction_short(d) if isinstance(d, str) else None for d in table["direction"]])
        ui.show_table(table, {"file": ("col_file", "text"), "contract_no": ("col_contract_no", "text"),
                              "contract_date": ("col_contract_date", "text"), "grantee": ("col_grantee", "text"),
                              "title": ("col_title", "text"), "year": ("col_year", "year"),
                              "region_text": ("col_region", "text"), "direction_name": ("col_direction", "text"),
                              "grant_amount": ("grant_amount", "money"), "period_end": ("col_period_end", "text"),
                              "due_date": ("col_due_date", "text")}, key="contracts_plan", download=False)
    left, right, _ = st.columns([2, 1, 5])
    if left.button(ui.T("upload_load"), type="primary", disabled=not new, key="contracts_load",
                   icon=":material/database_upload:"):
        st.session_state[_CT_RESULT] = contracts.commit_contracts(ui.cursor(), planned)
        clear_caches()
        st.session_state.pop(_CT_PLAN, None)
        st.session_state[_CT_GEN] = st.session_state.get(_CT_GEN, 0) + 1
        st.rerun()
    if right.button(ui.T("upload_cancel"), key="contracts_cancel", icon=":material/close:"):
        st.session_state.pop(_CT_PLAN, None)
        st.session_state[_CT_GEN] = st.session_state.get(_CT_GEN, 0) + 1
        st.rerun()
