"""Keep the analyst's machine out of what is shared: local folders and secret environment values.

Reports and their executed notebooks leave the office by e-mail. The HTML is checked and refused if it leaks
(check_no_local_paths, check_no_secrets); the executed notebook, kept next to it for audit, is scrubbed instead:
every local folder is replaced by a neutral token (the campaign folder by the campaign id, the project by
``<project>``), the injected parameters name the campaign by id, and the values of secret-looking environment
variables are redacted.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from dvctt import paths
from dvctt.errors import RenderError

# Names that say "this value is a credential", as words of the name between underscores: GITHUB_TOKEN,
# DB_PASSWORD, PGPASSWORD, AUTH_TOKEN, OPENAI_API_KEY, MYSQL_PWD, NPM_AUTH; not GIT_AUTHOR_NAME, AUTH_METHOD or
# TOKENIZERS_PARALLELISM.
_SECRET_NAME = re.compile(
    r"(?:^|_)(?:[A-Z0-9]*(?:PASSWORD|PASSWD|TOKEN|SECRET)|PWD|PASS|PASSPHRASE|CREDENTIALS?|(?:API|ACCESS|PRIVATE)?KEY)"
    r"S?(?:_|$)|_AUTH$",
    re.IGNORECASE,
)
# Values that are credentials whatever the variable's name: GitHub, OpenAI, Slack, AWS, GitLab, Hugging Face,
# Google API tokens and JSON web tokens.
_TOKEN_SHAPE = re.compile(
    r"gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|sk-[\w-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16}"
    r"|eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}|glpat-[\w-]{20,}|hf_[A-Za-z0-9]{30,}|AIza[\w-]{35}"
)
# Values that are no credential even under a credential's name: a word (or words joined by - or _), a number, a
# path, a boolean. Shorter values are too common to search for safely.
_PLAIN_VALUE = re.compile(r"[^\W\d_]+(?:[-_][^\W\d_]+)*|[-+]?[\d.,]+|(?:[A-Za-z]:)?[\\/~.].*", re.IGNORECASE)
MIN_SECRET_LENGTH = 8
# Output data that is base64 or binary: never rewritten (a replacement could corrupt an image by chance).
_BINARY_MIME = re.compile(r"^(image/(?!svg\+xml)|audio/|video/|application/(pdf|octet-stream))")
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]*")
# What each local folder becomes in the audit notebook (the campaign folder becomes the campaign id).
FOLDER_TOKENS = {
    "project root": "<project>",
    "temporary folder": "<tmp>",
    "home directory": "~",
    "Python environment": "<python>",
    "staging folder": "<out>",
    "output folder": "<out>",
    "working folder": "<cwd>",
}


def path_variants(path: Path) -> set[str]:
    """Spellings of a path that could appear in text: as given, resolved, POSIX, and URL-quoted."""
    texts = {str(path), path.as_posix()}
    with contextlib.suppress(OSError):
        texts.add(str(path.resolve()))
    texts |= {quote(t) for t in texts}
    return {t for t in texts if len(Path(t).parts) >= 2}


def _boundary(variant: str) -> re.Pattern[str]:
    """A whole path: ``/work/main`` matches in ``/work/main/x`` but not in ``/work/mainframe``."""
    return re.compile(rf"(?<![\w.-]){re.escape(variant)}(?![\w.-])")


def replacements(tokens: Mapping[Path, str]) -> list[tuple[re.Pattern[str], str]]:
    """(pattern, token) pairs, longest path first so a folder inside another gets its own token."""
    pairs = {variant: token for path, token in tokens.items() for variant in path_variants(Path(path))}
    return [(_boundary(v), pairs[v]) for v in sorted(pairs, key=len, reverse=True)]


def looks_like_credential(value: str) -> bool:
    """True for a value that can be a credential: one piece, long enough, neither a word, a number nor a path."""
    text = value.strip()
    return len(text) >= MIN_SECRET_LENGTH and not any(c.isspace() for c in text) and not _PLAIN_VALUE.fullmatch(text)


def secret_values(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment variables that hold credentials, by name *and* value: a credential's name with a value that looks
    like one, or a value of a well-known token shape whatever the name. ``GIT_AUTHOR_NAME='Cà Mau'`` or
    ``AUTH_METHOD=online`` must not make an ordinary report that prints the province's name be refused."""
    environ = os.environ if environ is None else environ
    return {
        name: value.strip()
        for name, value in environ.items()
        if _TOKEN_SHAPE.fullmatch(value.strip()) or (_SECRET_NAME.search(name) and looks_like_credential(value))
    }


