"""Download buttons for what the dashboard hands out whole: the summary workbook of a filter and the original files
reports were loaded from. Each is made when clicked and recorded in the audit log (ui.audited)."""

from __future__ import annotations

import streamlit as st

from grantstats import store
from grantstats.metrics import Filter
from ui.audited import download
from ui.data import summary_workbook_made, cursor, cursor_apart, db_path, snapshot_path


def summary_download(flt: Filter, key: str, where=None) -> None:
    """A download button of the summary workbook for the filter and the page's language, named after the filter
    (``grantstats-KZ-47-2022.xlsx``); built when clicked (and kept for the same filter and data), recorded in the
    audit log. The making runs outside the script run: the snapshot, its version and handle are taken now."""
    from grantstats.export import summary_file_name
    from ui.labels import T, lang

    language, path = lang(), snapshot_path()

    def make() -> bytes:
        at, version, cursor = cursor_apart(path)  # a cursor of its own: this runs in another thread than the page
        try:
            return summary_workbook_made(flt, language, at, version, cursor)
        finally:
            cursor.close()

    name = summary_file_name(flt)
    (where or st).download_button(
        T("summary_workbook"), data=download(make, name), file_name=name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=key, on_click="ignore",
        icon=":material/table_view:", help=T("summary_workbook_help"))


def source_file_downloads(report_ids: list[str], key: str) -> None:
    """The files these reports were loaded from, one line each (name, layout, when, how many of the reports) with
    a button that downloads the file as it was loaded (read when clicked; from the upload archive, else from
    where it was loaded); a file found nowhere says so."""
    from grantstats import formatting as fmt, upload
    from ui.labels import T, lang, layout_name

    files = store.source_files(cursor(), report_ids)
    if files.empty:
        st.caption(fmt.DASH)
        return
    language = lang()
    archive = upload.archive_dir(db_path())
    for i, f in enumerate(files.to_dict("records")):
        row = st.container(horizontal=True, vertical_alignment="center", gap="small")
        row.markdown(f"**{f['name']}** · {layout_name(f['layout'])} · {T('field_loaded')} "
                     f"{fmt.datetime_text(f['loaded_at'], language)} · {T('reports').lower()}: "
                     f"{fmt.count(f['reports'], lang=language)}")
        found = upload.original_file(f["path"], f["sha256"], f["name"], f["size"], archive)
        if found is None:
            row.caption(T("file_not_kept"))
            continue
        row.download_button(T("download_original"), data=lambda path=found: path.read_bytes(), file_name=f["name"],
                            key=f"{key}_{i}_{f['sha256'][:12]}", on_click="ignore", icon=":material/download:",
                            type="tertiary")
