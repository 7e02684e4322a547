"""Findings: what a report's figures say about the report itself — which reports not to trust, and why.

One home for every part of them, each module one job, imported one way (rules ← checks, duplicates; messages
below them all; queries over the store):

* ``rules`` — the rule registry: codes, default severities, titles in ru/kk/en;
* ``checks`` — the pure per-report checks (rules written as data, ``CHECKS``) giving a report's findings;
* ``duplicates`` — the cross-report duplicate check, run in the store after a load;
* ``messages`` — a finding's message in ru, kk or en from its template and parameters;
* ``queries`` — the findings of the selected reports, for pages, exports and the CLI.
"""
