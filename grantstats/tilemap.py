"""A tile-grid map of Kazakhstan: one square per region, placed roughly where the region lies.

Drawn by the project (no map download at run time). ``TILES`` gives each region code its (column, row),
west to east and north to south; ``tile_figure`` colours the tiles by any metric with plotly graph_objects.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import plotly.graph_objects as go

# (column, row): column 0 is the far west, row 0 the far north.
TILES: dict[str, tuple[int, int]] = {
    "KZ-39": (2, 0),  # Костанайская
    "KZ-59": (3, 0),  # Северо-Казахстанская
    "KZ-55": (5, 0),  # Павлодарская
    "KZ-27": (0, 1),  # Западно-Казахстанская
    "KZ-15": (1, 1),  # Актюбинская
    "KZ-11": (3, 1),  # Акмолинская
    "KZ-71": (4, 1),  # г. Астана
    "KZ-10": (6, 1),  # Абай
    "KZ-63": (7, 1),  # Восточно-Казахстанская
    "KZ-23": (0, 2),  # Атырауская
    "KZ-62": (3, 2),  # Ұлытау
    "KZ-35": (4, 2),  # Карагандинская
    "KZ-33": (6, 2),  # Жетісу
    "KZ-47": (0, 3),  # Мангистауская
    "KZ-43": (2, 3),  # Кызылординская
    "KZ-61": (3, 3),  # Туркестанская
    "KZ-31": (4, 3),  # Жамбылская
    "KZ-19": (5, 3),  # Алматинская
    "KZ-79": (3, 4),  # г. Шымкент
    "KZ-75": (5, 4),  # г. Алматы
    "KZ": (7, 4),     # nationwide projects: a tile apart, bottom right
}
COLUMNS = 1 + max(c for c, _ in TILES.values())
ROWS = 1 + max(r for _, r in TILES.values())

# Short labels that fit on a tile; full names come from the catalog (shown on hover).
SHORT: dict[str, dict[str, str]] = {
    "KZ-39": {"ru": "Костанай", "en": "Kostanay", "kk": "Қостанай"},
    "KZ-59": {"ru": "СКО", "en": "N. Kaz.", "kk": "СҚО"},
    "KZ-55": {"ru": "Павлодар", "en": "Pavlodar", "kk": "Павлодар"},
    "KZ-27": {"ru": "ЗКО", "en": "W. Kaz.", "kk": "БҚО"},
    "KZ-15": {"ru": "Актобе", "en": "Aktobe", "kk": "Ақтөбе"},
    "KZ-11": {"ru": "Акмола", "en": "Akmola", "kk": "Ақмола"},
    "KZ-71": {"ru": "Астана", "en": "Astana", "kk": "Астана"},
    "KZ-10": {"ru": "Абай", "en": "Abai", "kk": "Абай"},
    "KZ-63": {"ru": "ВКО", "en": "E. Kaz.", "kk": "ШҚО"},
    "KZ-23": {"ru": "Атырау", "en": "Atyrau", "kk": "Атырау"},
    "KZ-62": {"ru": "Улытау", "en": "Ulytau", "kk": "Ұлытау"},
    "KZ-35": {"ru": "Караганда", "en": "Karaganda", "kk": "Қарағанды"},
    "KZ-33": {"ru": "Жетісу", "en": "Jetisu", "kk": "Жетісу"},
    "KZ-47": {"ru": "Мангистау", "en": "Mangystau", "kk": "Маңғыстау"},
    "KZ-43": {"ru": "Кызылорда", "en": "Kyzylorda", "kk": "Қызылорда"},
    "KZ-61": {"ru": "Туркестан", "en": "Turkistan", "kk": "Түркістан"},
    "KZ-31": {"ru": "Жамбыл", "en": "Jambyl", "kk": "Жамбыл"},
    "KZ-19": {"ru": "Алматин. обл.", "en": "Almaty reg.", "kk": "Алматы обл."},
    "KZ-79": {"ru": "Шымкент", "en": "Shymkent", "kk": "Шымкент"},
    "KZ-75": {"ru": "Алматы", "en": "Almaty", "kk": "Алматы"},
    "KZ": {"ru": "Вся РК", "en": "Nationwide", "kk": "Бүкіл ҚР"},
}


def short_name(code: str, lang: str = "ru") -> str:
    labels = SHORT.get(code, {})
    return labels.get(lang) or labels.get("ru") or code


def tile_label(code: str, lang: str = "ru", width: int = 9) -> str:
    """A tile's name, broken in two lines when longer than ``width`` characters (a tile is about that wide)."""
    text = short_name(code, lang)
    if len(text) <= width or " " not in text:
        return text
    head, _, tail = text.rpartition(" ") if len(text.rpartition(" ")[0]) <= width else text.partition(" ")
    return f"{head}<br>{tail}"


