"""grantstats dashboard: the sign-in gate, the navigation and the shared sidebar. Run with `streamlit run app.py`
(or `make run`)."""

import streamlit as st

from grantstats.access import AUDIT, LOAD
from ui import frame, gate, state
from ui.labels import T

st.set_page_config(page_title="grantstats", page_icon=":material/volunteer_activism:", layout="wide")

if not state.initialised():
    state.init_from_url()  # (the language of the sign-in page comes from the address too)
grant = gate.require_grant()  # the sign-in page, "no access" or one line, and stop; local mode: full access
flt = frame.sidebar()
pages = [st.Page(p.path, title=T(p.key), icon=p.icon, url_path=p.url_path, default=(i == 0))
         for i, p in enumerate(state.PAGES)]
if grant.may(LOAD):
    pages.append(st.Page("pages/upload.py", title=T("page_upload"), icon=":material/upload_file:", url_path="upload"))
if grant.may(AUDIT):
    pages.append(st.Page("pages/audit.py", title=T("page_audit"), icon=":material/manage_search:", url_path="audit"))
sections: dict[str, list] = {}  # each page under its section (PageSpec.section); upload and audit last
for spec, page in zip(state.PAGES, pages):
    sections.setdefault(T(spec.section), []).append(page)
sections.setdefault(T("section_details"), []).extend(pages[len(state.PAGES):])
current = st.navigation(sections, position="sidebar", expanded=True)  # every page listed: no English «View more»
state.drop_foreign_params(current.url_path)
frame.run_page(current)
