"""Imported first by the parsing workers' fork server (worker.PRELOAD): it ends with the command line that
started it (see process_guard)."""

from grantstats.process_guard import die_with_parent_if_asked

die_with_parent_if_asked()
