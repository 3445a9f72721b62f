"""seaborn draws the statistical charts again (issue 26 item 4), imported only where a chart is drawn: the report
libraries a kernel warms up with never import it, so a report that draws nothing does not pay for it."""

from __future__ import annotations

import subprocess
import sys

import matplotlib.colors as mcolors
import pandas as pd

from dvctt.publish.execute import WARM_IMPORTS
from dvctt.report import charts


def test_the_report_libraries_do_not_import_seaborn() -> None:
    code = f"{WARM_IMPORTS}\nimport dvctt.report.charts\nimport sys\nprint('seaborn' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False"]


def _units() -> pd.DataFrame:
    rows = [("A", 900, 1000, "above"), ("B", 300, 1000, "below"), ("C", 40, 50, "not_distinguishable")]
    return pd.DataFrame(
        [
            {"unit_code": code, "kpi": "online", "level": "commune", "status": "ok", "numerator": num,
             "denominator": den, "target": 80.0, "significance": sig}
            for code, num, den, sig in rows
        ]
    )  # fmt: skip


def test_funnel_points_are_drawn_by_seaborn_in_the_significance_colours() -> None:
    import matplotlib.pyplot as plt

    fig = charts.funnel_chart(_units(), "online", ["commune"], "vi")
    assert fig is not None and "seaborn" in sys.modules
    ax = fig.axes[0]
    assert plt.rcParams["axes.grid"] and plt.rcParams["font.family"] == [charts.FONT]  # the whitegrid theme
    points = next(c for c in ax.collections if len(c.get_offsets()) == 3)
    drawn = [mcolors.to_hex(c) for c in points.get_facecolors()]
    assert drawn == ["#1a9850", "#d73027", "#7f7f7f"]  # above, below, not distinguishable
    assert [round(y, 1) for _, y in points.get_offsets()] == [90.0, 30.0, 80.0]
    plt.close(fig)
