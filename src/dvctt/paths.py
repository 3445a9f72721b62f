"""Every path the project uses, anchored on the project root.

Nothing here depends on the working directory: Papermill may execute a notebook from a temporary folder,
and an analyst may call ``dvctt`` from anywhere. Set ``DVCTT_PROJECT_ROOT`` to point a non-editable install
at a checkout.
"""

from __future__ import annotations

import os
from pathlib import Path


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


def default_output_dir(campaign_id: str) -> Path:
    return OUTPUTS_DIR / campaign_id


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text so that readers see the old file or the new one, never half of it.

    The temporary file is hidden (leading dot), so a crash leaves nothing the data hash or a listing counts.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def output_dir(out_dir: str | os.PathLike[str]) -> Path:
    """``out_dir`` resolved and checked before anything is written: never the root of a file system (a render
    stages its files in a scratch folder inside the output folder, and the root is no place for reports), never
    an existing file, nor a folder under one. Raises ParameterError naming the folder."""
    from dvctt.errors import ParameterError

    shown = os.fspath(out_dir)
    path = Path(out_dir).expanduser().resolve()
    if path.parent == path:
        raise ParameterError(
            f"--out {shown}: không dùng thư mục gốc làm thư mục kết quả / the root of a file system cannot be the "
            "output folder; choose a folder of its own (e.g. --out /media/usb/bao-cao)."
        )
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        if folder.exists():
            where = shown if folder == path else f"{shown} ({folder})"
            raise ParameterError(
                f"--out {where}: là một tệp, không phải thư mục / is a file, not a folder; choose a folder (it is "
                "made if missing)."
            )
    return path
