"""grantstats dashboard: the navigation and the shared sidebar. Run with `streamlit run app.py` (or `make run`)."""

import streamlit as st

from ui import frame, state
from ui.labels import T

st.set_page_config(page_title="grantstats", page_icon=":material/volunteer_activism:", layout="wide")

flt = frame.sidebar()
pages = [st.Page(p.path, title=T(p.key), icon=p.icon, url_path=p.url_path, default=(i == 0))
         for i, p in enumerate(state.PAGES)]
pages.append(st.Page("pages/upload.py", title=T("page_upload"), icon=":material/upload_file:", url_path="upload"))  # issue #7: upload reports in the browser
sections: dict[str, list] = {}  # each page under its section (PageSpec.section), the upload page last
for spec, page in zip(state.PAGES, pages):
    sections.setdefault(T(spec.section), []).append(page)
sections.setdefault(T("section_details"), []).extend(pages[len(state.PAGES):])
current = st.navigation(sections, position="sidebar")
state.drop_foreign_params(current.url_path)
frame.run_page(current)