def _rgb(color: str) -> tuple[float, float, float]:
    color = color.lstrip("#")
    return tuple(int(color[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def scale_color(colorscale: Any, t: float) -> tuple[float, float, float]:
    """The colour of a plotly colour scale (a list of [position, '#rrggbb']) at 0 <= t <= 1, as RGB in 0..1."""
    stops = [(float(pos), _rgb(col)) for pos, col in colorscale]
    t = min(max(t, 0.0), 1.0)
    for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
        if t <= p1:
            f = 0 if p1 == p0 else (t - p0) / (p1 - p0)
            return tuple(a + (b - a) * f for a, b in zip(c0, c1))  # type: ignore[return-value]
    return stops[-1][1]


def text_color_on(rgb: tuple[float, float, float]) -> str:
    """Dark text on a light tile, white on a dark one (by the tile's relative luminance, WCAG)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#FFFFFF" if luminance < 0.30 else "#111827"


def tile_figure(
    values: Mapping[str, Any],
    *,
    lang: str = "ru",
    full_name: Callable[[str], str] | None = None,
    value_text: Callable[[Any], str] = lambda v: "—" if v is None else str(v),
    colorscale: Any = ((0.0, "#EEF4FA"), (1.0, "#123E5E")),
    title: str | None = None,
    height: int = 380,
    zmid: float | None = None,
    colorbar: dict[str, Any] | None = None,
) -> go.Figure:
    """The tile map: each region's tile coloured by ``values[code]`` (grey when it has none).

    ``value_text`` formats a value for its tile and hover; ``full_name`` gives the hover name. ``colorscale`` is
    a list of [position, '#rrggbb'] (each tile's text is dark or white by the colour it gets); ``zmid`` centres
    a diverging scale; ``colorbar`` adds to the colour bar's settings (its ticks, say).
    """
    z: list[list[float | None]] = [[None] * COLUMNS for _ in range(ROWS)]
    hover: list[list[str]] = [[""] * COLUMNS for _ in range(ROWS)]
    xs, ys, labels, empty_x, empty_y = [], [], [], [], []
    for code, (col, row) in TILES.items():
        value = values.get(code)
        number = None
        try:
            number = None if value is None else float(value)
            if number is not None and number != number:  # NaN
                number = None
        except (TypeError, ValueError):
            number = None
        z[row][col] = number
        name = full_name(code) if full_name else short_name(code, lang)
        hover[row][col] = f"{name}<br>{value_text(value) if number is not None else '—'}"
        xs.append(col)
        ys.append(row)
        labels.append(f"<b>{tile_label(code, lang)}</b><br>{value_text(value) if number is not None else '—'}")
        if number is None:
            empty_x.append(col)
            empty_y.append(row)
    numbers = [v for row in z for v in row if v is not None]
    low, high = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
    if zmid is not None:  # plotly spreads a centred scale evenly on both sides of the middle
        reach = max(abs(high - zmid), abs(zmid - low)) or 1.0
        low, high = zmid - reach, zmid + reach
    colors = []
    for col, row in zip(xs, ys):
        v = z[row][col]
        t = 0.5 if v is None or high <= low else (v - low) / (high - low)
        colors.append("#111827" if v is None else text_color_on(scale_color(colorscale, t)))
    fig = go.Figure()
    # Grey underlay so regions without data still show as tiles.
    fig.add_trace(go.Heatmap(
        z=[[0 if (c, r) in set(zip(empty_x, empty_y)) else None for c in range(COLUMNS)] for r in range(ROWS)],
        colorscale=[[0, "#E5E7EB"], [1, "#E5E7EB"]], showscale=False, hoverinfo="skip", xgap=4, ygap=4))
    fig.add_trace(go.Heatmap(
        z=z, text=hover, hovertemplate="%{text}<extra></extra>", colorscale=[list(stop) for stop in colorscale],
        xgap=4, ygap=4, zmid=zmid, hoverongaps=False,
        colorbar={"thickness": 12, "len": 0.8, "tickfont": {"size": 10}, **(colorbar or {})}))
    fig.add_trace(go.Scatter(
        x=xs, y=ys, mode="text", text=labels, hoverinfo="skip", showlegend=False,
        textfont={"size": 10, "color": colors}))
    fig.update_xaxes(visible=False, range=[-0.5, COLUMNS - 0.5], fixedrange=True)
    fig.update_yaxes(visible=False, range=[ROWS - 0.5, -0.5], fixedrange=True)
    fig.update_layout(height=height, margin={"l": 4, "r": 4, "t": 36 if title else 4, "b": 4},
                      title={"text": title} if title else None, plot_bgcolor="rgba(0,0,0,0)")
    return fig
