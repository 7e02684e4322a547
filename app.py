"""grantstats dashboard: the navigation and the shared sidebar. Run with `streamlit run app.py` (or `make run`)."""

import streamlit as st

from grantstats import dashboard as ui

st.set_page_config(page_title="grantstats", page_icon=":material/volunteer_activism:", layout="wide")

flt = ui.sidebar()
pages = [st.Page(p.path, title=ui.T(p.key), icon=p.icon, url_path=p.url_path, default=(i == 0))
         for i, p in enumerate(ui.PAGES)]
pages.append(st.Page("pages/upload.py", title=ui.T("page_upload"), icon=":material/upload_file:", url_path="upload"))  # issue #7: upload reports in the browser
sections: dict[str, list] = {}
for spec, page in zip(ui.PAGES, pages):
    sections.setdefault(ui.T(spec.section), []).append(page)
sections.setdefault(ui.T("section_details"), []).extend(pages[len(ui.PAGES):])
current = st.navigation(sections, position="sidebar")
ui.drop_foreign_params(current.url_path)
ui.run_page(current)
