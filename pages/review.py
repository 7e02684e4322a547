"""Разбор замечаний: staff mark findings «accepted» or «returned to the NGO» with a comment; who and when are kept
and shown; an NGO's open findings download as a letter-ready table. Everyone sees the findings of their regions;
only roles that may review (staff, admin) get the form, which writes through the one writer (published for every
reader, recorded in the audit log under the signed-in person)."""

import streamlit as st

from grantstats import audit, formatting as fmt, i18n, review, snapshots
from grantstats.access import REVIEW
from ui import audited, charts, data, frame, gate, insight, labels
from ui.labels import T
from ui.versions import writer_busy_text

LIMIT = 1000  # findings listed at once (the worst first); narrow by NGO or the sidebar for the others
flt, head = frame.page_start("page_review")
lang = labels.lang()
st.caption(T("review_intro"))

done = st.session_state.pop("_review_done", None)
if done is not None:
    st.success(T("review_saved", n=done), icon=":material/task_alt:")

counts = insight.cached(review.review_counts, flt)
if not counts.empty:
    import plotly.graph_objects as go

    rules = labels.with_finding_names(counts.assign(severity=None))["rule_name"].tolist()
    fig = go.Figure()
    for status, color in (("open", charts.BAD), ("returned", charts.PLAN), ("accepted", charts.GOOD)):
        fig.add_trace(go.Bar(y=rules, x=counts[status], orientation="h", name=T(f"review_{status}"), marker_color=color,
                             hovertemplate="%{y}: %{x}<extra>" + T(f"review_{status}") + "</extra>"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", automargin=True)
    charts.chart(charts.style(fig, height=max(180, 26 * len(rules) + 80), legend=True), "review_counts")

left, right = st.columns([2, 3])
with left:
    shown = st.segmented_control(T("review_list"), list(review.LISTS), key="review_list", default="open",
                                 required=True, format_func=lambda s: i18n.t(f"review_{s}", lang))
listed = insight.cached(review.findings_for_review, flt, status=shown, limit=LIMIT)
ngos = (listed.dropna(subset=["ngo_key"]).drop_duplicates("ngo_key")[["ngo_key", "grantee"]]
        .sort_values("grantee", kind="stable"))
ngo_names = dict(zip(ngos["ngo_key"], ngos["grantee"]))
with right:
    ngo = st.selectbox(T("review_ngo"), [None] + list(ngo_names), key="review_ngo",
                       format_func=lambda k: i18n.t("all", lang) if k is None else ngo_names.get(k, k))
ngo_filter = flt.with_(ngos=(ngo,)) if ngo else flt
if ngo:
    listed = listed[listed["ngo_key"] == ngo]

if listed.empty:
    st.info(T("review_none"), icon=":material/check_circle:")
else:
    table = labels.with_finding_names(listed).assign(
        text=labels.finding_texts(listed),
        status_name=labels.each(listed["status"], lambda s: T(f"review_{s}") if isinstance(s, str) else T("review_status_open")),
        when=insight.dates(listed["reviewed_at"], "%d.%m.%Y %H:%M"))
    picked = insight.selectable_table(table, {
        "grantee": ("col_grantee", "text"), "year": ("col_year", "year"), "severity_name": ("col_severity", "text"),
        "rule_name": ("col_rule", "text"), "text": ("col_message", "text"), "cell": ("col_cell", "text"),
        "status_name": ("col_review", "text"), "comment": ("col_comment", "text"), "reviewer": ("col_reviewer", "text"),
        "when": ("col_reviewed_at", "text")}, key="review_findings", file_stem="grantstats-review",
        id_column="finding_key", multiple=True)
    labels = {k: f"{g or fmt.DASH} · {r} · {c or fmt.DASH} · {(m or '')[:70]}"
              for k, g, r, c, m in zip(table["finding_key"], table["grantee"], table["rule_name"], table["cell"],
                                       table["text"])}
    if picked:
        st.session_state["review_keys"] = picked
    st.session_state["review_keys"] = [k for k in st.session_state.get("review_keys", []) if k in labels]
    grant = gate.current_grant()
    if grant is not None and grant.may(REVIEW):
        keys = st.multiselect(T("review_pick"), list(labels), key="review_keys", format_func=lambda k: labels.get(k, k),
                              placeholder=T("review_pick_none"))
        with st.form("review_form", border=True):
            verdict = st.radio(T("review_as"), ["accepted", "returned", "reopen"], key="review_status", horizontal=True,
                               format_func=lambda s: i18n.t(f"review_{s}", lang))
            comment = st.text_input(T("review_comment"), key="review_comment")
            who = review.current_user(grant.user)
            st.caption(T("review_who", who=who))
            if st.form_submit_button(T("review_save"), type="primary", disabled=False):
                try:
                    with data.write_session(f"review {verdict} ({len(keys)} findings)", grant.user) as con:
                        count = (review.reopen(con, keys, scope=grant.scope) if verdict == "reopen"
                                 else review.mark(con, keys, verdict, comment, who=who, scope=grant.scope))
                        owners = review.finding_reports(con, keys)
                except snapshots.WriterBusy as busy:
                    st.error(writer_busy_text(busy), icon=":material/hourglass_top:")
                    st.stop()
                except (review.ReviewError, RuntimeError) as exc:
                    st.error(T("writer_failed", reason=str(exc)), icon=":material/block:")
                    st.stop()
                audit.record(data.db_path(), "review", grant.user, via=gate.via(),
                             report_ids=sorted(set(owners.values())),
                             detail={"status": verdict, "findings": sorted(owners), "comment": comment or None})
                insight.clear_caches()
                st.session_state["_review_done"] = count
                st.session_state.pop("review_keys", None)
                st.rerun()
    else:
        st.caption(T("review_read_only"))

if ngo:
    letter_name = f"grantstats-letter-{ngo}.xlsx"
    letter = insight.cached(review.letter_xlsx, ngo_filter, lang, ngo_names.get(ngo))
    st.download_button(T("review_letter"), data=audited.download(lambda: letter, letter_name, listed["report_id"]),
                       file_name=letter_name,
                       key="review_letter", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/mail:")
else:
    st.caption(T("review_letter_hint"))
