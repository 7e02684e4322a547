"""The performance benchmark: `make bench` (python -m bench) measures ingest, queries, pages, memory and export
against the targets of issue #8, prints a table and writes bench/results.json."""
