"""The dashboard side of issue #17 (completeness, peers, health, shortfall, brief, review): cached calls of
its functions and the sections other pages embed. Streamlit lives here; SQL does not."""

from __future__ import annotations

from typing import Any, Callable

import pandas as pd
import streamlit as st

from grantstats import i18n
from grantstats.metrics import Filter
from grantstats.refusals import refusal_text
from ui import audited, data, gate, labels, state, tables
from ui.labels import T

# ------------------------------------------------------------------------------------------- cached calls


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs={Filter: repr})
def _cached(name: str, args: tuple, kwargs: tuple, snapshot: str, version: tuple, _fn: Callable, _cur) -> Any:
    return _fn(_cur, *args, **dict(kwargs))


def cached(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """``fn(cursor, *args, **kwargs)`` on the snapshot this run reads, cached by the function, the arguments and the
    snapshot (every write — reports, contracts, reviews — publishes a new one). Every Filter among the arguments is
    kept to the signed-in person's scope, whatever the page passed (as ui.data.cached does)."""
    scope = gate.scope()
    args = tuple(a.within(scope) if isinstance(a, Filter) else a for a in args)
    kwargs = {k: v.within(scope) if isinstance(v, Filter) else v for k, v in kwargs.items()}
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
    version = st.session_state.get(data.VERSION_KEY) or data.data_version()
    return _cached(f"{fn.__module__}.{fn.__qualname__}", args, frozen, data.snapshot_path(), version, fn, data.cursor())


data.ON_NEW_SNAPSHOT.append(_cached.clear)


def clear_caches() -> None:
    """After a write (contracts loaded, findings reviewed): every figure is computed again, from the snapshot the
    write just published (this session reads what it wrote, on its next run, whichever script runs first)."""
    _cached.clear()
    data.clear_caches()
    st.session_state[data.VERSION_KEY] = data.data_version()


def dates(column: pd.Series, pattern: str = "%d.%m.%Y") -> list[str | None]:
    """A date (or time) column as DD.MM.YYYY texts (None where missing), for tables."""
    return labels.each(column.tolist(), lambda v: None if v is None or v != v or v is pd.NaT else v.strftime(pattern))


# ------------------------------------------------------------------------------ the Upload page's contracts list

_CT_PLAN, _CT_RESULT, _CT_GEN = "_ct_plan", "_ct_result", "_ct_gen"


def upload_kind() -> str:
    """The Upload page's choice: 'reports' or 'contracts' (the list of awarded grants)."""
    if st.session_state.get("upload_kind") not in ("reports", "contracts"):
        st.session_state["upload_kind"] = "reports"
    language = labels.lang()  # bound now: the labels are also made outside the script run
    return st.segmented_control(T("upload_kind"), ["reports", "contracts"], key="upload_kind", required=True,
                                format_func=lambda k: i18n.t(f"upload_kind_{k}", language))


def contracts_upload() -> None:
    """Drop contracts lists, see what they hold (a dry run on the snapshot: a list of another region than the
    person's is refused), then load through the one writer (published, and recorded in the audit log) or cancel."""
    from grantstats import audit, contracts, snapshots, upload
    from grantstats.safety import Limits
    from ui.versions import writer_busy_text

    grant = gate.current_grant()
    st.caption(T("upload_contracts_intro"))
    files = st.file_uploader(T("upload_contracts_files"), type=list(upload.UPLOAD_TYPES), accept_multiple_files=True,
                             key=f"contracts_files_{st.session_state.get(_CT_GEN, 0)}",
                             help=T("upload_help", mb=f"{Limits.from_env().max_file_mb:g}"))
    done = st.session_state.pop(_CT_RESULT, None)
    if done is not None:
        st.success(T("upload_contracts_done", contracts=sum(o.contracts for o in done if o.status == "loaded")),
                   icon=":material/task_alt:")
        for outcome in done:
            if outcome.status == "refused":
                st.error(T("upload_refused", name=outcome.name, reason=outcome.message), icon=":material/block:")
    held = st.session_state.get(_CT_PLAN)
    if not files:
        if held is not None:
            contracts.discard_contracts(held[1])  # lists taken out of the uploader: nothing of them is kept
        st.session_state.pop(_CT_PLAN, None)
        return
    signature = tuple((f.file_id, f.name, f.size) for f in files)
    if held is not None and held[0] != signature:
        contracts.discard_contracts(held[1])
    if held is None or held[0] != signature:
        with st.spinner(T("upload_reading")):
            held = (signature, contracts.dry_run_contracts(data.cursor(), [(f.name, f.getvalue()) for f in files],
                                                           upload.archive_dir(), scope=grant.scope))
        st.session_state[_CT_PLAN] = held
    planned = held[1]
    for item in planned:
        if item.status == "refused":
            st.error(T("upload_refused", name=item.name,
                       reason=refusal_text(item.reason, item.params, labels.lang(), fallback=item.message)),
                     icon=":material/block:")
        elif item.status == "unchanged":
            st.markdown(f"- {T('upload_contracts_unchanged', name=item.name)}")
        for note in (item.read.notes if item.read is not None and item.status == "new" else []):
            st.caption(f"{item.name}: {note}")
    new = [p for p in planned if p.status == "new"]
    st.subheader(T("upload_plan"), anchor=False)
    st.markdown(T("upload_contracts_counts", contracts=sum(len(p.read.rows) for p in new),
                     replacing=sum(p.replacing for p in new)))
    table = contracts.preview_table(planned)
    if not table.empty:
        table = table.assign(contract_date=dates(table["contract_date"]), period_end=dates(table["period_end"]),
                             due_date=dates(table["due_date"]),
                             direction_name=[labels.direction_short(d) if isinstance(d, str) else None for d in table["direction"]])
        tables.show_table(table, {"file": ("col_file", "text"), "contract_no": ("col_contract_no", "text"),
                              "contract_date": ("col_contract_date", "text"), "grantee": ("col_grantee", "text"),
                              "title": ("col_title", "text"), "year": ("col_year", "year"),
                              "region_text": ("col_region", "text"), "direction_name": ("col_direction", "text"),
                              "grant_amount": ("grant_amount", "money"), "period_end": ("col_period_end", "text"),
                              "due_date": ("col_due_date", "text")}, key="contracts_plan", download=False)
    left, right, _ = st.columns([2, 1, 5])
    if left.button(T("upload_load"), type="primary", disabled=not new, key="contracts_load",
                   icon=":material/database_upload:"):
        try:
            with data.write_session(f"contracts upload of {len(new)} files", grant.user) as con:
                outcomes = contracts.commit_contracts(con, planned, scope=grant.scope)
        except snapshots.WriterBusy as busy:
            st.error(writer_busy_text(busy), icon=":material/hourglass_top:")
            st.stop()
        except RuntimeError as exc:
            st.error(T("writer_failed", reason=str(exc)), icon=":material/block:")
            st.stop()
        audit.record_many(data.db_path(), audit.contracts_entries(outcomes, grant.user, gate.via(), "upload"))
        st.session_state[_CT_RESULT] = outcomes
        clear_caches()
        st.session_state.pop(_CT_PLAN, None)
        st.session_state[_CT_GEN] = st.session_state.get(_CT_GEN, 0) + 1
        st.rerun()
    if right.button(T("upload_cancel"), key="contracts_cancel", icon=":material/close:"):
        contracts.discard_contracts(planned)
        st.session_state.pop(_CT_PLAN, None)
        st.session_state[_CT_GEN] = st.session_state.get(_CT_GEN, 0) + 1
        st.rerun()


# ------------------------------------------------------------------------------ peers (NGO and report pages)

def metric_text(metric: str, value: Any, lang: str | None = None) -> str:
    """A peer figure as shown: money, a share, or people per million (``lang``: the page's, read once by a caller
    formatting thousands of values; a session-state read each costs a 6 000-NGO page about 50 ms)."""
    from grantstats import formatting as fmt

    language = lang or labels.lang()
    if metric == "cost_per_beneficiary":
        return fmt.money(value, language, short=False)
    if metric == "achievement":
        return fmt.share(value, lang=language)
    return fmt.number(value, 1, lang=language)


def metric_texts(metric: str, values: Any, lang: str) -> list[str]:
    """metric_text of every value, each distinct value formatted once (peer medians repeat across NGOs)."""
    return labels.each(values, lambda v: metric_text(metric, v, lang))


def _ratio_text(ratio: Any, lang: str) -> str:
    from grantstats import formatting as fmt

    return fmt.DASH if fmt.is_missing(ratio) else f"×{fmt.number(ratio, 2, lang=lang)}"


def flag_names(flags: pd.Series) -> list[str]:
    return [T(f"flag_{f}") if isinstance(f, str) else T("flag_none") for f in flags]


def report_peers_section(report_id: str) -> None:
    """The report's figures beside the median of its peers (its direction and years) and of its region."""
    from grantstats import outliers, peers

    st.subheader(T("peers_title"), anchor=False)
    position = cached(peers.report_position, report_id, scope=gate.scope())
    if position.empty:
        st.caption(T("peers_none"))
        return
    shown = position.assign(
        name=[T(f"metric_{m}") for m in position["metric"]],
        own=[metric_text(m, v) for m, v in zip(position["metric"], position["value"])],
        peer=[metric_text(m, v) for m, v in zip(position["metric"], position["median"])],
        regional=[metric_text(m, v) for m, v in zip(position["metric"], position["region_median"])],
        ratio_text=[_ratio_text(r, labels.lang()) for r in position["ratio"]],
        place=[f"{int(r)} / {int(n)}" if not pd.isna(r) else None for r, n in zip(position["rank"], position["peers"])],
        verdict=flag_names(position["flag"]))
    tables.show_table(shown, {"name": ("peer_metric", "text"), "own": ("col_value", "text"),
                          "peer": ("col_peer_median", "text"), "ratio_text": ("col_peer_ratio", "text"),
                          "place": ("col_position", "text"), "regional": ("col_region_median", "text"),
                          "verdict": ("col_flag", "text")}, key="report_peers", file_stem=f"{report_id}-peers")
    band = position["band"].dropna()
    st.caption(T("peers_note", band=outliers.band_label(int(band.iloc[0])) if len(band) else "—",
                    min=outliers.MIN_PEERS))


def ngo_peers_section(flt: Filter) -> None:
    """The NGOs of the selection beside their peers on a chosen figure."""
    from grantstats import outliers, peers

    st.subheader(T("peers_title"), anchor=False)
    language = labels.lang()
    if st.session_state.get("ngo_peer_metric") not in outliers.METRICS:
        st.session_state["ngo_peer_metric"] = "cost_per_beneficiary"
    metric = st.segmented_control(T("peer_metric"), list(outliers.METRICS), key="ngo_peer_metric", required=True,
                                  format_func=lambda m: i18n.t(f"metric_{m}", language))
    table = cached(peers.ngo_peers, flt, metric=metric)
    if table.empty:
        st.caption(T("peers_none"))
        return
    table = table.assign(name=table["ngo_name"].where(table["ngo_name"].notna(), table["ngo"]),
                         own=metric_texts(metric, table["value"], language),
                         peer=metric_texts(metric, table["peer_median"], language),
                         ratio_text=[_ratio_text(r, language) for r in table["ratio"]],
                         link=state.page_urls("report", "ngo", table["ngo"]))
    tables.show_table(table, {"name": ("col_ngo", "text"), "reports": ("reports", "count"), "own": ("col_value", "text"),
                          "peer": ("col_peer_median", "text"), "ratio_text": ("col_peer_ratio", "text"),
                          "outliers": ("col_outliers", "count")}, key="ngo_peers",
                  file_stem=f"grantstats-ngo-peers-{metric}", links={"link": ("col_open", ":material/description:")})
    st.caption(T("peers_ngo_note") + " " + T("peers_note", band="…", min=outliers.MIN_PEERS))


# ------------------------------------------------------------------------------------------- tables


def selectable_table(df: pd.DataFrame, columns: dict[str, tuple[str, str]], key: str, file_stem: str,
                     id_column: str, max_rows: int = 1000, multiple: bool = False) -> Any:
    """Like ``dashboard.show_table`` (formatted, sortable, CSV/XLSX downloads of every row), and a click on a row
    selects it: the row's ``id_column`` value, or None (``multiple``: the list of the selected rows' values)."""
    from grantstats import formatting as fmt

    shown = pd.DataFrame({T(label): df[col] for col, (label, _) in columns.items()})
    visible = shown.head(max_rows).copy()
    # formatted by column formats in the browser, as tables.show_table does (a pandas Styler over 1 000 rows was
    # half of a health page rerun)
    config = tables.column_formats(visible, {T(label): kind for label, kind in columns.values()}, labels.lang(),
                                   pin_first=False)
    height: Any = 35 * (len(visible) + 1) + 3 if len(visible) <= 15 else 420
    event = st.dataframe(visible, hide_index=True, column_config=config,
                         key=f"table_{key}", height=height, on_select="rerun",
                         selection_mode="multi-row" if multiple else "single-row")
    if len(shown) > len(visible):
        st.caption(T("table_truncated", shown=fmt.count(len(visible), lang=labels.lang()), total=fmt.count(len(shown), lang=labels.lang())))
    tables.download_buttons(shown, file_stem, key, kinds={T(label): kind for label, kind in columns.values()},
                            report_ids=df["report_id"] if "report_id" in df.columns else None)  # (audited)
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if multiple:
        return [df[id_column].iloc[r] for r in rows]
    return df[id_column].iloc[rows[0]] if rows else None


# ------------------------------------------------------------------------------------------- health


def health_explanation(report_id: str, label: str) -> None:
    """What took points off one report: its open findings and failed checks, largest first."""
    from grantstats import health, scope as scopes

    st.subheader(T("health_explain_title", name=label), anchor=False)
    if not scopes.is_visible(data.cursor(), report_id, gate.scope()):
        st.warning(T("report_not_found", report=report_id), icon=":material/search_off:")
        return
    why = cached(health.health_explain, report_id)
    why = why[why["points"] > 0] if not why.empty else why
    if why.empty:
        st.success(T("health_full"), icon=":material/check_circle:")
        return
    lang = labels.lang()
    why = why.assign(kind_name=[T(f"kind_{k}") for k in why["kind"]],
                     name=health.check_titles(why["code"], lang),
                     severity_name=[labels.severity_name(s) if isinstance(s, str) else "" for s in why["severity"]],
                     text=labels.finding_texts(why))
    tables.show_table(why, {"points": ("col_points", "count"), "kind_name": ("col_kind", "text"), "name": ("col_rule", "text"),
                        "severity_name": ("col_severity", "text"), "text": ("col_message", "text"),
                        "cell": ("col_cell", "text")}, key="health_explain_table", file_stem=f"{report_id}-health")
    st.link_button(T("col_open"), state.report_url(report_id), icon=":material/description:")


# ------------------------------------------------------------------------------------------- the brief


def brief_download(flt: Filter) -> None:
    """The overview's download of the brief for the minister: the current view, within the person's scope, as a
    PDF made on the click and recorded in the audit log (the making runs outside the script run, so everything it
    needs is taken now: the filter, language, the snapshot's handle)."""
    from grantstats import brief

    try:
        brief.chromium()
    except brief.BriefError as exc:
        st.caption(T("brief_failed", reason=str(exc)))
        return
    flt = flt.within(gate.scope())
    language, path = labels.lang(), data.snapshot_path()
    from grantstats.export import file_name as export_file_name

    file_name = export_file_name(f"grantstats-brief-{language}", flt, "pdf")

    def make() -> bytes:
        _, _, cursor = data.cursor_apart(path)  # a cursor of its own: this runs in another thread than the page
        try:
            return brief.brief_pdf(cursor, flt, lang=language)
        finally:
            cursor.close()

    st.download_button(T("brief_download"), data=audited.download(make, file_name), file_name=file_name,
                       mime="application/pdf", key="brief_pdf", on_click="ignore", icon=":material/picture_as_pdf:")
