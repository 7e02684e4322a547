"""НПО: профиль — one NGO across every year: its grants, the trend of its reach, plan achievement and cost per
beneficiary, the findings about its reports and each original file to download. Opened by ?ngo=KEY (a link from
the NGOs table or a report) or by choosing the NGO; the sidebar's filters do not narrow a profile."""

import plotly.graph_objects as go
import streamlit as st

from grantstats import formatting as fmt
from grantstats.findings.queries import findings_table
from grantstats.metrics import headline, report_list, totals
from ui import charts, downloads, frame, labels, state, tables
from ui.data import cached
from ui.labels import T

frame.through_app()
st.title(T("page_ngo"))
lang = labels.lang()
sidebar_filter = state.current_filter()
if not frame.has_reports():
    st.stop()

ngos = cached(totals, sidebar_filter, by="ngo").dropna(subset=["ngo"]).sort_values("ngo_name", kind="stable")
names = dict(zip(ngos["ngo"], ngos["ngo_name"]))
wanted = st.query_params.get("ngo")
options = list(names)
if wanted and wanted not in names:
    options = [wanted] + options  # a link to an NGO the sidebar's filter leaves out still opens it
state.url_param("ngo", "ngo_choice", options)
if not options:
    st.info(T("nothing_matches"))
    st.stop()
chosen = st.selectbox(T("ngo_choose"), options, **state.choice("ngo_choice", options, options[0]),
                      format_func=lambda k: names.get(k) or k, help=T("ngo_choose_help"))
state.set_url_param("ngo", chosen)

flt = frame.unfiltered(sidebar_filter).with_(ngos=(chosen,))  # every year, region and direction of the NGO
head = cached(headline, flt).iloc[0]
if not head["reports"]:
    st.warning(T("ngo_not_found", ngo=chosen))
    st.stop()
grants = cached(report_list, flt)
grantee_names = list(dict.fromkeys(grants["grantee"].dropna()))
st.header(names.get(chosen) or (grantee_names[0] if grantee_names else chosen), anchor=False)
facts = [T("basis", reports=fmt.count(head["reports"], lang=lang), ngos=fmt.count(head["ngos"], lang=lang)),
         T("ngo_all_years")]
if chosen.startswith("bin:"):
    facts.insert(0, f"{T('ngo_bin')}: {chosen[4:]}")
if len(grantee_names) > 1:
    facts.append(f"{T('ngo_also_written')}: " + "; ".join(grantee_names[1:6]))
st.caption(" · ".join(facts))

by_year = cached(totals, flt, by="year").dropna(subset=["year"])
cards = [("reports", fmt.count(head["reports"], lang=lang)),
         ("field_years", "–".join(dict.fromkeys([str(int(by_year["year"].min())), str(int(by_year["year"].max()))]))
          if not by_year.empty else fmt.DASH),
         ("grant_amount", fmt.money(head["grant_amount"], lang)),
         ("direct", fmt.count(head["direct_beneficiaries"], lang=lang)),
         ("direct_achievement", fmt.share(head["direct_achievement"], lang=lang)),
         ("cost_per_beneficiary", fmt.money(head["cost_per_beneficiary"], lang))]
for column, (label, value) in zip(st.columns(3) + st.columns(3), cards):
    column.metric(T(label), value, border=True)

# The trend of reach, plan achievement and cost per beneficiary, year by year
st.subheader(T("trend_by_year"), anchor=False)
if by_year.empty:
    st.caption(fmt.DASH)
