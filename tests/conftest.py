"""Shared fixtures: a tiny but complete campaign folder written from text, so tests can break it on purpose; renders
made once per test run and shared (:func:`render_once`, ``camau_site``); the grouping that lets ``make test`` run on
two pytest-xdist workers (:func:`pytest_collection_modifyitems`, :func:`pytest_xdist_make_scheduler`).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import traceback
import types
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from dvctt import paths
from dvctt.publish import execute

TINY_FILES = {
    "campaign.toml": """
        id = "tiny"
        synthetic = true
        province_code = "99"
        baseline_period = "2022"
        default_period = "2023"
        target_set = "campaign"
        kpis = ["online", "online_payment"]
        levels = ["province", "district", "commune"]

        [name]
        vi = "Chiến dịch thử nghiệm"
        en = "Test campaign"

        [plan]
        number = "1/KH-TEST"

        [[periods]]
        id = "2022"
        kind = "baseline"
        start = "2022-01-01"
        end = "2022-12-31"
        label_vi = "Năm 2022"
        label_en = "Year 2022"

        [[periods]]
        id = "2023"
        kind = "campaign"
        start = "2023-03-01"
        end = "2023-05-09"
        label_vi = "Chiến dịch 2023"
        label_en = "2023 campaign"
    """,
    "sources.csv": """
        source_id,file,title,publisher,published,note
        test,,Tài liệu thử nghiệm,,,
    """,
    "units.csv": """
        unit_code,level,parent_code,official_name,published_name,code_source,appendix_row,source_id,source_section,note
        99.A01,province,99,Sở Một,Sở Một,synthetic,1,test,,
        99.A02,province,99,Sở Hai,Sở Hai,synthetic,2,test,,
        901,district,99,Huyện Một,UBND huyện Một,synthetic,1,test,,
        90101,commune,901,Xã Một,UBND xã Một,synthetic,1,test,,
        90102,commune,901,Xã Hai,UBND xã Hai,synthetic,2,test,,
    """,
    "observations.csv": """
        unit_code,period,kpi,numerator,denominator,rate,status,printed,source_id,source_section,note
        99.A01,2022,online,40,100,40.0,ok,40%,test,,
        99.A02,2022,online,10,50,20.0,ok,20%,test,,
        99.A01,2022,online_payment,,,0,ok,0%,test,,
        99.A02,2022,online_payment,,,,not_applicable,,test,,no fee-bearing procedures
        901,2022,online,,,30.5,ok,"30,5%",test,,
        901,2022,online_payment,,,1.5,ok,1.5%,test,,
        90101,2022,online,,,50,ok,50%,test,,
        90102,2022,online,,,0,ok,0%,test,,
        90101,2022,online_payment,,,0,ok,0%,test,,
        90102,2022,online_payment,,,0,ok,0%,test,,
        99.A01,2023,online,90,100,90.0,ok,90%,test,,
        99.A02,2023,online,30,50,60.0,ok,60%,test,,
        901,2023,online,,,75,ok,75%,test,,
        90101,2023,online,,,80,ok,80%,test,,
    """,
    "targets.csv": """
        target_set,level,kpi,target,source_id,source_section,note
        campaign,province,online,80,test,,
        campaign,district,online,70,test,,
        campaign,commune,online,60,test,,
        campaign,province,online_payment,40,test,,
        campaign,district,online_payment,35,test,,
        campaign,commune,online_payment,30,test,,
    """,
    "reported_totals.csv": """
        level,unit_code,period,kpi,measure,numerator,denominator,value,printed,headline,source_id,source_section,note
        province,,2022,online,rate,50,150,33.33,"33,33%",true,test,,
        all,,2022,online,rate,,,35,35%,true,test,,
        district,,2023,online,rate,,,75,75%,true,test,,
    """,
}


# The same province after July 2025: two tiers (provincial agencies and communes), no district anywhere, every
# unit with dossier counts in both periods so the whole-province pooled rate can be computed.
TWO_TIER_FILES = {
    **TINY_FILES,
    "campaign.toml": TINY_FILES["campaign.toml"]
    .replace('id = "tiny"', 'id = "tiny-two-tier"')
    .replace('levels = ["province", "district", "commune"]', 'levels = ["province", "commune"]'),
    "units.csv": """
        unit_code,level,parent_code,official_name,published_name,code_source,appendix_row,source_id,source_section,note
        99.A01,province,99,Sở Một,Sở Một,synthetic,1,test,,
        99.A02,province,99,Sở Hai,Sở Hai,synthetic,2,test,,
        90101,commune,99,Xã Một,UBND xã Một,synthetic,1,test,,
        90102,commune,99,Phường Hai,UBND phường Hai,synthetic,2,test,,
    """,
    "observations.csv": """
        unit_code,period,kpi,numerator,denominator,rate,status,printed,source_id,source_section,note
        99.A01,2022,online,40,100,40.0,ok,40%,test,,
        99.A02,2022,online,10,50,20.0,ok,20%,test,,
        90101,2022,online,30,60,50.0,ok,50%,test,,
        90102,2022,online,0,40,0.0,ok,0%,test,,
        99.A01,2023,online,90,100,90.0,ok,90%,test,,
        99.A02,2023,online,30,50,60.0,ok,60%,test,,
        90101,2023,online,48,60,80.0,ok,80%,test,,
        90102,2023,online,20,40,50.0,ok,50%,test,,
    """,
    "targets.csv": """
        target_set,level,kpi,target,source_id,source_section,note
        campaign,province,online,80,test,,
        campaign,commune,online,60,test,,
    """,
    "reported_totals.csv": """
        level,unit_code,period,kpi,measure,numerator,denominator,value,printed,headline,source_id,source_section,note
        all,,2023,online,rate,,,75,75%,true,test,,
    """,
}


def write_campaign(folder: Path, overrides: dict[str, str] | None = None) -> Path:
    """Write the tiny campaign (optionally with some files replaced) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in {**TINY_FILES, **(overrides or {})}.items():
        (folder / name).write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return folder