def check_no_secrets(text: str, secrets: Mapping[str, str], what: str) -> None:
    """Refuse text that shows the value of a secret variable; the message names the variable, not the value."""
    leaked = sorted(name for name, value in secrets.items() if value in text)
    if leaked:
        raise RenderError(
            f"The {what} shows the value of the environment variable(s) {', '.join(leaked)}. Reports are shared "
            "outside this computer; do not print credentials in the notebook."
        )


def scrub_text(text: str, rules: Iterable[tuple[re.Pattern[str], str]], secrets: Mapping[str, str]) -> str:
    """Replace local folders by their tokens and secret values by ``<redacted:NAME>``."""
    for name, value in secrets.items():
        text = text.replace(value, f"<redacted:{name}>")
    for pattern, token in rules:
        text = pattern.sub(token.replace("\\", "\\\\"), text)
    return text


def scrub(value: Any, rules: list[tuple[re.Pattern[str], str]], secrets: Mapping[str, str]) -> Any:
    """Scrub every string in a JSON-like structure (a notebook), leaving binary output data untouched."""
    if isinstance(value, str):
        return scrub_text(value, rules, secrets)
    if isinstance(value, list):
        return [scrub(item, rules, secrets) for item in value]
    if isinstance(value, dict):
        return {
            key: item if _BINARY_MIME.match(str(key)) else scrub(item, rules, secrets) for key, item in value.items()
        }
    return value


