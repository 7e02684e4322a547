"""Отчет: one report in full — passport, indicators with the text as written and its cells, participants,
activities, findings and the source file. Opened by ?report=ID (or ?ngo=KEY for one NGO's reports)."""

import pandas as pd
import streamlit as st

from grantstats import catalog, formatting as fmt
from grantstats.metrics import report_list
from ui import charts, data, frame, labels, state, tables
from ui.data import cached
from ui.labels import T
from ui.versions import versions_section

flt, head = frame.page_start("page_report")
lang = labels.lang()

ngo = st.query_params.get("ngo")
CHOICES = 1000  # the chooser lists the selection's newest reports; the search or a link opens any other
listed = cached(report_list, flt.with_(ngos=(ngo,)) if ngo else flt, limit=None if ngo else CHOICES)
if ngo:
    name = listed["grantee"].dropna().iloc[0] if listed["grantee"].notna().any() else ngo
    st.subheader(T("ngo_reports", ngo=name))
    shown = listed.assign(link=state.report_urls(listed["report_id"]),
                          direction_name=[labels.direction_short(d) for d in listed["direction"]])
    tables.show_table(shown, {"year": ("col_year", "year"), "title": ("col_title", "text"),
                              "direction_name": ("col_direction", "text"), "grant_amount": ("grant_amount", "money"),
                              "direct_plan": ("direct_plan", "count"), "direct_fact": ("direct_fact", "count"),
                              "errors": ("errors", "count")},
                      key="ngo_reports", file_stem="grantstats-ngo-reports", links={"link": ("col_report", r"report=(R\w+)")})

options = listed["report_id"].tolist()
choice_labels = {r["report_id"]: " · ".join(str(x) for x in (r["year"] and int(r["year"]), r["grantee"],
                                                               (r["title"] or "")[:60], r["report_id"]) if x)
                 for r in charts.records(listed)}
wanted = st.query_params.get("report")
if wanted and wanted not in options:
    if data.report_details(wanted) is None:  # unknown, or outside the person's regions: the same answer
        st.warning(T("report_not_found", report=wanted), icon=":material/search_off:")
        st.stop()
    options = [wanted] + options  # a link to a report the filter leaves out still opens it
    choice_labels[wanted] = wanted
state.url_param("report", "report_choice", options)
if st.session_state.get("report_choice") not in options:
    st.session_state["report_choice"] = options[0] if options else None
if not options:
    st.info(T("nothing_matches"))
    st.stop()
chosen = st.selectbox(T("choose_report"), options, key="report_choice", format_func=lambda r: choice_labels.get(r, r))
if not ngo and len(listed) >= CHOICES and head["reports"] > CHOICES:
    st.caption(T("report_choices_limited", shown=fmt.count(CHOICES), total=fmt.count(head["reports"])))
state.set_url_param("report", chosen)

d = data.report_details(chosen)
if d is None:
    st.warning(T("no_report", report=chosen))
    st.stop()

st.header(d["grantee"] or fmt.DASH, anchor=False)
st.caption(f"{d['report_id']} · {d['title'] or ''}")

# Passport
st.subheader(T("passport"), anchor=False)
contract = " ".join(x for x in (d["contract_no"] and f"№ {d['contract_no']}", d["contract_date"]) if x) or fmt.DASH
amount = fmt.money(d["grant_amount"], lang, short=False)
if d["grant_amount_qualifier"]:
    amount = fmt.number(d["grant_amount"], 0, d["grant_amount_qualifier"]) + " ₸"
passport = [
    ("field_grantee", d["grantee"]), ("field_title", d["title"]), ("field_contract", contract),
    ("field_period", f"{d['period_start'] or '?'} – {d['period_end'] or '?'}"), ("field_year", d["year"]),
    ("field_regions", ", ".join(labels.region_name(c) + (f" ({fmt.share(d['region_shares'].get(c))})" if len(d["regions"]) > 1 else "")
                                for c in d["regions"]) or labels.region_name(None)),
    ("field_direction", labels.direction_name(d["direction"])),
    ("field_amount", amount + (f"  ({d['grant_amount_text']})" if d["grant_amount_text"] else "")),
    ("field_amount_by_year", "; ".join(f"{y}: {fmt.money(a, lang, short=False)}" for y, a in d["amount_by_year"].items()) or fmt.DASH),
    ("field_report_date", d["report_date"]), ("field_participants", fmt.count(d["participants_total"])),
]
cells = d["source"]["field_cells"] or {}
field_codes = {"field_grantee": "grantee", "field_title": "title", "field_contract": "contract", "field_period": "period",
               "field_direction": "direction", "field_amount": "grant_amount", "field_regions": "region",
               "field_report_date": "report_date", "field_participants": "participants_total", "field_year": "year"}