@pytest.fixture
def tiny_campaign(tmp_path: Path) -> Path:
    return write_campaign(tmp_path / "tiny")


@pytest.fixture
def two_tier_campaign(tmp_path: Path) -> Path:
    return write_campaign(tmp_path / "two-tier", TWO_TIER_FILES)


@pytest.fixture
def seeds_dir() -> Path:
    """The source documents; required in CI, optional on an analyst's machine without ../shared."""
    if not paths.SEEDS_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the seed documents at {paths.SEEDS_DIR}")
        pytest.skip(f"seed documents not found at {paths.SEEDS_DIR} (only CI requires them)")
    return paths.SEEDS_DIR


# ----------------------------------------------------------------------------------- the CLI in this process

# The warning filters of a fresh interpreter: what an analyst's shell would show on stderr, no more.
FRESH_INTERPRETER_WARNINGS = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


def _print_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def run_dvctt(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``dvctt ARGS`` from the folder ``cwd``, in this test process: the console script's entry point, with its
    exit status, standard output and standard error (a traceback or a warning included, as a fresh interpreter
    prints them), without an interpreter start and the libraries' imports for every command.
    tests/cli/test_cli.py runs the console script in a fresh interpreter, as an analyst's shell does."""
    from dvctt.cli import main as cli

    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.resetwarnings()
            for action, category, module in FRESH_INTERPRETER_WARNINGS:
                warnings.filterwarnings(action, category=category, module=module)
            warnings.showwarning = _print_warning
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse: --help, --version, a usage error
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
                if isinstance(exc.code, str):
                    print(exc.code, file=sys.stderr)
            except Exception:  # what the interpreter would print before exiting with status 1
                traceback.print_exc()
                code = 1
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess(["dvctt", *args], code, out.getvalue(), err.getvalue())


# ------------------------------------------------------------------------------- renders shared by a test run


@pytest.fixture(scope="session", autouse=True)
def kernel_kept_warm() -> Iterator[None]:
    """The reports a test process renders itself share one warm kernel (:func:`execute.keep_kernel_warm`), as in
    an analyst's JupyterLab session: the kernel's start and the report libraries' imports once per worker rather
    than once per render. `dvctt` run in a subprocess (the shared renders below, tests/cli) starts its own, as
    on an analyst's command line; a test that counts scratch folders asks for ``own_kernels``."""
    with execute.keep_kernel_warm(ignore_env=("PYTEST_CURRENT_TEST",)):
        yield


@pytest.fixture
def own_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's renders start and stop their own kernels, as a single `dvctt report` does."""
    monkeypatch.setattr(execute._KEPT, "depth", 0)


#: Session fixtures that hand out a render made once per test run (README, "Tests"). Every test asking for one of
#: them runs on the same xdist worker (see pytest_collection_modifyitems), so the worker that renders is the one
#: that reads, and the other worker meanwhile runs other tests.
SHARED_RENDERS = {"camau_site", "index_site"}
#: The service-index export the index report is rendered from (a copy of data/index-766/, see tests/cli).
INDEX_EXPORT = Path(__file__).parent / "fixtures" / "index766" / "bao_cao_766_tinh_2025.xlsx"
_GROUPS = pytest.StashKey[Path]()


def render_once(factory: pytest.TempPathFactory, name: str, *commands: list[str]) -> types.SimpleNamespace:
    """Run each ``dvctt`` command (``report ...``, without ``--out``) once per test run, in a subprocess from an
    unrelated working directory, all writing into one output folder; later callers (on any xdist worker) get
    the same folder. Returns ``root``, ``out`` and ``runs``: per command (joined by spaces) its returncode,
    stdout and stderr, so a failed render fails the tests that assert on it rather than erroring in setup.
    The folder is shared: read it, never write into it (copy it to ``tmp_path`` first)."""
    base = factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / f"shared-{name}"
    record = root / "runs.json"
    with FileLock(str(root) + ".lock"):
        if not record.exists():
            (root / "out").mkdir(parents=True, exist_ok=True)
            runs = {}
            for command in commands:
                done = subprocess.run(
                    [sys.executable, "-m", "dvctt", *command, "--out", str(root / "out")],
                    cwd=root,
                    capture_output=True,
                    text=True,
                    timeout=900,
                )
                runs[" ".join(command)] = {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
            record.write_text(json.dumps(runs, ensure_ascii=False), encoding="utf-8")
    runs = {key: types.SimpleNamespace(**run) for key, run in json.loads(record.read_text(encoding="utf-8")).items()}
    return types.SimpleNamespace(root=root, out=root / "out", runs=runs)


@pytest.fixture(scope="session")
def camau_site(tmp_path_factory: pytest.TempPathFactory) -> types.SimpleNamespace:
    """The default report, Cà Mau 2023, as `dvctt report --campaign camau-2023` writes it in Vietnamese then English:
    both HTML reports, the index, tables/ and the workbooks in one folder. ``runs`` is keyed by language."""
    langs = ("vi", "en")
    site = render_once(tmp_path_factory, "camau", *(["report", "--campaign", "camau-2023", "--lang", x] for x in langs))
    site.runs = dict(zip(langs, site.runs.values(), strict=True))
    return site


@pytest.fixture(scope="session")
def index_site(tmp_path_factory: pytest.TempPathFactory) -> types.SimpleNamespace:
    """The service-index report of Cà Mau (H12, 2025 to date) as `dvctt index <export>` writes it: the HTML
    report, its workbook, tables/, data/ and message.txt in one folder. ``run`` is the command's result."""
    command = ["index", str(INDEX_EXPORT), "--scope", "H12", "--period", "2025-ytd"]
    site = render_once(tmp_path_factory, "index", command)
    site.run = next(iter(site.runs.values()))
    return site


# -------------------------------------------------------------------------------------- parallel test runs


def pytest_configure(config: pytest.Config) -> None:
    """On the xdist controller: a folder where the workers leave the group of every test (see below)."""
    if config.getoption("dist", "no") == "loadgroup" and not hasattr(config, "workerinput"):
        config.stash[_GROUPS] = Path(tempfile.mkdtemp(prefix="dvctt-xdist-groups-"))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    if _GROUPS in node.config.stash:  # only under --dist loadgroup
        node.workerinput["dvctt_groups"] = str(node.config.stash[_GROUPS])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup`` scheduling by the groups below. pytest-xdist's own loadgroup reads ``xdist_group``
    markers by renaming test ids, which pytest 9 no longer allows (the groups were silently ignored), so the
    workers write each test's group to a file and the controller schedules by it."""
    if config.getoption("dist", "no") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    folder = config.stash[_GROUPS]

    config.option.loadscopereorder = False  # xdist would order groups by their number of tests: keep ours

    class GroupScheduling(LoadScopeScheduling):
        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:
                self.groups = json.loads(next(folder.glob("*.json")).read_text(encoding="utf-8"))
            return self.groups.get(nodeid, nodeid)

    return GroupScheduling(config, log)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _GROUPS in config.stash:
        shutil.rmtree(config.stash[_GROUPS], ignore_errors=True)


#: Seconds each test took (setup, call and teardown) in a `make test` run, written by
#: scripts/record_test_durations.py (``make test-durations``): the scheduler starts the longest groups first.
DURATIONS = Path(__file__).parent / "durations.json"
UNMEASURED = {"e2e": 5.0, "notebook": 0.3, "other": 0.1}  # seconds assumed for a test not in DURATIONS yet


def _assumed_seconds(item: pytest.Item, measured: dict[str, float]) -> float:
    if item.nodeid in measured:
        return measured[item.nodeid]
    kind = "e2e" if item.get_closest_marker("e2e") else "notebook" if item.path.suffix == ".ipynb" else "other"
    return UNMEASURED[kind]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On an xdist worker under ``--dist loadgroup`` (``make test``): every test gets a group, and tests of one
    group run in one worker, in order. Tests asking for a shared render form one group per render; any other
    test is grouped with its file (module fixtures are computed once; a notebook's nbval cells run in order in
    one kernel), unless it names its own ``@pytest.mark.xdist_group("name")``. Groups start longest first, by the
    durations measured in tests/durations.json (longest-processing-time-first: what is left at the end is
    short, so both workers finish together)."""
    workerinput = getattr(config, "workerinput", None)
    if not workerinput or "dvctt_groups" not in workerinput:
        return
    measured = json.loads(DURATIONS.read_text(encoding="utf-8")) if DURATIONS.is_file() else {}
    seconds: dict[str, float] = {}
    group_of: dict[str, str] = {}
    for item in items:
        marker = item.get_closest_marker("xdist_group")
        shared = sorted(SHARED_RENDERS & set(getattr(item, "fixturenames", ())))
        if marker is not None:
            group = str(marker.args[0] if marker.args else marker.kwargs.get("name", "default"))
        else:
            group = f"render-{shared[0]}" if shared else str(item.path)
        seconds[group] = seconds.get(group, 0.0) + _assumed_seconds(item, measured)
        group_of[item.nodeid] = group
    first = {group: i for i, group in enumerate(dict.fromkeys(group_of.values()))}
    items.sort(key=lambda item: (-seconds[group_of[item.nodeid]], first[group_of[item.nodeid]]))
    target = Path(workerinput["dvctt_groups"]) / f"{workerinput['workerid']}.json"
    target.with_suffix(".tmp").write_text(json.dumps(group_of), encoding="utf-8")
    target.with_suffix(".tmp").replace(target)
