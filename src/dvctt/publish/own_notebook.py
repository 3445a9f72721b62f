"""An analyst's own notebook, anywhere on disk, published like dvctt's reports: `dvctt report --notebook PATH`.

The notebook's ``parameters`` cell is read with Papermill's own inspection (``papermill.inspect_notebook``: the
name, the annotated type, the default and the ``# help`` comment of each line), so a value given on the command
line (``-p top 10``) or in ``reports.toml`` reaches the kernel with the type the notebook declared, and a name
the notebook does not declare is refused with the list of those it does, before any kernel starts. The report
then goes through the shipped reports' path (:func:`dvctt.publish.render.stage_report`): a clean kernel, code
hidden, the local-path and secret checks, the footer, the tables the notebook hands over
(:func:`dvctt.report.handoff.share_tables`), the workbook, ``manifest.json`` and ``index.html``, and the
report's key (:func:`dvctt.publish.batch.report_key`), so that ``dvctt report --all`` knows it is up to date.
"""

from __future__ import annotations

import ast
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dvctt.campaign import names, provenance
from dvctt.errors import ParameterError, RenderError

#: What dvctt itself injects; an analyst gives them with --campaign, --period and --lang, never with -p.
INJECTED = ("campaign", "period", "lang", "tables_dir")
_TRUE, _FALSE = {"true", "1", "yes", "có"}, {"false", "0", "no", "không"}
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Parameter:
    """One line of a notebook's parameters cell, as Papermill reads it."""

    name: str
    type_name: str  # "str", "int", "float", "bool", "list", "dict" ... or "None" when not annotated
    default: str  # the default as written in the cell
    help: str

    @property
    def kind(self) -> str:
        """The declared type, or the type of the default when the line has no annotation (``unit = "970"``)."""
        if self.type_name not in ("None", ""):
            return self.type_name
        try:
            value = ast.literal_eval(self.default)
        except (ValueError, SyntaxError):
            return "str"
        return "str" if value is None else type(value).__name__

    def describe(self) -> str:
        text = f"{self.name}: {self.kind} = {self.default}"
        return f"{text}  # {self.help}" if self.help else text


def slug(text: str) -> str:
    """A file-name-safe form (:mod:`dvctt.campaign.names`) of a notebook name or a parameter value ("Báo cáo xã" ->
    "Bao-cao-xa"), short enough that the report's name, with its value, period and language, stays one."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _UNSAFE.sub("-", plain).strip("-._")[: names.MAX_NAME_CHARS // 2].rstrip("-._") or "notebook"


def open_notebook(path: str | os.PathLike[str]) -> Path:
    """The analyst's notebook file, checked: it exists, is a notebook and has a cell tagged ``parameters``."""
    import nbformat

    source = Path(path).expanduser()
    if source.suffix != ".ipynb":
        raise ParameterError(f"{source.name!r} is not a notebook: give the path of a .ipynb file.")
    if not source.is_file():
        raise ParameterError(f"Notebook {source} not found.")
    try:
        cells = nbformat.read(source, as_version=4).cells
    except Exception as exc:  # not JSON, not a notebook
        raise ParameterError(f"Notebook {source.name} cannot be read: {type(exc).__name__}: {exc}") from exc
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in cells):
        raise ParameterError(
            f"Notebook {source.name} has no cell tagged 'parameters'. In JupyterLab, select the cell that sets "
            "campaign, period and lang, open the property inspector (the gears icon) and add the tag parameters "
            "(or start from `dvctt new-notebook NAME --campaign C`)."
        )
    return source.resolve()


def declared_parameters(source: Path) -> dict[str, Parameter]:
    """The notebook's parameters, read by ``papermill.inspect_notebook``, in the order of the cell."""
    import papermill

    try:
        found = papermill.inspect_notebook(str(source))
    except Exception as exc:
        raise ParameterError(f"The parameters cell of {source.name} cannot be read: {exc}") from exc
    return {
        name: Parameter(name, str(p.get("inferred_type_name") or ""), str(p.get("default", "")), str(p.get("help", "")))
        for name, p in found.items()
    }


def listing(declared: Mapping[str, Parameter]) -> str:
    """The notebook's own parameters, one per line, as a message shows them."""
    own = [p.describe() for name, p in declared.items() if name not in INJECTED]
    return "\n".join(f"  {line}" for line in own) if own else "  (none besides campaign, period and lang)"


