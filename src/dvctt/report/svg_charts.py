"""The campaign report's two charts as inline SVG, written directly: bullets (levels against targets) and
dumbbells (each unit from baseline to result).

Why not matplotlib: these charts are rows of bars, dots and lines on one 0–100% scale. Drawn by matplotlib they
were half of a report's notebook time (1.5 s of text layout, rasterising and PNG encoding); as SVG they take
milliseconds, stay sharp in print and at any zoom, and their text is text: the browser sets it in the report's
font (diacritics included), a reader can select or search it, and a hover shows each unit's figures.

Every function returns one ``<svg>`` string; every text in it is escaped. Coordinates are in a 800-unit wide
view box that the page scales to its width; heights follow the number of rows, as the PNGs did.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from dvctt.labels import kpi_label, level_label, t
from dvctt.report.formatting import fmt_pp, fmt_rate, is_missing, worsened
from dvctt.report.present import esc, titled

WIDTH = 800
COLORS = {
    "result": "#1f5fa8",
    "baseline": "#8c8c8c",
    "target": "#c0392b",
    "band": "#e9eef5",
    "band_target": "#cfd9e6",
    "missing": "#bbbbbb",
    "decline": "#b42318",
    "rise": "#9fb7d6",
    "grid": "#d5dbe1",
    "ink": "#1f2933",
    "muted": "#5f6b7a",
}
TICKS = (0, 20, 40, 60, 80, 100)
ROW = 24  # one unit (dumbbell) or one level (bullet)
CHAR_WIDTH = 0.56  # of the font size: a generous average for Vietnamese in a sans-serif font


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _Scale:
    """0–100% mapped onto [left, right] of the view box."""

    def __init__(self, left: float, right: float) -> None:
        self.left, self.right = left, right

    def __call__(self, percent: float) -> float:
        return self.left + (self.right - self.left) * min(max(float(percent), 0.0), 100.0) / 100.0


def _svg(height: float, title: str, body: Iterable[str]) -> str:
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_num(height)}" '
        f'role="img" aria-label="{esc(title)}" font-size="12" fill="{COLORS["ink"]}">'
        f"<title>{esc(title)}</title>{''.join(body)}</svg>"
    )


def _axis(x: _Scale, top: float, bottom: float, lang: str) -> list[str]:
    """Vertical grid lines with their percent labels under the panel."""
    out = []
    for tick in TICKS:
        px = _num(x(tick))
        out.append(f'<line x1="{px}" x2="{px}" y1="{_num(top)}" y2="{_num(bottom)}" stroke="{COLORS["grid"]}"/>')
        out.append(
            f'<text x="{px}" y="{_num(bottom + 14)}" text-anchor="middle" font-size="10" '
            f'fill="{COLORS["muted"]}">{esc(fmt_rate(tick, lang, 0))}</text>'
        )
    return out


def _legend(items: Sequence[tuple[str, str]], y: float) -> list[str]:
    """``items``: (swatch markup drawn around x=0, words); centred in one row."""
    widths = [24 + _text_width(words, 11) + 18 for _, words in items]
    x = (WIDTH - sum(widths)) / 2
    out = []
    for (swatch, words), width in zip(items, widths, strict=True):
        out.append(f'<g transform="translate({_num(x + 8)},{_num(y)})">{swatch}</g>')
        out.append(f'<text x="{_num(x + 22)}" y="{_num(y + 4)}" font-size="11">{esc(words)}</text>')
        x += width
    return out


def _triangle(cx: float, cy: float, size: float, left: bool) -> str:
    tip = cx - size if left else cx + size
    back = cx + size * 0.6 if left else cx - size * 0.6
    return f"{_num(tip)},{_num(cy)} {_num(back)},{_num(cy - size * 0.8)} {_num(back)},{_num(cy + size * 0.8)}"


SWATCH = {
    "baseline_dot": f'<circle r="4.5" fill="{COLORS["baseline"]}"/>',
    "result_dot": f'<circle r="5" fill="{COLORS["result"]}"/>',
    "decline": f'<polygon points="{_triangle(0, 0, 6, True)}" fill="{COLORS["decline"]}"/>',
    "target_dashed": f'<line x1="-8" x2="8" stroke="{COLORS["target"]}" stroke-width="2" stroke-dasharray="4 3"/>',
    "target_tick": f'<line y1="-7" y2="7" stroke="{COLORS["target"]}" stroke-width="3"/>',
    "result_bar": f'<rect x="-9" y="-4" width="18" height="8" fill="{COLORS["result"]}"/>',
    "baseline_diamond": f'<polygon points="0,-6 6,0 0,6 -6,0" fill="{COLORS["baseline"]}" stroke="#ffffff"/>',
}


# ------------------------------------------------------------------------------------------- dumbbells


def dumbbell_chart(
    units: pd.DataFrame, kpi: str, levels: list[str], lang: str = "vi", *, synthetic: bool = False
) -> str | None:
    """Baseline → result per unit that reports a result, highest first, one panel per level, the level's target
    as a dashed red line; a decline is red, drawn as an arrowhead pointing the way it fell, with its drop in points.

    Units without a result are left out (the report says how many); None when no unit of any level has one."""
    data = units[(units["kpi"] == kpi) & (units["status"] == "ok")]
    present = [level for level in levels if (data["level"] == level).any()]
    if not present:
        return None
    names = data["unit_name"].astype("str")
    left = min(max(_text_width(max(names, key=len), 11.5) + 16, 140), WIDTH * 0.42)
    x = _Scale(left, WIDTH - 24)
    title = titled(kpi_label(kpi, lang), synthetic, lang)
    body = [f'<text x="4" y="20" font-size="16" font-weight="700">{esc(title)}</text>']
    y = 40.0
    for level in present:
        rows = data[data["level"] == level].sort_values(["result", "unit_name"], ascending=[False, True])
        body.append(f'<text x="{_num(left)}" y="{_num(y + 14)}" font-size="14" font-weight="700">'
                    f"{esc(level_label(level, lang))}</text>")  # fmt: skip
        top = y + 24
        bottom = top + ROW * len(rows)
        body += _axis(x, top, bottom, lang)
        body += [_unit_row(row, x, top + ROW * (i + 0.5), kpi, lang) for i, row in enumerate(rows.itertuples())]
        target = pd.to_numeric(rows["target"], errors="coerce").dropna()
        if len(target):
            tx = _num(x(float(target.iloc[0])))
            body.append(f'<line class="target" x1="{tx}" x2="{tx}" y1="{_num(top)}" y2="{_num(bottom)}" '
                        f'stroke="{COLORS["target"]}" stroke-width="2" stroke-dasharray="6 4"/>')  # fmt: skip
        y = bottom + 30
    legend = [
        (SWATCH["baseline_dot"], t("chart.baseline", lang)),
        (SWATCH["result_dot"], t("chart.result", lang)),
        (SWATCH["decline"], t("chart.decline", lang)),
        (SWATCH["target_dashed"], t("chart.target", lang)),
    ]
    body += _legend(legend, y + 4)
    return _svg(y + 20, title, body)


def _unit_row(row: object, x: _Scale, cy: float, kpi: str, lang: str) -> str:
    """One unit: its name, the line from baseline to result, the dots, a decline's arrowhead and drop, the
    interval when there is one; a hover (``<title>``) gives the figures."""
    result = float(row.result)
    baseline = None if is_missing(row.baseline) else float(row.baseline)
    fell = worsened(kpi, result, baseline)
    rx = x(result)
    words = f"{row.unit_name}: {fmt_rate(baseline, lang)} → {fmt_rate(result, lang)}"
    parts = [
        f"<title>{esc(words)}</title>",
        f'<text x="{_num(x.left - 8)}" y="{_num(cy + 4)}" text-anchor="end" font-size="11.5">{esc(row.unit_name)}'
        "</text>",
    ]
    low, high = getattr(row, "ci_low", None), getattr(row, "ci_high", None)
    if not is_missing(low) and not is_missing(high):  # Wilson interval
        lx, hx = _num(x(float(low))), _num(x(float(high)))
        parts.append(
            f'<path d="M{lx},{_num(cy - 4)}V{_num(cy + 4)}M{lx},{_num(cy)}H{hx}M{hx},{_num(cy - 4)}V{_num(cy + 4)}" '
            f'stroke="{COLORS["result"]}" fill="none"/>'
        )
    if baseline is not None:
        bx = x(baseline)
        colour = COLORS["decline"] if fell else COLORS["rise"]
        parts.append(f'<line x1="{_num(bx)}" x2="{_num(rx)}" y1="{_num(cy)}" y2="{_num(cy)}" stroke="{colour}" '
                     'stroke-width="2.5"/>')  # fmt: skip
        parts.append(f'<circle cx="{_num(bx)}" cy="{_num(cy)}" r="4.5" fill="{COLORS["baseline"]}"/>')
    if fell:
        left = baseline is not None and result < baseline
        parts.append(f'<polygon class="decline" points="{_triangle(rx, cy, 7, left)}" fill="{COLORS["decline"]}"/>')
        drop = f"▼ {fmt_pp(result - baseline, lang)}"
        anchor, dx = ("end", -10) if left else ("start", 10)
        parts.append(f'<text x="{_num(rx + dx)}" y="{_num(cy + 4)}" text-anchor="{anchor}" font-size="10.5" '
                     f'font-weight="700" fill="{COLORS["decline"]}">{esc(drop)}</text>')  # fmt: skip
    else:
        parts.append(f'<circle class="result" cx="{_num(rx)}" cy="{_num(cy)}" r="5" fill="{COLORS["result"]}"/>')
    return f'<g class="unit">{"".join(parts)}</g>'


# --------------------------------------------------------------------------------------------- bullets


def bullet_chart(
    headline: pd.DataFrame, kpis: list[str], levels: list[str], lang: str = "vi", *, synthetic: bool = False
) -> str:
    """Per KPI, one bullet row per level: result bar, baseline diamond, target tick on a 0–100% scale, the band
    up to the target darker. More than three KPIs: two columns, so the chart shares its page with the text.

    ``headline`` has one row per level × kpi with baseline, target, result (see report.data.headline_table) and
    optionally ``result_text`` / ``baseline_text``: the figures as they should read (as printed by the source)."""
    ncols = 2 if len(kpis) > 3 else 1
    gap = 40
    panel_width = (WIDTH - gap * (ncols - 1)) / ncols
    labels = [level_label(level, lang) for level in levels]
    label_width = max(_text_width(label, 11.5) for label in labels) + 14
    panel_height = 30 + ROW * 1.25 * len(levels) + 24
    body: list[str] = []
    top = 8.0
    if synthetic:
        body.append(f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="13" font-weight="700" '
                    f'fill="{COLORS["target"]}">{esc(titled("", True, lang).strip())}</text>')  # fmt: skip
        top = 30.0
    for i, kpi in enumerate(kpis):
        column, line = i % ncols, i // ncols
        origin = column * (panel_width + gap)
        x = _Scale(origin + label_width, origin + panel_width - 12)
        y = top + line * panel_height
        body.append(f'<text x="{_num(origin)}" y="{_num(y + 16)}" font-size="14" font-weight="700">'
                    f"{esc(kpi_label(kpi, lang))}</text>")  # fmt: skip
        rows = headline[headline["kpi"] == kpi].set_index("level").reindex(levels)
        row_top = y + 26
        body += _axis(x, row_top, row_top + ROW * 1.25 * len(levels), lang)
        for j, (level, label) in enumerate(zip(levels, labels, strict=True)):
            body.append(_bullet_row(rows.loc[level], label, x, row_top + ROW * 1.25 * (j + 0.5), lang))
    height = top + panel_height * -(-len(kpis) // ncols)
    legend = [
        (SWATCH["result_bar"], t("chart.result", lang)),
        (SWATCH["baseline_diamond"], t("chart.baseline", lang)),
        (SWATCH["target_tick"], t("chart.target", lang)),
    ]
    body += _legend(legend, height + 4)
    return _svg(height + 20, kpi_title(kpis, lang, synthetic), body)


def kpi_title(kpis: Sequence[str], lang: str, synthetic: bool) -> str:
    """The accessible name of the bullet chart: the KPIs it shows."""
    return titled(", ".join(kpi_label(kpi, lang) for kpi in kpis), synthetic, lang)


def _shown(row: pd.Series, column: str, lang: str) -> str:
    written = row.get(f"{column}_text")
    return fmt_rate(row[column], lang) if written is None or is_missing(written) else str(written)


def _bullet_row(row: pd.Series, label: str, x: _Scale, cy: float, lang: str) -> str:
    band = ROW * 1.0
    parts = [
        f'<text x="{_num(x.left - 8)}" y="{_num(cy + 4)}" text-anchor="end" font-size="11.5">{esc(label)}</text>',
        f'<rect x="{_num(x(0))}" y="{_num(cy - band / 2)}" width="{_num(x(100) - x(0))}" height="{_num(band)}" '
        f'fill="{COLORS["band"]}"/>',
    ]
    target = None if is_missing(row["target"]) else float(row["target"])
    if target is not None:
        parts.append(f'<rect x="{_num(x(0))}" y="{_num(cy - band / 2)}" width="{_num(x(target) - x(0))}" '
                     f'height="{_num(band)}" fill="{COLORS["band_target"]}"/>')  # fmt: skip
    if not is_missing(row["result"]):
        result = float(row["result"])
        parts.append(f'<rect class="result" x="{_num(x(0))}" y="{_num(cy - 5)}" width="{_num(x(result) - x(0))}" '
                     f'height="10" fill="{COLORS["result"]}"/>')  # fmt: skip
        inside = result > 80  # a long bar carries its figure inside, above the bar, clear of the target tick
        tx, anchor, ty = (x(result) - 4, "end", cy - 7) if inside else (x(result) + 5, "start", cy + 4)
        parts.append(f'<text x="{_num(tx)}" y="{_num(ty)}" text-anchor="{anchor}" font-size="10.5" '
                     f'font-weight="700">{esc(_shown(row, "result", lang))}</text>')  # fmt: skip
    else:
        parts.append(f'<text x="{_num(x(0) + 12)}" y="{_num(cy + 4)}" font-size="10.5" font-style="italic" '
                     f'fill="{COLORS["muted"]}">{esc(t("chart.no_data", lang))}</text>')  # fmt: skip
    if not is_missing(row["baseline"]):
        bx, s = x(float(row["baseline"])), 6
        parts.append(f'<polygon class="baseline" points="{_num(bx)},{_num(cy - s)} {_num(bx + s)},{_num(cy)} '
                     f'{_num(bx)},{_num(cy + s)} {_num(bx - s)},{_num(cy)}" fill="{COLORS["baseline"]}" '
                     'stroke="#ffffff"/>')  # fmt: skip
    if target is not None:
        tx = _num(x(target))
        parts.append(f'<line class="target" x1="{tx}" x2="{tx}" y1="{_num(cy - band / 2 + 1)}" '
                     f'y2="{_num(cy + band / 2 - 1)}" stroke="{COLORS["target"]}" stroke-width="3"/>')  # fmt: skip
    words = (
        " · ".join(
            f"{t(key, lang)} {_shown(row, col, lang)}"
            for key, col in (("chart.baseline", "baseline"), ("chart.result", "result"))
        )
        + " · "
        + (f"{t('chart.target', lang)} {_shown(row, 'target', lang)}" if target is not None else t("target.none", lang))
    )
    return f'<g class="level"><title>{esc(f"{label}: {words}")}</title>{"".join(parts)}</g>'
