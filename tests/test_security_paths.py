"""Nothing dvctt writes or removes lies outside its folder (issue 23, item 1): a planted commit journal, a campaign
id that climbs out of ``outputs/``, a ``rejects/`` or ``tables/`` linked elsewhere, a manifest entry naming a page
outside the output folder. Each hostile case is built here, in tmp_path; the files outside are checked unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from dvctt import paths
from dvctt.campaign import commit
from dvctt.campaign.definition import read_definition
from dvctt.campaign.loading import load_campaign
from dvctt.cli import main as cli
from dvctt.errors import CampaignDefinitionError, OutsideFolderError, UnsafeJournalError
from dvctt.publish import manifest, toc

# ------------------------------------------------------------------------------------------- inside


def test_inside_refuses_climbing_absolute_and_linked_paths(tmp_path: Path) -> None:
    folder, elsewhere = tmp_path / "camp", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    (folder / "linked").symlink_to(elsewhere, target_is_directory=True)
    (folder / "sub").mkdir()
    (folder / "sub" / "page.html").symlink_to(elsewhere / "page.html")
    assert paths.inside(folder, "tables/2022/a.csv") == folder / "tables" / "2022" / "a.csv"
    for name, why in [
        ("../victim.txt", "climbs out"),
        (str(elsewhere / "x.txt"), "absolute path"),
        ("linked/x.txt", "linked/ is a symbolic link"),
        ("sub/page.html", "symbolic link leads out"),
        ("a\x00b", "not a file name"),
        ("", "not a file name"),
    ]:
        with pytest.raises(OutsideFolderError, match=why):
            paths.inside(folder, name)
        assert not paths.is_inside(folder, name)
    assert not paths.is_inside(folder, 42)


# ------------------------------------------------------------------------------------------- the journal


def _plant_journal(folder: Path, victim: Path, replaced: Path) -> None:
    """What the hostile round planted: a journal removing one file outside and replacing another."""
    (folder / ".payload.dvctt-new").write_text("planted", encoding="utf-8")
    record = {
        "txid": "abc",
        "files": {os.path.relpath(replaced, folder): ".payload.dvctt-new"},
        "remove": [str(victim)],
    }
    (folder / commit.JOURNAL_NAME).write_text(json.dumps(record), encoding="utf-8")


def test_a_planted_journal_naming_files_outside_is_refused_by_check_and_kept(
    tiny_campaign: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    victim, replaced = tmp_path / "victim.txt", tmp_path / "replaced.txt"
    victim.write_text("keep me", encoding="utf-8")
    replaced.write_text("original", encoding="utf-8")
    _plant_journal(tiny_campaign, victim, replaced)
    journal = (tiny_campaign / commit.JOURNAL_NAME).read_bytes()

    assert cli.main(["check", str(tiny_campaign)]) == 1
    err = capsys.readouterr().err
    assert "dvctt check: error:" in err and commit.JOURNAL_NAME in err and "kept for inspection" in err
    assert "Traceback" not in err
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert replaced.read_text(encoding="utf-8") == "original"
    assert (tiny_campaign / commit.JOURNAL_NAME).read_bytes() == journal  # kept for inspection
    assert (tiny_campaign / ".payload.dvctt-new").is_file()  # nothing renamed
    with pytest.raises(UnsafeJournalError):
        load_campaign(tiny_campaign)


def test_a_journal_renaming_a_file_that_is_not_a_staged_one_is_refused(tiny_campaign: Path) -> None:
    units = (tiny_campaign / "units.csv").read_bytes()
    record = {"txid": "abc", "files": {"observations.csv": "units.csv"}, "remove": []}
    (tiny_campaign / commit.JOURNAL_NAME).write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(UnsafeJournalError, match="units.csv"):
        load_campaign(tiny_campaign)
    assert (tiny_campaign / "units.csv").read_bytes() == units


def test_commit_refuses_names_outside_the_folder_before_writing_anything(tiny_campaign: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in tiny_campaign.iterdir())
    with commit.writer_lock(tiny_campaign):
        for name in ("../escaped.csv", str(tmp_path / "absolute.csv")):
            with pytest.raises(OutsideFolderError, match="not inside"):
                commit.commit(tiny_campaign, {"observations.csv": "x\n", name: "planted\n"})
    assert not (tmp_path / "escaped.csv").exists() and not (tmp_path / "absolute.csv").exists()
    assert sorted(p.name for p in tiny_campaign.iterdir() if p.name != commit.LOCK_NAME) == before


def test_a_lock_file_linked_outside_is_never_truncated(tiny_campaign: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (tiny_campaign / commit.LOCK_NAME).symlink_to(victim)
    with pytest.raises(OutsideFolderError), commit.writer_lock(tiny_campaign):
        pass
    assert victim.read_text(encoding="utf-8") == "keep me"


# ------------------------------------------------------------------------------------------- campaign ids


@pytest.mark.parametrize("bad", ["../../escaped-id", "/tmp/escaped-id", "a/b", ".hidden", "x" * 101, "id\n", "id "])
def test_an_unsafe_campaign_id_is_refused_naming_file_key_and_value(
    tiny_campaign: Path, bad: str, capsys: pytest.CaptureFixture
) -> None:
    toml = tiny_campaign / "campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('id = "tiny"', f"id = {json.dumps(bad)}", 1))
    with pytest.raises(CampaignDefinitionError) as caught:
        read_definition(toml)
    assert "campaign.toml" in str(caught.value) and "'id'" in str(caught.value) and repr(bad) in str(caught.value)
    assert cli.main(["check", str(tiny_campaign)]) == 1
    assert "cannot name a folder" in capsys.readouterr().err


def test_the_default_output_folder_never_leads_outside_outputs() -> None:
    assert paths.default_output_dir("camau-2023", "2022") == paths.OUTPUTS_DIR / "camau-2023" / "2022"
    for bad in ("../../escaped-id", "/tmp/x", "..", ".", "a/b", "a\x00"):
        with pytest.raises(OutsideFolderError):
            paths.default_output_dir(bad)
    with pytest.raises(OutsideFolderError):
        paths.default_output_dir("camau-2023", "../../x")


# ------------------------------------------------------------------------------------------- linked sub-folders


def test_ingest_refuses_a_rejects_folder_linked_outside(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    camp = tmp_path / "camau"
    shutil.copytree(paths.CAMPAIGNS_DIR / "camau-2023", camp)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (camp / "rejects").symlink_to(elsewhere, target_is_directory=True)
    table = tmp_path / "weekly.csv"
    table.write_text(
        "Tên đơn vị,Số hồ sơ trực tuyến,Tổng số hồ sơ,Tỷ lệ hồ sơ trực tuyến (%)\n"
        "Xã Tân Ân,10,20,50\nXã Không Có,1,2,50\n",
        encoding="utf-8",
    )
    observations = (camp / "observations.csv").read_bytes()
    status = cli.main(["ingest", str(table), "--campaign", str(camp), "--period", "2023-campaign"])
    err = capsys.readouterr().err
    assert status == 1 and "rejects/ is a symbolic link" in err and "Traceback" not in err
    assert list(elsewhere.iterdir()) == []  # nothing written through the link
    assert (camp / "observations.csv").read_bytes() == observations


# ------------------------------------------------------------------------------------------- the manifest


def _entry(file: str, **extra: object) -> dict[str, object]:
    return {"file": file, "title": file, "campaign": "tiny", "period": "2023", "lang": "vi", "status": "ok", **extra}


def test_manifest_entries_naming_files_outside_are_dropped_never_read_rewritten_or_linked(tmp_path: Path) -> None:
    out, victim_dir = tmp_path / "out", tmp_path / "victim"
    out.mkdir()
    victim_dir.mkdir()
    page = f"<html><body>{toc.RELATED_START}{toc.RELATED_END}</body></html>"
    for name in ("page.html", "campaign_report_2023_vi.html", "t.csv"):
        (victim_dir / name).write_text(page, encoding="utf-8")
    (out / "campaign_report_2023_vi.html").write_text(page, encoding="utf-8")  # the one real report
    (out / "tables").mkdir()
    (out / "tables" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (out / "progress_report_2023_vi.html").symlink_to(victim_dir / "page.html")  # a link leading out
    planted = [
        _entry("../victim/page.html"),
        _entry(str(victim_dir / "campaign_report_2023_vi.html")),
        _entry("progress_report_2023_vi.html"),
        _entry("campaign_report_2023_vi.html", tables=["tables/a.csv", "../victim/t.csv"], workbook="x.xlsx"),
        _entry("unit_report_x_2023_vi.html", workbook="../victim/page.html", status="failed"),
    ]
    (out / manifest.MANIFEST_NAME).write_text(json.dumps({"reports": planted}), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in victim_dir.iterdir()}

    manifest.rebuild_index(out)

    assert {p.name: p.read_bytes() for p in victim_dir.iterdir()} == before  # nothing outside rewritten
    reports = json.loads((out / manifest.MANIFEST_NAME).read_text(encoding="utf-8"))["reports"]
    assert [(r["file"], r.get("tables")) for r in reports] == [("campaign_report_2023_vi.html", ["tables/a.csv"])]
    index = (out / manifest.INDEX_NAME).read_text(encoding="utf-8")
    assert "victim" not in index and "progress_report" not in index and str(tmp_path) not in index
    assert "progress_report" not in (out / "campaign_report_2023_vi.html").read_text(encoding="utf-8")
    # given in memory (as a batch does), the same entries are dropped too
    manifest.rebuild_index(out, planted)
    assert json.loads((out / manifest.MANIFEST_NAME).read_text(encoding="utf-8"))["reports"] == reports


def test_a_page_linked_from_outside_is_not_read_when_the_manifest_is_rebuilt(tmp_path: Path) -> None:
    out, victim = tmp_path / "out", tmp_path / "secret.html"
    out.mkdir()
    victim.write_text('<meta name="dvctt:campaign" content="stolen"><title>secret</title>', encoding="utf-8")
    (out / "report_vi.html").symlink_to(victim)
    assert manifest.load_manifest(out) == []


def test_promote_refuses_a_tables_folder_linked_outside_before_moving_anything(tmp_path: Path) -> None:
    staging, out, elsewhere = tmp_path / "staging", tmp_path / "out", tmp_path / "elsewhere"
    for folder in (staging / "tables" / "2022", out, elsewhere):
        folder.mkdir(parents=True)
    (staging / "tables" / "2022" / "a.csv").write_text("x\n", encoding="utf-8")
    (staging / "r.html").write_text("<html></html>", encoding="utf-8")
    (out / "tables").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutsideFolderError, match="tables/ is a symbolic link"):
        manifest.promote(staging, out, [Path("r.html"), Path("tables/2022/a.csv")])
    assert list(elsewhere.iterdir()) == [] and not (out / "r.html").exists()
    (staging / "r.ipynb").write_text("{}", encoding="utf-8")
    (out / manifest.FAILED_DIRNAME).symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutsideFolderError, match="_failed/ is a symbolic link"):
        manifest.keep_failed(staging, out, "r")
    assert list(elsewhere.iterdir()) == []
