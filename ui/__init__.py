"""The dashboard's Streamlit kit, beside the pages that use it: labels in the page's language, the database
handle and cached figures, the filter in session state and the URL, the page frame, tables and charts.
The library (grantstats) knows nothing of Streamlit; everything that draws lives here or in pages/."""