passport_df = pd.DataFrame({"field": [T(k) for k, _ in passport],
                            "value": [fmt.DASH if v in (None, "") else str(v) for _, v in passport],
                            "cell": [cells.get(field_codes.get(k, ""), "") for k, _ in passport]})
tables.show_table(passport_df, {"field": ("col_field", "text"), "value": ("col_value", "text"), "cell": ("col_cell", "text")},
                  key="passport", file_stem=f"{d['report_id']}-passport")

# Indicators
st.subheader(T("indicators"), anchor=False)
order = {c: i for i, c in enumerate(catalog.codes("indicator"))}
ind_rows = []
for code, v in sorted(d["indicators"].items(), key=lambda kv: order.get(kv[0], 99)):
    ind_rows.append({"indicator": labels.indicator_name(code), "unit": labels.unit_label(v["unit"]),
                     "plan": fmt.value_with_qualifier(v["plan"], v["plan_qualifier"], v["plan_text"]),
                     "fact": fmt.value_with_qualifier(v["fact"], v["fact_qualifier"], v["fact_text"]),
                     "plan_text": v["plan_text"], "fact_text": v["fact_text"], "sheet": v["sheet"],
                     "cells": " / ".join(x or "?" for x in (v["plan_cell"], v["fact_cell"]))})
if ind_rows:
    tables.show_table(pd.DataFrame(ind_rows), {"indicator": ("col_indicator", "text"), "plan": ("col_plan", "text"),
                                               "fact": ("col_fact", "text"), "sheet": ("col_sheet", "text"),
                                               "cells": ("col_cell", "text"), "plan_text": ("col_plan_text", "text"),
                                               "fact_text": ("col_fact_text", "text"), "unit": ("col_unit", "text")},
                      key="indicators", file_stem=f"{d['report_id']}-indicators")
else:
    st.caption(fmt.DASH)

# Participants
st.subheader(T("participants"), anchor=False)
part_rows = []
for dimension, key in (("gender", "gender"), ("age", "age"), ("category", "categories")):
    derived = set(d["derived_from_percent"].get(key, []))
    for bucket, people in d[key].items():
        part_rows.append({"dimension": T(f"dimension_{dimension}"), "bucket": labels.bucket_name(dimension, bucket),
                          "people": people, "derived": T("derived_mark") if bucket in derived else ""})
if part_rows:
    tables.show_table(pd.DataFrame(part_rows), {"dimension": ("col_field", "text"), "bucket": ("col_value", "text"),
                                                "people": ("col_people", "count"), "derived": ("col_derived", "text")},
                      key="participants", file_stem=f"{d['report_id']}-participants")
else:
    st.caption(fmt.DASH)

# Activities
if d["activities"]:
    st.subheader(T("activities"), anchor=False)
    tables.show_table(pd.DataFrame(d["activities"]), {
        "task": ("col_task", "text"), "activity": ("col_activity", "text"), "date_text": ("col_date", "text"),
        "place": ("col_place", "text"), "participants_text": ("col_participants", "text"),
        "plan_text": ("col_plan", "text"), "fact_text": ("col_fact", "text")},
        key="activities", file_stem=f"{d['report_id']}-activities")

# Position among peers (issue #17)
from ui.insight import report_peers_section  # noqa: E402

report_peers_section(d["report_id"])

# Findings
st.subheader(T("findings"), anchor=False)
if d["findings"]:
    fd = pd.DataFrame(d["findings"])
    fd = labels.with_finding_names(fd).assign(text=fd["message_en"] if lang == "en" else fd["message"])
    tables.show_table(fd, {"severity_name": ("col_severity", "text"), "rule_name": ("col_rule", "text"),
                           "text": ("col_message", "text"), "file": ("col_file", "text"), "sheet": ("col_sheet", "text"),
                           "cell": ("col_cell", "text")}, key="report_findings", file_stem=f"{d['report_id']}-findings")
else:
    st.caption(T("no_findings"))

# Source
st.subheader(T("source"), anchor=False)
src = d["source"]
st.markdown(f"**{T('field_file')}:** `{src['file'] or fmt.DASH}`  \n"
            f"**{T('field_sheet_cell')}:** {src['sheet'] or fmt.DASH} / {src['cell'] or fmt.DASH}  \n"
            f"**{T('field_layout')}:** {src['layout'] or fmt.DASH} · **{T('field_loaded')}:** {src['loaded_at'] or fmt.DASH}  \n"
            f"**{T('field_sha')}:** `{src['sha256'] or fmt.DASH}`")

# Versions (issue #7): earlier loads of this report, each can be made current again
versions_section(d["report_id"])
