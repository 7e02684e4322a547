"""Отчет: one report in full — passport, indicators with the text as written and its cells, participants,
activities, findings and the source file. Opened by ?report=ID: an id no load ever held says so and shows no
report; an id a later load replaced says by which file, and links the report that took its place."""

import pandas as pd
import streamlit as st

from grantstats import catalog, formatting as fmt
from grantstats.metrics import report_list
from ui import charts, data, downloads, frame, gate, labels, state, tables
from ui.data import cached
from ui.labels import T
from ui.versions import versions_section

flt, head = frame.page_start("page_report")
lang = labels.lang()

ngo = st.query_params.get("ngo")
CHOICES = 1000  # the chooser lists the selection's newest reports; the search or a link opens any other
listed = cached(report_list, flt.with_(ngos=(ngo,)) if ngo else flt, limit=None if ngo else CHOICES)
if ngo:
    state.page_link("ngo", T("ngo_profile_link"), ":material/badge:", ngo=ngo)

options = listed["report_id"].tolist()
choice_labels = {r["report_id"]: " · ".join(str(x) for x in (r["year"] and int(r["year"]), r["grantee"],
                                                               (r["title"] or "")[:60], r["report_id"]) if x)
                 for r in charts.records(listed)}
wanted = st.query_params.get("report")
if wanted and wanted not in options:
    if data.report_details(wanted) is not None:
        options = [wanted] + options  # a link to a report the filter leaves out still opens it
        choice_labels[wanted] = wanted
    else:  # unknown, or outside the person's regions (the same answer), or replaced by a later load
        where = data.report_whereabouts(wanted)
        successor = where.get("current_id") if where["status"] == "replaced" else None
        successor_visible = successor is not None and data.report_details(successor) is not None
        if where["status"] == "replaced" and (gate.scope() is None or successor_visible):
            st.warning(T("report_replaced", report=wanted, file=where["replaced_by_file"] or fmt.DASH,
                         when=fmt.datetime_text(where["replaced_at"], lang)), icon=":material/history:")
            if successor_visible:
                state.page_link("report", T("report_current_version"), ":material/arrow_forward:", report=successor)
        else:
            st.error(T("report_not_found", report=wanted), icon=":material/search_off:")
        state.page_link("report", T("report_choose_another"), ":material/list:")
        st.stop()
state.url_param("report", "report_choice", options)
if not options:
    st.info(T("nothing_matches"))
    st.stop()
chosen = st.selectbox(T("choose_report"), options, **state.choice("report_choice", options, options[0]),
                      format_func=lambda r: choice_labels.get(r, r))
if not ngo and len(listed) >= CHOICES and head["reports"] > CHOICES:
    st.caption(T("report_choices_limited", shown=fmt.count(CHOICES, lang=lang), total=fmt.count(head["reports"], lang=lang)))
state.set_url_param("report", chosen)

d = data.report_details(chosen)
if d is None:
    st.warning(T("report_not_found", report=chosen))
    st.stop()

st.header(d["grantee"] or fmt.DASH, anchor=False)
own = cached(report_list, frame.unfiltered(flt).with_(report_ids=(chosen,)))
ngo_key = own["ngo_key"].iloc[0] if not own.empty else None
st.caption(f"{d['report_id']} · {d['title'] or ''}")
if isinstance(ngo_key, str):
    state.page_link("ngo", T("ngo_profile_link"), ":material/badge:", ngo=ngo_key)

# Passport
st.subheader(T("passport"), anchor=False)
contract = " ".join(x for x in (d["contract_no"] and f"№ {d['contract_no']}",
                                d["contract_date"] and fmt.date_text(d["contract_date"], lang)) if x) or fmt.DASH
amount = fmt.money(d["grant_amount"], lang, short=False)
if d["grant_amount_qualifier"]:
    amount = fmt.number(d["grant_amount"], 0, d["grant_amount_qualifier"], lang) + f"{fmt.NBSP}₸"
period = (f"{fmt.date_text(d['period_start'], lang)} – {fmt.date_text(d['period_end'], lang)}"
          if d["period_start"] or d["period_end"] else None)
passport = [
    ("field_grantee", d["grantee"]), ("field_title", d["title"]), ("field_contract", contract),
    ("field_period", period), ("field_year", d["year"]),
    ("field_regions", ", ".join(labels.region_name(c) + (f" ({fmt.share(d['region_shares'].get(c), lang=lang)})"
                                                         if len(d["regions"]) > 1 else "")
                                for c in d["regions"]) or labels.region_name(None)),
    ("field_direction", labels.direction_name(d["direction"])),
    ("field_amount", amount + (f"  ({d['grant_amount_text']})" if d["grant_amount_text"] else "")),
    ("field_amount_by_year", "; ".join(f"{y}: {fmt.money(a, lang, short=False)}" for y, a in d["amount_by_year"].items())
     or fmt.DASH),
    ("field_report_date", d["report_date"] and fmt.date_text(d["report_date"], lang)),
    ("field_participants", fmt.count(d["participants_total"], lang=lang)),
]
cells = d["source"]["field_cells"] or {}
field_codes = {"field_grantee": "grantee", "field_title": "title", "field_contract": "contract", "field_period": "period",
               "field_direction": "direction", "field_amount": "grant_amount", "field_regions": "region",
               "field_report_date": "report_date", "field_participants": "participants_total", "field_year": "year"}