def _convert(parameter: Parameter, value: Any, where: str) -> Any:
    """``value`` (text from the command line, or a TOML value) as the parameter's declared type."""
    kind = parameter.kind

    def refuse(why: str) -> ParameterError:
        return ParameterError(f"{where}: parameter {parameter.name} ({parameter.describe()}): {why}, got {value!r}.")

    if not isinstance(value, str):  # a TOML value already has a type
        ok = {"int": int, "float": (int, float), "bool": bool, "str": str, "list": list, "dict": dict}.get(kind)
        if ok is not None and (not isinstance(value, ok) or (kind != "bool" and isinstance(value, bool))):
            raise refuse(f"expected a {kind}")
        return float(value) if kind == "float" else value
    text = value.strip()
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise refuse("expected a whole number") from None
    if kind == "float":
        try:
            return float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
        except ValueError:
            raise refuse("expected a number") from None
    if kind == "bool":
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise refuse("expected true or false")
    if kind in ("list", "dict", "tuple"):
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            raise refuse(f"expected a Python {kind} such as {parameter.default}") from None
        if type(parsed).__name__ != kind:
            raise refuse(f"expected a {kind}")
        return parsed
    return value


def typed_parameters(source: Path, given: Mapping[str, Any], where: str = "dvctt report -p") -> dict[str, Any]:
    """``given`` (name -> value) checked against the notebook's parameters cell and converted to its types.

    A name the cell does not declare, or one of those dvctt injects itself, is a ParameterError that lists the
    notebook's own parameters; nothing has run yet."""
    declared = declared_parameters(source)
    injected = sorted(set(given) & set(INJECTED))
    if injected:
        raise ParameterError(
            f"{where}: {', '.join(injected)} cannot be given as a parameter: dvctt sets campaign, period and lang "
            f"from --campaign, --period and --lang. Parameters of {source.name}:\n{listing(declared)}"
        )
    unknown = [name for name in given if name not in declared]
    if unknown:
        raise ParameterError(
            f"{where}: {source.name} has no parameter {', '.join(map(repr, unknown))}. "
            f"Its parameters cell declares:\n{listing(declared)}"
        )
    return {name: _convert(declared[name], value, where) for name, value in given.items()}


# ------------------------------------------------------------------------------------------------ render


def render_own_notebook(
    notebook: str | os.PathLike[str],
    campaign: str | os.PathLike[str],
    *,
    period: str | None = None,
    lang: str = "vi",
    parameters: Mapping[str, Any] | None = None,
    out_dir: Path | None = None,
) -> Any:
    """Execute the analyst's notebook for one campaign, period and language and publish it (see the module
    docstring); returns the :class:`dvctt.publish.render.RenderResult`. Bad parameters raise ParameterError
    before a kernel starts; a failing cell raises RenderError naming it, the last good report left in place."""
    from dvctt import paths
    from dvctt.campaign import commit
    from dvctt.labels import check_lang
    from dvctt.publish import batch, cleanup, manifest, render
    from dvctt.publish.execute import warming_kernel

    source = open_notebook(notebook)
    typed = typed_parameters(source, dict(parameters or {}))
    target = render.open_campaign(campaign)
    period = target.definition.resolve_period(period).id
    lang = check_lang(lang)
    out_dir = paths.output_dir(out_dir if out_dir is not None else paths.default_output_dir(target.id))
    job = own_job(source, typed)
    stem = job.stem(period, lang)
    data_hash = provenance.data_hash(target.folder)
    key = batch.report_key(data_hash, source, job, period, lang, batch.code_hash())
    cleanup.sweep(out_dir)  # scratch folders of killed runs
    commit.tidy(out_dir)  # a publish a kill interrupted is finished first
    with render._staging_dir(out_dir) as staging, warming_kernel(one_report=True) as km:
        staged = render.stage_report(
            target, source, period=period, lang=lang, staging=staging, out_dir=out_dir, stem=stem,
            extra_parameters=typed, data_hash=data_hash, km=km, table_prefix=job.table_prefix,
        )  # fmt: skip
        if not staged.ok:
            raise RenderError(render.publish_failure(staged, out_dir))
        staged.entry["key"] = key
        entry = render.publish_staged(staged, out_dir)[-1]
    index = manifest.relist(out_dir)  # with any report another render published meanwhile
    return render.RenderResult(
        html_path=out_dir / entry["file"],
        table_paths=tuple(out_dir / p for p in entry["tables"]),
        workbook_path=out_dir / entry["workbook"],
        notebook_path=out_dir / entry["executed_notebook"],
        index_path=index,
        manifest_path=out_dir / manifest.MANIFEST_NAME,
        campaign_id=target.id,
        period=period,
        lang=lang,
        title=entry["title"],
        data_hash=entry["data_hash"],
        rendered_at=entry["rendered_at"],
    )


def own_job(source: Path, parameters: Mapping[str, Any], subject: str = "") -> Any:
    """The report-set job of an analyst's notebook: named by the notebook (and the grid value), its tables'
    file names prefixed with the same, so the reports of one grid never overwrite each other's CSV files."""
    from dvctt.publish.batch import Job

    return Job(slug(source.stem), subject=slug(subject) if subject else "", parameters=dict(parameters),
               source=str(source))  # fmt: skip
