"""Загрузка: drop report files, see what they hold (a dry run: the database is not touched), then load or cancel.

Open to roles that may load (staff, admin; everyone in local mode). The bytes go to grantstats.upload: dry_run
reads each file in the guarded parsing worker (a report outside the person's regions refuses its file); commit
saves everything in one transaction through the one writer (a second load at the same time gets one line), and
a new snapshot is published: every dashboard shows the new figures on its next rerun. A refused file shows its
reason; the others still load. Loads are recorded in the audit log.
"""

import streamlit as st

from grantstats import audit, snapshots, upload
from grantstats.access import LOAD
from grantstats.safety import Limits
from ui import data, frame, gate, insight, labels, tables
from ui.labels import T
from ui.versions import writer_busy_text

PLAN_KEY = "_up_plan"        # (signature of the uploaded files, list[PlannedFile])
RESULT_KEY = "_up_results"   # the last load's FileResults, shown once
NOTICE_KEY = "_up_notice"    # "cancelled" after a cancel
GEN_KEY = "_up_gen"          # bumped to clear the uploader after a load or a cancel

frame.through_app()
grant = gate.require(LOAD)
st.title(T("page_upload"))
if insight.upload_kind() == "contracts":  # issue #17: the list of awarded grants
    insight.contracts_upload()
    st.stop()
st.caption(T("upload_intro"))

limit_mb = Limits.from_env().max_file_mb
files = st.file_uploader(T("upload_files"), type=list(upload.UPLOAD_TYPES), accept_multiple_files=True,
                         key=f"upload_files_{st.session_state.get(GEN_KEY, 0)}", help=T("upload_help", mb=f"{limit_mb:g}"))

results = st.session_state.pop(RESULT_KEY, None)
if results:
    loaded = [r for r in results if r.status == "loaded"]
    st.success(T("upload_done", reports=sum(r.reports for r in loaded), files=len(loaded)), icon=":material/task_alt:")
    for r in results:
        if r.status == "loaded":
            text = T("upload_result_loaded", name=r.name, reports=r.reports)
            if r.replaced:
                text += T("upload_result_replaced", replaced=len(r.replaced))
            st.markdown(f"- {text}")
        elif r.status == "unchanged":
            st.markdown(f"- {T('upload_result_unchanged', name=r.name)}")
        else:
            st.error(T("upload_refused", name=r.name, reason=r.message), icon=":material/block:")
if st.session_state.pop(NOTICE_KEY, None) == "cancelled":
    st.info(T("upload_cancelled"), icon=":material/undo:")

if not files:
    dropped = st.session_state.pop(PLAN_KEY, None)
    if dropped:
        upload.discard(dropped[1])  # files taken out of the uploader: nothing of them is kept
    st.stop()

signature = tuple((f.file_id, f.name, f.size) for f in files)
held = st.session_state.get(PLAN_KEY)
if held is not None and held[0] != signature:
    upload.discard(held[1])
if held is None or held[0] != signature:
    with st.spinner(T("upload_reading")):
        planned = upload.dry_run(data.cursor(), [(f.name, f.getvalue()) for f in files], upload.archive_dir(),
                                 scope=grant.scope)
    st.session_state[PLAN_KEY] = (signature, planned)
planned = st.session_state[PLAN_KEY][1]

counts = upload.summary_counts(planned)
st.subheader(T("upload_plan"), anchor=False)
st.markdown(T("upload_counts", **counts))
for item in planned:
    if item.status == "refused":
        st.error(T("upload_refused", name=item.name, reason=item.message), icon=":material/block:")

table = upload.plan_table(planned)
table = table[table["status"] != "refused"]  # refused files are named above, with the reason
if not table.empty:
    table = table.assign(status=[T(f"status_{s}") for s in table["status"]],
                         region_names=[", ".join(labels.region_name(c) for c in r.split(",")) if isinstance(r, str) else None
                                       for r in table["regions"]],
                         direction_name=[labels.direction_short(d) if isinstance(d, str) else None for d in table["direction"]])
    tables.show_table(table, {
        "file": ("col_file", "text"), "status": ("col_status", "text"), "grantee": ("col_grantee", "text"),
        "title": ("col_title", "text"), "contract_no": ("col_contract", "text"), "year": ("col_year", "year"),
        "region_names": ("col_region", "text"), "direction_name": ("col_direction", "text"),
        "grant_amount": ("grant_amount", "money"), "direct_plan": ("direct_plan", "count"),
        "direct_fact": ("direct_fact", "count"), "indirect_fact": ("indirect", "count"),
        "participants": ("participants_total", "count"), "errors": ("errors", "count"),
        "warnings": ("warnings", "count"), "replaces": ("col_replaces", "text")},
        key="upload_plan", download=False)

found = upload.findings_table(planned)
if not found.empty:
    with st.expander(f"{T('upload_findings')} ({len(found)})"):
        found = labels.with_finding_names(found).assign(text=found[labels.message_column()])
        tables.show_table(found, {"file": ("col_file", "text"), "grantee": ("col_grantee", "text"),
                                  "severity_name": ("col_severity", "text"), "rule_name": ("col_rule", "text"),
                                  "text": ("col_message", "text"), "sheet": ("col_sheet", "text"),
                                  "cell": ("col_cell", "text")}, key="upload_findings", download=False)

can_load = any(p.status == "new" and p.reports for p in planned)
if not can_load:
    st.info(T("upload_nothing"), icon=":material/info:")
left, right, _ = st.columns([2, 1, 5])
if left.button(T("upload_load"), type="primary", disabled=not can_load, key="upload_load",
               icon=":material/database_upload:"):
    try:
        with snapshots.write_session(data.db_path(), f"upload of {len(planned)} files", user=grant.user) as con:
            results = upload.commit(con, planned, scope=grant.scope)
    except snapshots.WriterBusy as busy:
        st.error(writer_busy_text(busy), icon=":material/hourglass_top:")
        st.stop()
    except RuntimeError as exc:
        st.error(T("writer_failed", reason=str(exc)), icon=":material/block:")
        st.stop()
    audit.record_many(data.db_path(), audit.load_entries(results, grant.user, gate.via(), "upload"))
    st.session_state[RESULT_KEY] = results
    data.clear_caches()
    st.session_state.pop(PLAN_KEY, None)
    st.session_state[GEN_KEY] = st.session_state.get(GEN_KEY, 0) + 1
    st.rerun()
if right.button(T("upload_cancel"), key="upload_cancel", icon=":material/close:"):
    upload.discard(planned)
    st.session_state.pop(PLAN_KEY, None)
    st.session_state[NOTICE_KEY] = "cancelled"
    st.session_state[GEN_KEY] = st.session_state.get(GEN_KEY, 0) + 1
    st.rerun()

