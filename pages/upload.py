"""Загрузка: drop report files, see what they hold (a dry run: the database is not touched), then load or cancel.

Open to roles that may load (staff, admin; everyone in local mode). The bytes go to grantstats.upload: dry_run
reads each file in the guarded parsing worker (a report outside the person's regions refuses its file); commit
saves everything in one transaction through the one writer (a second load at the same time gets one line), and
a new snapshot is published: every dashboard shows the new figures on its next rerun. A refused file shows its
reason in the page's language; the others still load. Findings are counted and shown open; reports with errors
are loaded only after a second confirmation; after a load, every new report is a link. Loads are recorded in the
audit log.
"""

import streamlit as st

from grantstats import audit, formatting as fmt, snapshots, upload
from grantstats.access import LOAD
from grantstats.metrics import Filter, report_list
from grantstats.refusals import refusal_text
from grantstats.safety import Limits
from ui import data, frame, gate, insight, labels, state, tables
from ui.data import cached
from ui.labels import T
from ui.versions import writer_busy_text

PLAN_KEY = "_up_plan"        # (signature of the uploaded files, list[PlannedFile])
RESULT_KEY = "_up_results"   # the last load's (PlannedFile, FileResult) pairs, shown once
NOTICE_KEY = "_up_notice"    # "cancelled" after a cancel
GEN_KEY = "_up_gen"          # bumped to clear the uploader after a load or a cancel
CONFIRM_KEY = "_up_confirm"  # the signature of the files whose errors the user was asked about

frame.through_app()
grant = gate.require(LOAD)
st.title(T("page_upload"))
if insight.upload_kind() == "contracts":  # issue #17: the list of awarded grants
    insight.contracts_upload()
    st.stop()
st.caption(T("upload_intro"))
lang = labels.lang()


def why(item) -> str:
    """Why a file is refused or left unchanged, in the page's language."""
    if item.reason == "already_loaded":
        return T("upload_already_loaded", file=item.params["file"], when=fmt.datetime_text(item.params["loaded_at"], lang))
    if item.reason == "same_in_upload":
        return T("upload_same_in_upload", file=item.params["file"])
    return refusal_text(item.reason, item.params, lang, fallback=item.message)


def reset(notice: str | None = None) -> None:
    for key in (PLAN_KEY, CONFIRM_KEY):
        st.session_state.pop(key, None)
    if notice:
        st.session_state[NOTICE_KEY] = notice
    st.session_state[GEN_KEY] = st.session_state.get(GEN_KEY, 0) + 1
    st.rerun()


limit_mb = Limits.from_env().max_file_mb
frame.uploader_in_language()  # Streamlit's own «Upload» and «200MB per file» replaced by the page's words
files = st.file_uploader(T("upload_files"), type=list(upload.UPLOAD_TYPES), accept_multiple_files=True,
                         key=f"upload_files_{st.session_state.get(GEN_KEY, 0)}", help=T("upload_help", mb=f"{limit_mb:g}"))
st.caption(T("upload_limits", mb=f"{limit_mb:g}", types=", ".join(upload.UPLOAD_TYPES)))

done = st.session_state.pop(RESULT_KEY, None)
if done:
    loaded = [r for _, r in done if r.status == "loaded"]
    st.success(T("upload_done", reports=sum(r.reports for r in loaded), files=len(loaded)), icon=":material/task_alt:")
    for item, r in done:
        if r.status == "loaded":
            text = T("upload_result_loaded", name=r.name, reports=r.reports)
            if r.replaced:
                text += T("upload_result_replaced", replaced=len(r.replaced))
            st.markdown(f"- {text}")
        elif r.status == "unchanged":
            st.markdown(f"- {T('upload_result_unchanged', name=r.name)}")
        else:  # (refused at the load itself: the scope checked again)
            st.error(T("upload_refused", name=r.name, reason=why(item) if item.reason else r.message),
                     icon=":material/block:")
    new_ids = tuple(rid for r in loaded for rid in r.report_ids)
    if new_ids:
        st.session_state[data.VERSION_KEY] = data.data_version()  # the snapshot the load just published
        st.subheader(T("upload_new_reports"), anchor=False)
        new = cached(report_list, Filter(report_ids=new_ids))
        new = new.assign(link=state.report_urls(new["report_id"], new["grantee"].where(new["grantee"].notna(),
                                                                                        new["report_id"])))
        tables.show_table(new, {"title": ("col_title", "text"), "year": ("col_year", "year"),
                                "grant_amount": ("grant_amount", "money"), "errors": ("errors", "count"),
                                "warnings": ("warnings", "count"), "file_name": ("col_file", "text")},
                          key="upload_new", links={"link": ("col_grantee", tables.NAME_IN_URL)}, download=False)
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
        st.error(T("upload_refused", name=item.name, reason=why(item)), icon=":material/block:")
    elif item.status == "unchanged":
        st.info(T("upload_unchanged", name=item.name, reason=why(item)), icon=":material/check:")

