"""The report data a single `dvctt report` prepares beside the starting kernel: adopted only when it is the data
the notebook would compute (same folder, data and period), waited for while it is being written, and never
a reason for a report to fail."""

from __future__ import annotations

import threading
import time

from dvctt import paths
from dvctt.publish import overlap
from dvctt.report import data as report_data


def _fresh(path):
    report_data._PREPARED.clear()
    report_data._cached_report_data.cache_clear()
    return path


def test_prepared_data_is_what_the_notebook_gets_and_is_waited_for(tiny_campaign, tmp_path):
    path = _fresh(tmp_path / overlap.PREPARED_NAME)
    pending = path.with_name(path.name + report_data.PENDING_SUFFIX)
    pending.touch()
    writer = threading.Thread(
        target=lambda: (time.sleep(0.3), report_data.prepare_report_data(str(tiny_campaign), "2023", path))
    )
    writer.start()
    # waited for the writer (checking the published figures meanwhile), then read what it wrote
    assert report_data.adopt_prepared(path, str(tiny_campaign)) is True
    writer.join()
    assert not pending.exists()
    ((key, adopted),) = report_data._PREPARED.items()
    assert key[0] == str(tiny_campaign) and key[2] == "2023"
    report_data._cached_report_data.cache_clear()  # so only the adopted object can be returned as is
    assert report_data.build_report_data(str(tiny_campaign), "2023") is adopted
    other = report_data.build_report_data(str(tiny_campaign), "2022")  # another period: computed, not adopted
    assert other is not adopted and other.period.id == "2022"
    computed = report_data._compute_report_data(adopted.campaign, "2023")
    assert adopted.unit_summary.equals(computed.unit_summary)
    assert len(adopted.reconciliation) and adopted.reconciliation.equals(computed.reconciliation)


def test_without_the_campaign_the_kernel_checks_the_published_figures_after_adopting(tiny_campaign, tmp_path):
    path = _fresh(tmp_path / overlap.PREPARED_NAME)
    report_data.prepare_report_data(str(tiny_campaign), "2023", path)
    assert report_data.adopt_prepared(path) is True
    ((_key, adopted),) = report_data._PREPARED.items()
    computed = report_data._compute_report_data(adopted.campaign, "2023")
    assert len(adopted.reconciliation) and adopted.reconciliation.equals(computed.reconciliation)


def test_data_changed_after_preparing_is_not_adopted(tiny_campaign, tmp_path):
    path = _fresh(tmp_path / overlap.PREPARED_NAME)
    report_data.prepare_report_data(str(tiny_campaign), "2023", path)
    observations = tiny_campaign / "observations.csv"
    observations.write_text(observations.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert report_data.adopt_prepared(path) is False and report_data._PREPARED == {}


def test_nothing_prepared_or_a_broken_file_means_the_notebook_computes_it(tiny_campaign, tmp_path):
    path = _fresh(tmp_path / overlap.PREPARED_NAME)
    assert report_data.adopt_prepared(path, wait_seconds=0.1) is False
    path.write_bytes(b"not a pickle")
    assert report_data.adopt_prepared(path, wait_seconds=0.1) is False
    assert report_data._PREPARED == {}


def test_only_notebooks_that_build_the_report_data_get_it_prepared(tmp_path):
    own = tmp_path / "own.ipynb"
    own.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', encoding="utf-8")
    code, path = overlap.warm_up_code(own, tmp_path, "camau-2023")
    assert path is None and "adopt_prepared" not in code
    shipped = paths.NOTEBOOKS_DIR / "campaign_report.ipynb"
    code, path = overlap.warm_up_code(shipped, tmp_path, "camau-2023")
    assert path == tmp_path / overlap.PREPARED_NAME and f"adopt_prepared({str(path)!r}, 'camau-2023')" in code
    assert path.with_name(path.name + report_data.PENDING_SUFFIX).exists()  # the kernel waits for it
