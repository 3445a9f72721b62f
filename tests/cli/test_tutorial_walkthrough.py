"""The tutorial "starting your own province" (docs/en/tutorial/own-province.md), command by command as written
(with ~ a scratch folder): every `dvctt` line must run and succeed; the two steps done by hand (confirming agencies,
filling the workbook) are done as the comments say. The final `dvctt report --all` is parsed and planned here (case
(a)'s end-to-end test renders it)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import numpy as np
from two_tier_campaign import confirm_agencies, fill_online

from dvctt import paths
from dvctt.campaign.loading import load_campaign
from dvctt.cli import main as cli
from dvctt.publish.batch import plan


def _walkthrough() -> list[str]:
    section = (paths.PROJECT_ROOT / "docs/en/tutorial/own-province.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", section, flags=re.S)
    assert block is not None
    return block.group(1).splitlines()


def test_every_command_of_the_walkthrough_runs_as_written(tmp_path, capsys):
    lines = _walkthrough()
    commands = [line for line in lines if line.startswith("dvctt ")]
    assert [shlex.split(c)[1] for c in commands] == ["new", "check", "template", "ingest", "check", "report"]
    home = str(tmp_path)
    folder = tmp_path / "dvctt" / "camau-2026"
    for line in lines:
        if line.startswith("# edit ") and "units.csv" in line:  # by hand: keep two agencies, confirm them
            confirm_agencies(folder, ["96.A03", "96.A04"])
            toml = folder / "campaign.toml"  # the figures filled below are synthetic: say so
            toml.write_text(toml.read_text(encoding="utf-8").replace("synthetic = false", "synthetic = true"))
            continue
        if line.startswith("# units fill the workbook"):  # by hand: the units fill it, saved as the comment says
            saved = re.search(r"saved e\.g\. as (\S+)\)", line)
            assert saved is not None
            fill_online(tmp_path / "dvctt" / "bieu-nhap.xlsx", Path(saved.group(1).replace("~", home)),
                        np.random.default_rng(1))  # fmt: skip
            continue
        if not line.startswith("dvctt "):
            continue
        argv = [arg.replace("~", home) for arg in shlex.split(line.split("  #")[0])[1:]]
        if argv[0] == "report":
            args = cli.build_parser().parse_args(argv)
            assert args.all and Path(args.campaign) == folder
            loaded = load_campaign(args.campaign)
            assert [j.subject for j in plan(loaded.units, loaded.definition.levels) if j.subject] == [
                "96.A03",
                "96.A04",
            ]
            continue
        assert cli.main(argv) == 0, line
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "levels (units): province 2, commune 64" in out
    assert "thang-01.xlsx -> " in out and "66 observations (66 new, 0 updated)" in out  # 66 units, online counts
    assert "/ 66 observations, 0 reported totals" in out  # the last check sees them