def text_without_binary(value: Any) -> str:
    """Every string of a notebook except binary output data, joined: what a path or secret check should read."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(text_without_binary(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(
            f"{key}\n{text_without_binary(item)}" for key, item in value.items() if not _BINARY_MIME.match(str(key))
        )
    return ""


def audit_notebook(
    nb: Any,
    *,
    parameters: Mapping[str, str],
    source_name: str,
    saved_as: str,
    rules: list[tuple[re.Pattern[str], str]],
    secrets: Mapping[str, str],
) -> Any:
    """The executed notebook as it may be shared: parameters by campaign id, no local folder, no secret value.

    ``parameters`` are the values to show (the campaign id instead of a folder); the injected-parameters cell is
    rewritten from them in Papermill's own format, and Papermill's metadata names files, not folders.
    """
    import nbformat
    from papermill.translators import translate_parameters

    clean = nbformat.from_dict(scrub(dict(nb), rules, secrets))
    shown = scrub(dict(parameters), rules, secrets)  # e.g. the hand-off folder inside the working folder
    for cell in clean.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = translate_parameters("python3", "python", shown, "Parameters")
    meta = clean.metadata.get("papermill")
    if isinstance(meta, dict):
        meta.update(input_path=source_name, output_path=saved_as, parameters=shown)
    return clean


def machine_folders() -> dict[str, Path]:
    """Folders of this machine that say whose it is: home, temporary files, a virtual environment."""
    found = {"temporary folder": Path(tempfile.gettempdir())}
    with contextlib.suppress(RuntimeError):  # no HOME
        found["home directory"] = Path.home()
    if sys.prefix != sys.base_prefix:  # a venv lives in the analyst's space; a system prefix (/usr) says nothing
        found["Python environment"] = Path(sys.prefix)
    return found


def forbidden_paths(campaign_folder: Path, **extra: Path) -> dict[str, Path]:
    """Folders whose names must never appear in a report (``extra``: label -> folder of this run)."""
    return {"project root": paths.PROJECT_ROOT, "campaign folder": campaign_folder, **machine_folders(), **extra}


def path_tokens(campaign_folder: Path, campaign_id: str, folders: Mapping[str, Path]) -> dict[Path, str]:
    """Local folder -> neutral token; nested folders get their own (replacements are longest first)."""
    found = {"project root": paths.PROJECT_ROOT, **machine_folders(), **folders}
    tokens = {path: FOLDER_TOKENS.get(label, "<local>") for label, path in found.items()}
    return {**tokens, campaign_folder: campaign_id}


def check_no_local_paths(text: str, forbidden: Mapping[str, Path], what: str = "rendered HTML") -> None:
    """Raise RenderError if the text mentions a local folder: reports are e-mailed outside the office.

    Base64 data URIs are ignored (they can spell ``/root`` by chance); a match must be a whole path
    component, so ``/work/main`` does not match ``/work/mainframe``.
    """
    scrubbed = _DATA_URI.sub("", text)
    leaks = []
    for label, path in forbidden.items():
        for variant in path_variants(path):
            if variant in scrubbed and _boundary(variant).search(scrubbed):  # `in` first: 50x faster
                leaks.append(f"{label} ({variant})")
                break
    if leaks:
        raise RenderError(
            f"The {what} mentions local paths: {'; '.join(leaks)}. Reports are shared outside this "
            "computer; make the notebook show campaign ids and file names instead of folders."
        )


def write_audit_notebook(
    executed: Any,
    *,
    target: Path,
    source_name: str,
    parameters: Mapping[str, str],
    campaign_folder: Path,
    campaign_id: str,
    folders: Mapping[str, Path],
    secrets: Mapping[str, str],
) -> None:
    """Save the executed notebook beside the report, for audit: campaign by id, no local folder, no secret."""
    import nbformat

    clean = audit_notebook(
        executed,
        parameters={**parameters, "campaign": campaign_id},
        source_name=source_name,
        saved_as=target.name,
        rules=replacements(path_tokens(campaign_folder, campaign_id, folders)),
        secrets=secrets,
    )
    readable = text_without_binary(clean)
    check_no_local_paths(readable, forbidden_paths(campaign_folder, **folders), what="executed notebook")
    check_no_secrets(readable, secrets, "executed notebook")
    target.write_text(nbformat.writes(clean), encoding="utf-8")


def scrub_failed_run(
    staging: Path, stem: str, *, campaign_folder: Path, campaign_id: str, out_dir: Path, source_name: str,
    parameters: Mapping[str, str], error: str,
) -> str:  # fmt: skip
    """A failed run is kept for debugging, but like a published one: local folders replaced by tokens (in the
    traceback too), secret values redacted — a report refused for showing a secret is never kept as it was.
    Returns ``error`` scrubbed the same way, for the manifest (it is shared with the reports)."""
    import nbformat

    secrets = secret_values()
    folders = {"staging folder": staging, "output folder": out_dir}
    rules = replacements(path_tokens(campaign_folder, campaign_id, folders))
    notebook, page = staging / f"{stem}.ipynb", staging / f"{stem}.html"
    try:
        if notebook.is_file():
            executed = nbformat.read(notebook, as_version=4)
            clean = audit_notebook(
                executed, parameters=parameters, source_name=source_name, saved_as=notebook.name, rules=rules,
                secrets=secrets,
            )  # fmt: skip
            notebook.write_text(nbformat.writes(clean), encoding="utf-8")
        if page.is_file():
            page.write_text(scrub_text(page.read_text(encoding="utf-8"), rules, secrets), encoding="utf-8")
    except Exception:  # noqa: BLE001 - an unreadable leftover is not worth keeping unscrubbed
        notebook.unlink(missing_ok=True)
        page.unlink(missing_ok=True)
    return scrub_text(error, rules, secrets)