table = upload.plan_table(planned)
table = table[~table["status"].isin(["refused", "unchanged"])]  # named above, with the reason
if not table.empty:
    replaces = [T("upload_replaces_in_upload", report=rid, file=in_upload) if isinstance(in_upload, str) else
                T("upload_replaces_stored", report=old, file=old_file, when=fmt.date_text(when, lang))
                if isinstance(old, str) else None
                for rid, in_upload, old, old_file, when in zip(table["report_id"], table["replaces_in_upload"],
                                                               table["replaces_id"], table["replaces_file"],
                                                               table["replaces_loaded_at"])]
    table = table.assign(status=[T(f"status_{s}") for s in table["status"]], replaces_text=replaces,
                         region_names=[", ".join(labels.region_name(c) for c in r.split(",")) if isinstance(r, str) else None
                                       for r in table["regions"]],
                         direction_name=[labels.direction_name(d) if isinstance(d, str) else None for d in table["direction"]])
    tables.show_table(table, {
        "grantee": ("col_grantee", "text"), "status": ("col_status", "text"), "errors": ("errors", "count"),
        "warnings": ("warnings", "count"), "file": ("col_file", "text"), "title": ("col_title", "text"),
        "contract_no": ("col_contract", "text"), "year": ("col_year", "year"), "region_names": ("col_region", "text"),
        "direction_name": ("col_direction", "text"), "grant_amount": ("grant_amount", "money"),
        "direct_plan": ("direct_plan", "count"), "direct_fact": ("direct_fact", "count"),
        "indirect_fact": ("indirect", "count"), "participants": ("participants_total", "count"),
        "replaces_text": ("col_replaces", "text")},
        key="upload_plan", download=False)

found = upload.findings_table(planned)
if not found.empty:  # shown open, counted by severity
    by_severity = found["severity"].value_counts()
    st.subheader(T("upload_findings_counted", errors=int(by_severity.get("error", 0)),
                   warnings=int(by_severity.get("warning", 0)), infos=int(by_severity.get("info", 0))), anchor=False)
    found = labels.with_finding_names(found).assign(text=labels.finding_texts(found))
    tables.show_table(found, {"severity_name": ("col_severity", "text"), "grantee": ("col_grantee", "text"),
                              "rule_name": ("col_rule", "text"), "text": ("col_message", "text"),
                              "file": ("col_file", "text"), "sheet": ("col_sheet", "text"), "cell": ("col_cell", "text")},
                      key="upload_findings", download=False)

to_load = [r for p in planned if p.status == "new" for r in p.reports]
with_errors = [r for r in to_load if r.errors]
if not to_load:
    st.info(T("upload_nothing"), icon=":material/info:")


def commit() -> None:
    """Load through the one writer, publish, record in the audit log; a second writer at work gets one line."""
    try:
        with data.write_session(f"upload of {len(planned)} files", grant.user) as con:
            results = upload.commit(con, planned, scope=grant.scope)
    except snapshots.WriterBusy as busy:
        st.error(writer_busy_text(busy), icon=":material/hourglass_top:")
        st.stop()
    except RuntimeError as exc:
        st.error(T("writer_failed", reason=str(exc)), icon=":material/block:")
        st.stop()
    audit.record_many(data.db_path(), audit.load_entries(results, grant.user, gate.via(), "upload"))
    data.clear_caches()
    st.session_state[RESULT_KEY] = list(zip(planned, results))
    st.session_state.pop(PLAN_KEY, None)  # (loaded: nothing to discard)
    reset()


asked = st.session_state.get(CONFIRM_KEY) == signature
if asked:  # the second step: the reports with errors, named, and a button that loads them all the same
    st.warning(T("upload_errors_confirm", reports=len(with_errors), errors=sum(r.errors for r in with_errors)),
               icon=":material/warning:")
    st.markdown("\n".join(f"- {r.grantee or fmt.DASH} · {r.title or r.report_id}: "
                          f"{T('errors').lower()} {r.errors}" for r in with_errors[:20]))
left, right, _ = st.columns([3, 2, 4])
if asked:
    if left.button(T("upload_load_anyway"), type="primary", key="upload_load_anyway", icon=":material/database_upload:"):
        commit()
elif left.button(T("upload_load"), type="primary", disabled=not to_load, key="upload_load",
                 icon=":material/database_upload:"):
    if with_errors:
        st.session_state[CONFIRM_KEY] = signature
        st.rerun()
    commit()
if right.button(T("upload_cancel"), key="upload_cancel", icon=":material/close:"):
    upload.discard(planned)
    reset("cancelled")
