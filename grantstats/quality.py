"""Data-quality rules and findings (placeholder until the quality issue: no rule yet)."""

from __future__ import annotations

from grantstats.model import Finding, Report


def findings_for(report: Report) -> list[Finding]:
    """Findings about one report read from a file."""
    return []


def refresh_cross_report_findings(con) -> None:
    """Recompute findings that compare reports with each other (duplicates) after a load."""
    return None
