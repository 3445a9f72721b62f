"""The campaign report's SVG charts: what they draw is read back from the SVG (positions, colours, words)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd

from dvctt.report import svg_charts

NS = {"svg": "http://www.w3.org/2000/svg"}


def _units(**columns) -> pd.DataFrame:
    base = {
        "unit_code": ["1", "2", "3"],
        "unit_name": ["Xã Tân Ân Tây", "Phường Tân Xuyên", "<b>Xã A</b>"],
        "level": ["commune"] * 3,
        "kpi": ["online"] * 3,
        "baseline": [94.32, 50.0, 10.0],
        "baseline_status": ["ok"] * 3,
        "target": [60.0] * 3,
        "result": [100.0, 40.0, 70.0],
        "status": ["ok"] * 3,
    }
    return pd.DataFrame({**base, **columns})


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this fails


def _x_scale(root: ET.Element) -> tuple[float, float]:
    """x of 0% and of 100%, from the axis labels."""
    ticks = {t.text: float(t.get("x")) for t in root.iter(f"{{{NS['svg']}}}text") if t.text in ("0%", "100%")}
    return ticks["0%"], ticks["100%"]


def test_dumbbells_are_well_formed_keep_diacritics_escape_names_and_are_reproducible():
    svg = svg_charts.dumbbell_chart(_units(), "online", ["commune"], "vi")
    root = _tree(svg)
    words = [t.text for t in root.iter(f"{{{NS['svg']}}}text")]
    assert "Xã Tân Ân Tây" in words and "Tỷ lệ hồ sơ trực tuyến" in words and "<b>Xã A</b>" in words
    assert "<b>" not in svg  # a unit's name is text, never markup
    assert svg == svg_charts.dumbbell_chart(_units(), "online", ["commune"], "vi")
    names = [t.text for t in root.iter(f"{{{NS['svg']}}}text") if t.get("text-anchor") == "end" and "%" not in t.text]
    assert names[:3] == ["Xã Tân Ân Tây", "<b>Xã A</b>", "Phường Tân Xuyên"]  # highest result first


def test_a_decline_is_a_red_arrowhead_with_its_drop_and_the_target_sits_at_its_value():
    root = _tree(svg_charts.dumbbell_chart(_units(), "online", ["commune"], "vi"))
    zero, hundred = _x_scale(root)
    (target,) = root.findall(".//svg:line[@class='target']", NS)
    assert float(target.get("x1")) == round(zero + 0.6 * (hundred - zero), 1)
    (arrow,) = root.findall(".//svg:polygon[@class='decline']", NS)
    tip = float(arrow.get("points").split()[0].split(",")[0])
    assert arrow.get("fill") == svg_charts.COLORS["decline"]
    assert tip < zero + 0.4 * (hundred - zero)  # pointing left, from 50% down to 40%
    assert "▼ −10,00" in [t.text for t in root.iter(f"{{{NS['svg']}}}text")]
    assert len(root.findall(".//svg:circle[@class='result']", NS)) == 2  # the two rises keep their blue dot
    hover = [t.text for t in root.iter(f"{{{NS['svg']}}}title")]
    assert "Phường Tân Xuyên: 50,00% → 40,00%" in hover


def test_for_a_kpi_where_lower_is_better_a_rise_is_the_decline():
    units = _units(kpi=["overdue_pending"] * 3, baseline=[5.0, 20.0, 10.0], result=[10.0, 5.0, 10.0])
    root = _tree(svg_charts.dumbbell_chart(units, "overdue_pending", ["commune"], "vi"))
    (arrow,) = root.findall(".//svg:polygon[@class='decline']", NS)
    zero, hundred = _x_scale(root)
    assert float(arrow.get("points").split()[0].split(",")[0]) > zero + 0.1 * (hundred - zero)  # points right


def test_no_result_means_no_chart_and_synthetic_data_are_labelled():
    assert svg_charts.dumbbell_chart(_units(status=["missing"] * 3), "online", ["commune"], "vi") is None
    svg = svg_charts.dumbbell_chart(_units(), "online", ["commune"], "vi", synthetic=True)
    assert "<title>[DỮ LIỆU MÔ PHỎNG] Tỷ lệ hồ sơ trực tuyến</title>" in svg


def test_bullets_draw_result_baseline_and_target_where_known_and_say_no_data():
    headline = pd.DataFrame(
        {
            "level": ["province", "commune"],
            "kpi": ["online", "online"],
            "baseline": [63.65, None],
            "target": [80.0, None],
            "result": [92.79, None],
        }
    )
    svg = svg_charts.bullet_chart(headline, ["online"], ["province", "commune"], "vi")
    root = _tree(svg)
    zero, hundred = _x_scale(root)
    (bar,) = root.findall(".//svg:rect[@class='result']", NS)
    assert float(bar.get("width")) == round(0.9279 * (hundred - zero), 1)
    (tick,) = root.findall(".//svg:line[@class='target']", NS)
    assert float(tick.get("x1")) == round(zero + 0.8 * (hundred - zero), 1)
    assert len(root.findall(".//svg:polygon[@class='baseline']", NS)) == 1
    words = [t.text for t in root.iter(f"{{{NS['svg']}}}text")]
    assert "92,79%" in words and "chưa có số liệu" in words and "Cấp tỉnh" in words and "Cấp xã" in words
    assert re.search(r"Cấp tỉnh: Kỳ cơ sở 63,65% · Kết quả 92,79% · Mục tiêu 80,00%", svg)
    english = svg_charts.bullet_chart(headline, ["online"], ["province", "commune"], "en")
    assert "92.79%" in english and "Provincial agencies" in english


def test_bullets_show_a_figure_as_the_source_printed_it():
    headline = pd.DataFrame(
        {"level": ["province"], "kpi": ["online"], "baseline": [56.0], "target": [None], "result": [79.0],
         "result_text": ["79%"], "baseline_text": ["56%"]}
    )  # fmt: skip
    svg = svg_charts.bullet_chart(headline, ["online"], ["province"], "vi")
    assert ">79%<" in svg and "Kỳ cơ sở 56%" in svg and "79,00%" not in svg and "56,00%" not in svg


def test_the_gap_grid_colours_are_matplotlibs_rdylgn_without_importing_it():
    """The gap tables compute RdYlGn themselves (a report without a picture never loads matplotlib); every
    colour must still be the one matplotlib gives, result and paler baseline cells alike."""
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import Normalize, to_hex

    from dvctt.report.gap_grid import VEIL, cell_colour

    scale = colormaps["RdYlGn"]
    for limit in (1.0, 7.3, 100.0):
        for gap in np.linspace(-1.2 * limit, 1.2 * limit, 601):
            red, green, blue, _ = scale(Normalize(vmin=-limit, vmax=limit, clip=True)(gap))
            assert cell_colour(gap, limit) == to_hex((red, green, blue))
            assert cell_colour(gap, limit, veiled=True) == to_hex(
                tuple(VEIL + (1 - VEIL) * c for c in (red, green, blue))
            )


def test_the_report_sections_load_no_plotting_or_model_library():
    """A campaign report that draws no picture and fits no trend must not pay for matplotlib, scipy or statsmodels
    (1.3 s of every kernel): the sections import them where they draw or fit."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom dvctt.publish.execute import WARM_IMPORTS\nexec(WARM_IMPORTS)\n"
        "print(sorted(m for m in ('matplotlib', 'scipy', 'statsmodels', 'seaborn') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
