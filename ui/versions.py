"""The report page's «Версии отчета» section: every version of a report (current first) within the person's
regions, and, for those whose role may restore, a button that makes an earlier one current again
(grantstats.history.restore, one transaction, through the one writer; then a new snapshot is published)."""

from __future__ import annotations

import streamlit as st

from grantstats import audit, formatting as fmt, history, snapshots
from grantstats.access import RESTORE
from ui import gate
from ui.data import clear_caches, cursor, db_path, write_session
from ui.labels import T, lang
from ui.tables import show_table

RESTORED_KEY = "_hist_restored"


def versions_section(report_id: str) -> None:
    """Draw the versions of `report_id` with a restore button (nothing to restore: one line saying so)."""
    st.subheader(T("versions"), anchor=False)
    done = st.session_state.pop(RESTORED_KEY, None)
    if done:
        st.success(T("version_restored", version=done["restored_version"], archived=done["archived_version"]),
                   icon=":material/history:")
    df = history.versions(cursor(), report_id, scope=gate.scope())
    earlier = df[~df["current"].astype(bool)]
    if earlier.empty:
        st.caption(T("versions_none"))
        return
    shown = df.assign(version=[T("version_current") if current else str(int(v))
                               for current, v in zip(df["current"], df["version_id"])],
                      loaded=[_when(v) for v in df["loaded_at"]], replaced=[_when(v) for v in df["replaced_at"]])
    show_table(shown, {"version": ("col_version", "text"), "file_name": ("col_file", "text"),
                       "loaded": ("col_loaded", "text"), "replaced": ("col_replaced_at", "text"),
                       "replaced_by_file": ("col_replaced_by", "text")}, key="report_versions", download=False, pin_first=False)
    grant = gate.current_grant()
    if grant is None or not grant.may(RESTORE):
        return
    options = [int(v) for v in earlier["version_id"]]
    left, right = st.columns([2, 3])
    chosen = left.selectbox(T("col_version"), options, key=f"restore_choice_{report_id}")
    if right.button(f"{T('version_restore')} {chosen}", key=f"restore_{report_id}", icon=":material/restore:"):
        try:
            with write_session(f"restore {chosen}", grant.user) as con:
                done = history.restore(con, chosen, scope=grant.scope)
        except snapshots.WriterBusy as busy:
            st.error(writer_busy_text(busy), icon=":material/hourglass_top:")
            return
        except (history.HistoryError, RuntimeError) as exc:
            st.error(T("writer_failed", reason=str(exc)), icon=":material/block:")
            return
        audit.record(db_path(), "restore", grant.user, via=gate.via(), report_ids=[done["report_id"]],
                     detail={"restored_version": done["restored_version"], "archived_version": done["archived_version"]})
        st.session_state[RESTORED_KEY] = done
        clear_caches()
        st.rerun()


def writer_busy_text(busy: snapshots.WriterBusy) -> str:
    """The one line a second writer gets, in the page's language."""
    who = ", ".join(str(x) for x in (busy.holder.get("user"), busy.holder.get("command")) if x) or "?"
    return T("writer_busy", since=busy.since, who=who)


def _when(value) -> str:
    return fmt.datetime_text(value, lang())
