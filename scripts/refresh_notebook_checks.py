"""Store the expected output of the cells nbval checks, and nothing else, in the committed notebooks.

nbval runs in lax mode: every cell must run, and cells marked ``# NBVAL_CHECK_OUTPUT`` must reproduce the
output stored in the notebook. Run this (``make notebook-checks``) after a deliberate change to the data or
the metrics, review the diff of the printed figures, and commit it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import nbformat
import papermill

from dvctt import paths

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def refresh(notebook: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        executed_path = Path(tmp) / notebook.name
        papermill.execute_notebook(
            str(notebook), str(executed_path), kernel_name="python3", cwd=tmp, progress_bar=False
        )
        executed = nbformat.read(executed_path, as_version=4)
    source = nbformat.read(notebook, as_version=4)
    by_id = {cell.get("id"): cell for cell in executed.cells}
    checked = 0
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        if cell.source.lstrip().startswith(CHECK_MARK):
            ran = by_id[cell.get("id")]
            cell.outputs = [out for out in ran.outputs if out.get("output_type") != "display_data"]
            cell.execution_count = 1  # nbval treats a cell with outputs but no count as never run
            checked += 1
    nbformat.write(source, notebook)
    return checked


def main(argv: list[str]) -> None:
    targets = [Path(a) for a in argv] or sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
    for notebook in targets:
        print(f"{notebook.name}: {refresh(notebook)} checked cell(s) stored")


if __name__ == "__main__":
    main(sys.argv[1:])