passport_df = pd.DataFrame({"field": [T(k) for k, _ in passport],
                            "value": [fmt.DASH if v in (None, "") else str(v) for _, v in passport],
                            "cell": [cells.get(field_codes.get(k, ""), "") for k, _ in passport]})
tables.show_table(passport_df, {"field": ("col_field", "text"), "value": ("col_value", "text"), "cell": ("col_cell", "text")},
                  key="passport", file_stem=f"{d['report_id']}-passport", title=T("passport"), filter_in_name=False)

# Indicators: the unit in the page's language (the catalog's unit of the indicator), the text as the report gave it
st.subheader(T("indicators"), anchor=False)
order = {c: i for i, c in enumerate(catalog.codes("indicator"))}
ind_rows = []
for code, v in sorted(d["indicators"].items(), key=lambda kv: order.get(kv[0], 99)):
    unit = catalog.indicator_unit(code) if code in order else v["unit"]
    ind_rows.append({"indicator": labels.indicator_name(code), "unit": labels.unit_label(unit),
                     "plan": fmt.value_with_qualifier(v["plan"], v["plan_qualifier"], v["plan_text"], lang),
                     "fact": fmt.value_with_qualifier(v["fact"], v["fact_qualifier"], v["fact_text"], lang),
                     "plan_text": v["plan_text"], "fact_text": v["fact_text"], "sheet": v["sheet"],
                     "cells": " / ".join(x or "?" for x in (v["plan_cell"], v["fact_cell"]))})
if ind_rows:
    tables.show_table(pd.DataFrame(ind_rows), {"indicator": ("col_indicator", "text"), "plan": ("col_plan", "text"),
                                               "fact": ("col_fact", "text"), "unit": ("col_unit", "text"),
                                               "sheet": ("col_sheet", "text"), "cells": ("col_cell", "text"),
                                               "plan_text": ("col_plan_text", "text"),
                                               "fact_text": ("col_fact_text", "text")},
                      key="indicators", file_stem=f"{d['report_id']}-indicators", title=T("indicators"),
                      filter_in_name=False)
else:
    st.caption(T("indicators_none"))

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
                      key="participants", file_stem=f"{d['report_id']}-participants", title=T("participants"),
                      filter_in_name=False)
else:
    st.caption(T("participants_none"))

# Activities (a plan or fact the report leaves empty is a dash)
if d["activities"]:
    st.subheader(T("activities"), anchor=False)
    tables.show_table(pd.DataFrame(d["activities"]), {
        "task": ("col_task", "text"), "activity": ("col_activity", "text"), "date_text": ("col_date", "text"),
        "place": ("col_place", "text"), "participants_text": ("col_participants", "text"),
        "plan_text": ("col_plan", "text"), "fact_text": ("col_fact", "text")},
        key="activities", file_stem=f"{d['report_id']}-activities", title=T("activities"), filter_in_name=False)

# Position among peers (issue #17)
from ui.insight import report_peers_section  # noqa: E402

report_peers_section(d["report_id"])

# Findings
st.subheader(T("findings"), anchor=False)
if d["findings"]:
    fd = pd.DataFrame(d["findings"])
    fd = labels.with_finding_names(fd).assign(text=labels.finding_texts(fd.rename(columns={"message": "message_ru"})))
    tables.show_table(fd, {"severity_name": ("col_severity", "text"), "rule_name": ("col_rule", "text"),
                           "text": ("col_message", "text"), "file": ("col_file", "text"), "sheet": ("col_sheet", "text"),
                           "cell": ("col_cell", "text")}, key="report_findings", file_stem=f"{d['report_id']}-findings",
                      title=T("findings"), filter_in_name=False)
else:
    st.caption(T("no_findings"))

# Source
st.subheader(T("source"), anchor=False)
src = d["source"]
st.markdown(f"**{T('field_file')}:** `{src['file'] or fmt.DASH}`  \n"
            f"**{T('field_sheet_cell')}:** {src['sheet'] or fmt.DASH} / {src['cell'] or fmt.DASH}  \n"
            f"**{T('field_layout')}:** {labels.layout_name(src['layout'])} · "
            f"**{T('field_loaded')}:** {fmt.datetime_text(src['loaded_at'], lang)}  \n"
            f"**{T('field_sha')}:** `{src['sha256'] or fmt.DASH}`")
downloads.source_file_downloads([d["report_id"]], key="report_file")

# Versions (issue #7): earlier loads of this report, each can be made current again
versions_section(d["report_id"])
