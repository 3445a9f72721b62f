"""The package's layers, enforced: every import in ``src/dvctt`` points down (or stays in its own package).

Top to bottom: cli → service_index (one feature package, above the layers it uses) → publish → report →
ingest, synth → analysis, dossiers → campaign → base (errors, paths, labels). Packages on the same floor do
not import each other. Lazy imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dvctt import paths

PACKAGE = paths.PACKAGE_DIR
FLOORS: dict[str, int] = {
    "base": 0,
    "campaign": 1,
    "analysis": 2,
    "dossiers": 2,
    "ingest": 3,
    "synth": 3,
    "report": 4,
    "publish": 5,
    "service_index": 6,
    "cli": 7,
}
BASE_MODULES = {"errors", "paths", "labels", "missing", "safe_text", "__init__"}
MAX_LINES = 400


def _package_of(dotted: str) -> str:
    """``dvctt.report.data`` → ``report``; root modules (errors, paths, labels) → ``base``."""
    parts = dotted.split(".")
    if len(parts) == 1:
        return "base"
    return parts[1] if parts[1] in FLOORS else "base"


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "dvctt":
            found.append((node.lineno, node.module))
            if node.module == "dvctt":  # from dvctt import paths
                found.extend((node.lineno, f"dvctt.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "dvctt")
    return found


def _own_package(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return "base" if len(rel.parts) == 1 else rel.parts[0]


def test_every_package_has_a_floor():
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages <= set(FLOORS), f"give these packages a floor in FLOORS: {packages - set(FLOORS)}"
    root = {p.stem for p in PACKAGE.glob("*.py")} - {"__main__"}
    assert root <= BASE_MODULES, f"modules at the root must be base modules: {root - BASE_MODULES}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path):
    own = _own_package(path)
    wrong = []
    for line, module in _imports(path):
        target = _package_of(module)
        if module == "dvctt" or target == own:
            continue
        if FLOORS[target] >= FLOORS[own]:
            wrong.append(f"line {line}: {own} (floor {FLOORS[own]}) imports {module} (floor {FLOORS[target]})")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small_or_say_why(path: Path):
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    if lines > MAX_LINES:
        assert "Why this module is long:" in text[:3000], f"{lines} lines: split it or say why at its top"


def test_the_layer_check_can_fail(tmp_path):
    """A module of the analysis floor importing the report floor is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from dvctt.report.formatting import pct\n")
    target = _package_of(_imports(bad)[0][1])
    assert FLOORS[target] > FLOORS["analysis"]
