"""Сдача отчетов: every contract of the grantor's list beside its report — received, overdue, not yet due — by
region and direction, and the overdue list with days overdue."""

from datetime import date

import plotly.graph_objects as go
import streamlit as st

from grantstats import completeness, contracts, formatting as fmt, i18n
from ui import charts, data, frame, gate, insight, labels, state, tables
from ui.labels import T

flt, head = frame.page_start("page_completeness", require_reports=False)  # contracts whose reports never came
lang = labels.lang()

loaded = insight.cached(completeness.contracts_loaded, scope=gate.scope())  # the person's regions' contracts
if not loaded["contracts"]:
    st.info(f"**{T('cp_no_contracts_title')}**\n\n" + T("cp_no_contracts_body", db=data.db_path()),
            icon=":material/upload_file:")
    st.stop()
years = fmt.DASH if loaded["year_from"] is None else (
    str(loaded["year_from"]) if loaded["year_from"] == loaded["year_to"] else f"{loaded['year_from']}–{loaded['year_to']}")
st.caption(T("cp_basis", contracts=fmt.count(loaded["contracts"], lang=lang), files=fmt.count(loaded["files"], lang=lang), years=years))

left, right, _ = st.columns([1, 1, 2])
as_of = left.date_input(T("cp_as_of"), value=date.today(), key="cp_as_of", format="DD.MM.YYYY")
days = right.number_input(T("cp_due_days"), min_value=0, max_value=3650, value=contracts.due_days(), step=1,
                          key="cp_due_days", help=T("cp_due_days_help"))
args = {"as_of": as_of, "due_days": int(days)}

total = insight.cached(completeness.completeness_by, flt, **args).iloc[0]
if not total["contracts"]:
    st.warning(T("cp_nothing"), icon=":material/filter_alt_off:")
    st.stop()
cards = [("cp_contracts", fmt.count(total["contracts"], lang=lang)), ("cp_received", fmt.count(total["received"], lang=lang)),
         ("cp_overdue", fmt.count(total["overdue"], lang=lang)), ("cp_not_due", fmt.count(total["not_due"], lang=lang)),
         ("cp_received_share", fmt.share(total["received_share"], lang=lang))]
if total["no_due_date"]:
    cards.append(("cp_no_due_date", fmt.count(total["no_due_date"], lang=lang)))
for column, (key, value) in zip(st.columns(len(cards)), cards):
    column.metric(T(key), value, border=True)

STATUS_COLORS = (("received", charts.GOOD), ("overdue", charts.BAD), ("not_due", charts.MUTED), ("no_due_date", charts.PLAN))
COUNTS = {"contracts": ("cp_contracts", "count"), "received": ("cp_received", "count"), "overdue": ("cp_overdue", "count"),
          "not_due": ("cp_not_due", "count"), "received_share": ("cp_received_share", "share"),
          "overdue_amount": ("col_overdue_amount", "money"), "days_overdue_max": ("col_days_overdue", "count")}

st.subheader(T("cp_by_region"))
by_region = insight.cached(completeness.completeness_by, flt, by="region", **args)
by_region = by_region.assign(name=[labels.region_name(r) for r in by_region["region"]]).sort_values(
    ["overdue", "contracts"], ascending=False, kind="stable")
fig = go.Figure()
for status, color in STATUS_COLORS:
    if by_region[status].sum():
        fig.add_trace(go.Bar(y=by_region["name"], x=by_region[status], orientation="h", name=T(f"cp_{status}"),
                             marker_color=color, hovertemplate="%{y}: %{x}<extra>" + T(f"cp_{status}") + "</extra>"))
fig.update_layout(barmode="stack")
fig.update_yaxes(autorange="reversed", automargin=True)
charts.chart(charts.style(fig, height=max(220, 26 * len(by_region) + 90), legend=True), "cp_regions")
tables.show_table(by_region, {"name": ("col_region", "text"), **COUNTS}, key="cp_regions",
              file_stem="grantstats-reports-due-by-region")

st.subheader(T("cp_by_direction"))
by_direction = insight.cached(completeness.completeness_by, flt, by="direction", **args)
by_direction = by_direction.assign(name=[labels.direction_short(d, 60) for d in by_direction["direction"]])
tables.show_table(by_direction, {"name": ("col_direction", "text"), **COUNTS}, key="cp_directions",
              file_stem="grantstats-reports-due-by-direction")

st.subheader(T("cp_contract_list"))
statuses = [s for s in completeness.STATUSES if s != "no_due_date" or total["no_due_date"]]
if st.session_state.get("cp_status") not in statuses:
    st.session_state["cp_status"] = "overdue"
shown_status = st.segmented_control(T("col_status"), statuses, key="cp_status", required=True,
                                    format_func=lambda s: i18n.t(f"cp_{s}", lang))
listed = insight.cached(completeness.contract_status, flt, status=shown_status, **args)
if listed.empty:
    st.caption(T("cp_none_overdue") if shown_status == "overdue" else fmt.DASH)
else:
    listed = listed.assign(
        due=insight.dates(listed["due_date"]), contract_day=insight.dates(listed["contract_date"]),
        region_names=labels.each(listed["regions"], lambda r: labels.region_list_name(r, lang)),
        direction_name=labels.each(listed["direction"], labels.direction_short),
        stated=labels.each(listed["due_date_stated"], lambda s: T("yes") if s else T("no")),
        how=labels.each(listed["matched_by"], lambda m: T(f"matched_{m}") if isinstance(m, str) else None),
        link=state.report_urls(listed["report_id"]))
    columns = {"contract_no": ("col_contract_no", "text"), "contract_day": ("col_contract_date", "text"),
               "grantee": ("col_grantee", "text"), "title": ("col_title", "text"),
               "region_names": ("col_region", "text"), "direction_name": ("col_direction", "text"),
               "year": ("col_year", "year"), "grant_amount": ("grant_amount", "money"),
               "due": ("col_due_date", "text"), "stated": ("col_due_stated", "text")}
    if shown_status == "overdue":
        columns["days_overdue"] = ("col_days_overdue", "count")
    links = None
    if shown_status == "received":
        columns["how"] = ("col_matched_by", "text")
        links = {"link": ("col_report", r"report=(R\w+)")}
    tables.show_table(listed, columns, key="cp_list", links=links,
                  file_stem=f"grantstats-contracts-{shown_status}-{as_of.isoformat()}")

unmatched = insight.cached(completeness.reports_without_contract, flt)
with st.expander(T("cp_without_contract", n=fmt.count(len(unmatched), lang=lang))):
    st.caption(T("cp_without_contract_note"))
    unmatched = unmatched.assign(link=state.report_urls(unmatched["report_id"]))
    tables.show_table(unmatched, {"grantee": ("col_grantee", "text"), "title": ("col_title", "text"),
                              "contract_no": ("col_contract_no", "text"), "year": ("col_year", "year"),
                              "file_name": ("col_file", "text")},
                  key="cp_unmatched", file_stem="grantstats-reports-without-contract",
                  links={"link": ("col_report", r"report=(R\w+)")})
