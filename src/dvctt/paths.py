"""Every path the project uses, anchored on the project root.

Nothing here depends on the working directory: Papermill may execute a notebook from a temporary folder,
and an analyst may call ``dvctt`` from anywhere. Set ``DVCTT_PROJECT_ROOT`` to point a non-editable install
at a checkout.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from dvctt.errors import OutsideFolderError


def _find_project_root() -> Path:
    override = os.environ.get("DVCTT_PROJECT_ROOT")
    if override:
        return Path(override).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "notebooks").is_dir():
            return parent
    # Installed as a wheel outside a checkout: fall back to the working directory's checkout, if any.
    return Path.cwd().resolve()


PROJECT_ROOT: Path = _find_project_root()
DATA_DIR: Path = PROJECT_ROOT / "data"
CAMPAIGNS_DIR: Path = DATA_DIR / "campaigns"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"
OUTPUTS_DIR: Path = PROJECT_ROOT / "outputs"
PACKAGE_DIR: Path = Path(__file__).resolve().parent
TEMPLATES_DIR: Path = PACKAGE_DIR / "templates"
# Read-only source documents that the embedded data was transcribed from (present in development and CI).
SEEDS_DIR: Path = PROJECT_ROOT.parent / "shared" / "seeds"

DEFAULT_CAMPAIGN = "camau-2023"


def campaign_dir(campaign: str | os.PathLike[str]) -> Path:
    """Resolve a campaign id shipped in ``data/campaigns`` or the path of a campaign folder kept anywhere."""
    from dvctt.errors import CampaignNotFoundError

    text = os.fspath(campaign)
    candidate = Path(text).expanduser()
    if candidate.is_dir() and (candidate / "campaign.toml").is_file():
        return candidate.resolve()
    shipped = CAMPAIGNS_DIR / text
    if shipped.is_dir() and (shipped / "campaign.toml").is_file():
        return shipped
    available = sorted(p.parent.name for p in CAMPAIGNS_DIR.glob("*/campaign.toml"))
    raise CampaignNotFoundError(
        f"Campaign {text!r} not found: it is neither a folder holding campaign.toml nor one of the "
        f"shipped campaigns ({', '.join(available) or 'none'}) in {CAMPAIGNS_DIR}."
    )


def is_shipped(folder: str | os.PathLike[str]) -> bool:
    """True for a campaign folder shipped in ``data/campaigns`` (read-only: analysts work on a copy)."""
    try:
        Path(folder).resolve().relative_to(CAMPAIGNS_DIR.resolve())
    except ValueError:
        return False
    return True


def _outside_reason(folder: Path, text: str) -> str | None:
    """Why ``text`` (relative to ``folder``) does not lie inside it, or None when it does."""
    relative = PurePosixPath(text)
    if not text or "\x00" in text or not relative.parts:
        return "not a file name"
    if relative.is_absolute():
        return "an absolute path"
    if ".." in relative.parts:
        return "it climbs out with '..'"
    try:
        base = folder.resolve()
        step = base
        for part in relative.parts[:-1]:  # a linked folder on the way would carry a write elsewhere
            step = step / part
            if step.is_symlink():
                return f"{step.relative_to(base).as_posix()}/ is a symbolic link"
        (base / relative).resolve().relative_to(base)
    except ValueError:
        return "a symbolic link leads out of the folder"
    except (OSError, RuntimeError) as exc:  # a name too long, a loop of links (RuntimeError before 3.13)
        return f"it cannot be resolved: {exc}"
    return None


def inside(folder: Path, relative: str | os.PathLike[str]) -> Path:
    """``folder / relative`` when it lies inside ``folder``; else OutsideFolderError, and nothing is touched.

    The one definition of "inside" for every path dvctt writes, removes, reads or links by a name it found in a
    file (a commit journal, a manifest) or builds from one (a campaign id): a relative path, no ``..``, no linked
    folder on the way, and, symbolic links resolved, still below ``folder``. A planted name must never lead a
    write out of the campaign or output folder.
    """
    text = os.fspath(relative)
    why = _outside_reason(Path(folder), text)
    if why is not None:
        raise OutsideFolderError(
            f"{text!r} is not inside {folder} ({why}); dvctt writes, removes and links files only inside the "
            f"folder they belong to / {text!r} nằm ngoài thư mục {Path(folder).name}/: dvctt không ghi, xóa hay "
            "liên kết tệp ngoài thư mục đó"
        )
    return Path(folder) / text


def is_inside(folder: Path, relative: object) -> bool:
    """:func:`inside` as a test: False for anything that is not a path inside ``folder``."""
    if not isinstance(relative, str):
        return False
    try:
        inside(folder, relative)
    except (OutsideFolderError, OSError):
        return False
    return True


def default_output_dir(campaign_id: str, *sub: str) -> Path:
    """``outputs/<campaign id>/[<sub>/…]``: never outside ``outputs/``, whatever the id a file gave, since each part
    must be one plain folder name. (An ``outputs/<id>`` the analyst linked to another disk is their choice: kept.)"""
    parts = (campaign_id, *sub)
    for part in parts:
        if len(PurePosixPath(part).parts) != 1 or part in (".", "..") or "\x00" in part:
            raise OutsideFolderError(
                f"{part!r} cannot name a folder inside {OUTPUTS_DIR}: it must be one plain folder name (the rule of "
                f"dvctt.campaign.names); pass --out DIR or fix the id / không thể dùng {part!r} làm tên thư mục kết quả"
            )
    return OUTPUTS_DIR.joinpath(*parts)


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write text so that readers see the old file or the new one, never half of it.

    The temporary file is hidden (leading dot), so a crash leaves nothing the data hash or a listing counts; it
    is created afresh (a planted link of that name is removed, never written through).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    with open(tmp, "x", encoding=encoding) as handle:
        handle.write(text)
    os.replace(tmp, path)
