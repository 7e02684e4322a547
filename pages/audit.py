"""Журнал: the audit log (grantstats.audit) for administrators — who signed in, loaded, replaced, restored and
downloaded what, and when; filtered by user, action and date."""

import datetime as dt

import pandas as pd
import streamlit as st

from grantstats import audit
from grantstats.access import AUDIT
from ui import data, frame, gate, tables
from ui.labels import T

frame.through_app()
gate.require(AUDIT)
st.title(T("page_audit"))
st.caption(T("audit_intro"))

left, middle, right = st.columns([2, 2, 2])
user = left.text_input(T("audit_user"), key="audit_user")
action = middle.selectbox(T("audit_action"), [None, *audit.ACTIONS], key="audit_action",
                          format_func=lambda a: T("all") if a is None else T(f"action_{a}"))
since = right.date_input(T("audit_since"), value=None, key="audit_since")
events = audit.events(data.db_path(), user=user or None, action=action,
                      since=dt.datetime.combine(since, dt.time()).isoformat() if since else None, limit=5000)
if events.empty:
    st.info(T("audit_empty"))
    st.stop()
shown = events.assign(action=[T(f"action_{a}") for a in events["action"]],
                      at=[a[:19].replace("T", " ") for a in events["at"]],
                      sha256=[s[:16] if isinstance(s, str) else None for s in events["sha256"]])
shown = shown.where(pd.notna(shown), None)
tables.show_table(shown, {"at": ("col_at", "text"), "user": ("col_user", "text"), "via": ("col_via", "text"),
                          "action": ("col_action", "text"), "file_name": ("col_file", "text"),
                          "sha256": ("col_sha256", "text"), "report_ids": ("col_report_ids", "text"),
                          "filters": ("col_filters", "text"), "detail": ("col_detail", "text")},
                  key="audit_events", file_stem="grantstats-audit")
