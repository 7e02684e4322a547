"""Which reports a figure covers: the :class:`Filter`, and its form as URL query parameters."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

NOT_STATED = "-"
"""The filter value that selects reports where the region / direction / NGO is not stated."""


@dataclass(frozen=True)
class Filter:
    """Which reports a metric covers. Hashable (tuples only), so pages can cache results by it.

    regions     region codes (``KZ-75``…); ``NOT_STATED`` for reports without a region. A report is
                selected when any of its regions is chosen; its figures are weighted by its share there.
    directions  direction codes (``'1'``, ``'13-1'``…); ``NOT_STATED`` for none.
    year_from, year_to  inclusive bounds on ``reports.year``; reports of unknown year are then left out.
    ngos        NGO keys (``public_association:жастар``, ``bin:180340012345``: the metrics cache's ngo_key), or a
                name without its legal form (``жастар``, reports.ngo_key: every NGO of that name);
                ``NOT_STATED`` for reports without a grantee.
    text        case-insensitive substring of grantee, project title or contract number.
    exclude_errors  leave out reports that have a finding of severity ``error``.
    report_ids  only these reports (empty = no restriction).
    scope       the regions the person asking may see (None: every region). Set by the caller from the
                signed-in user, never from a URL: not part of the query parameters. Every figure keeps to it
                in SQL (``query.scoped_regions``): the chosen regions are cut to the scope, a report of
                several regions counts only its in-scope share.
    """

    regions: tuple[str, ...] = ()
    directions: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    ngos: tuple[str, ...] = ()
    text: str | None = None
    exclude_errors: bool = False
    report_ids: tuple[str, ...] = ()
    scope: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("regions", "directions", "ngos", "report_ids"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(str(v) for v in (value or ())))
        for name in ("year_from", "year_to"):
            value = getattr(self, name)
            object.__setattr__(self, name, int(value) if value not in (None, "") else None)
        object.__setattr__(self, "text", (self.text or "").strip() or None)
        object.__setattr__(self, "exclude_errors", bool(self.exclude_errors))
        if self.scope is not None:
            scope = (self.scope,) if isinstance(self.scope, str) else self.scope
            object.__setattr__(self, "scope", tuple(str(v) for v in scope))

    def with_(self, **changes: Any) -> "Filter":
        """A copy with some fields changed (``flt.with_(regions=('KZ-75',))``)."""
        return replace(self, **changes)

    def is_empty(self) -> bool:
        """Whether the person chose no filter (the scope is not a choice: it is left out)."""
        return replace(self, scope=None) == Filter()

    def within(self, scope: tuple[str, ...] | None) -> "Filter":
        """A copy limited to ``scope`` (region codes, or None for every region)."""
        return replace(self, scope=None if scope is None else tuple(scope))

    def to_query_params(self) -> dict[str, str]:
        """The filter as URL query parameters: lists comma-joined, defaults left out.

        ``{'region': 'KZ-75,KZ-79', 'year_from': '2022', 'text': 'жастар', 'errors': 'exclude'}``
        """
        out: dict[str, str] = {}
        for key, name in _PARAM_LISTS:
            values = getattr(self, name)
            if values:
                out[key] = ",".join(values)
        if self.year_from is not None:
            out["year_from"] = str(self.year_from)
        if self.year_to is not None:
            out["year_to"] = str(self.year_to)
        if self.text:
            out["text"] = self.text
        if self.exclude_errors:
            out["errors"] = "exclude"
        return out

    @classmethod
    def from_query_params(cls, params: Mapping[str, Any]) -> "Filter":
        """The filter a URL describes (inverse of :meth:`to_query_params`); unknown keys and bad years ignored.

        A value may be a string (comma-separated for lists) or a list of strings.
        """
        kwargs: dict[str, Any] = {}
        for key, name in _PARAM_LISTS:
            raw = params.get(key)
            if raw is None:
                continue
            items = [raw] if isinstance(raw, str) else list(raw)
            kwargs[name] = tuple(v.strip() for item in items for v in str(item).split(",") if v.strip())
        for key in ("year_from", "year_to"):
            raw = params.get(key)
            if isinstance(raw, (list, tuple)):
                raw = raw[-1] if raw else None
            try:
                kwargs[key] = int(str(raw).strip()) if raw not in (None, "") else None
            except ValueError:
                pass
        text = params.get("text")
        if isinstance(text, (list, tuple)):
            text = text[-1] if text else None
        kwargs["text"] = text
        errors = params.get("errors")
        if isinstance(errors, (list, tuple)):
            errors = errors[-1] if errors else None
        kwargs["exclude_errors"] = errors == "exclude"
        return cls(**kwargs)


_PARAM_LISTS = (("region", "regions"), ("direction", "directions"), ("ngo", "ngos"), ("report", "report_ids"))