else:
    years = [str(int(y)) for y in by_year["year"]]
    left, middle, right = st.columns(3)
    reach = go.Figure()
    reach.add_trace(go.Bar(x=years, y=by_year["direct_beneficiaries"], name=T("direct_fact"), marker_color=charts.PRIMARY,
                           text=[fmt.compact(v, lang) for v in by_year["direct_beneficiaries"]], textposition="outside",
                           cliponaxis=False, hovertemplate="%{x}: %{text}<extra></extra>"))
    reach.add_trace(go.Scatter(x=years, y=by_year["direct_plan"], name=T("direct_plan"), mode="lines+markers",
                               line={"color": charts.PLAN, "dash": "dot"},
                               customdata=[fmt.count(v, lang=lang) for v in by_year["direct_plan"]],
                               hovertemplate="%{x}: %{customdata}<extra></extra>"))
    reach.update_xaxes(type="category")
    reach.update_yaxes(rangemode="tozero", tickformat=",.0f")
    left.plotly_chart(charts.style(reach, title=T("direct"), legend=True, height=300), key="ngo_reach",
                      config={"displayModeBar": False})
    done = go.Figure(go.Scatter(x=years, y=by_year["direct_achievement"], mode="lines+markers+text",
                                marker={"color": charts.PRIMARY, "size": 9}, line={"color": charts.PRIMARY},
                                text=[fmt.share(v, 0, lang=lang) for v in by_year["direct_achievement"]],
                                textposition="top center", cliponaxis=False, hovertemplate="%{x}: %{text}<extra></extra>"))
    done.add_hline(y=1.0, line_dash="dash", line_color=charts.PLAN)
    done.update_xaxes(type="category", range=[-0.5, len(years) - 0.5])  # room for the first and last labels
    done.update_yaxes(tickformat=".0%", rangemode="tozero")
    middle.plotly_chart(charts.style(done, title=T("direct_achievement"), height=300), key="ngo_achievement",
                        config={"displayModeBar": False})
    cost = go.Figure(go.Scatter(x=years, y=by_year["cost_per_beneficiary"], mode="lines+markers+text",
                                marker={"color": charts.SECONDARY, "size": 9}, line={"color": charts.SECONDARY},
                                text=[fmt.money(v, lang) for v in by_year["cost_per_beneficiary"]],
                                textposition="top center", cliponaxis=False, hovertemplate="%{x}: %{text}<extra></extra>"))
    cost.update_xaxes(type="category", range=[-0.5, len(years) - 0.5])
    cost.update_yaxes(tickformat=",.0f", rangemode="tozero")
    right.plotly_chart(charts.style(cost, title=T("cost_per_beneficiary"), height=300), key="ngo_cost",
                       config={"displayModeBar": False})

# Every grant
st.subheader(T("ngo_grants"), anchor=False)
grants = grants.assign(link=state.report_urls(grants["report_id"], grants["title"].where(grants["title"].notna(),
                                                                                        grants["report_id"])),
                       direction_name=labels.each(grants["direction"], labels.direction_name),
                       region_names=labels.each(grants["regions"], labels.region_list_name))
tables.show_table(grants, {"year": ("col_year", "year"), "grant_amount": ("grant_amount", "money"),
                           "direct_plan": ("direct_plan", "count"), "direct_fact": ("direct_fact", "count"),
                           "direct_achievement": ("direct_achievement", "share"),
                           "cost_per_beneficiary": ("cost_per_beneficiary", "money"),
                           "indirect_fact": ("indirect", "count"), "direction_name": ("col_direction", "text"),
                           "region_names": ("col_region", "text"), "errors": ("errors", "count")},
                  key="ngo_grants", file_stem="grantstats-ngo-grants", title=T("ngo_grants"), filter_in_name=False,
                  links={"link": ("col_title", tables.NAME_IN_URL)})

# Findings about its reports
st.subheader(T("findings"), anchor=False)
found = cached(findings_table, flt)
if found.empty:
    st.caption(T("no_findings"))
else:
    found = labels.with_finding_names(found).assign(
        link=state.report_urls(found["report_id"], found["year"].astype("string").fillna(fmt.DASH)),
        text=labels.finding_texts(found))
    tables.show_table(found, {"severity_name": ("col_severity", "text"), "rule_name": ("col_rule", "text"),
                              "text": ("col_message", "text"), "file_name": ("col_file", "text"),
                              "sheet": ("col_sheet", "text"), "cell": ("col_cell", "text")},
                      key="ngo_findings", file_stem="grantstats-ngo-findings", title=T("findings"),
                      filter_in_name=False, links={"link": ("col_report_year", tables.NAME_IN_URL)})

# The files its reports came from, each to download as it was loaded
st.subheader(T("ngo_files"), anchor=False)
downloads.source_file_downloads(grants["report_id"].tolist(), key="ngo_files")
