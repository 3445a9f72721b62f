"""The reference pages generated from the code: every command from the argument parser, the accepted headers
from the ingest vocabulary. Written, never edited by hand, so the documentation cannot drift from what dvctt
accepts: ``python -m dvctt.cli.reference`` rewrites them, and a test fails while a page is stale."""

from __future__ import annotations

import argparse
from pathlib import Path

from dvctt import paths
from dvctt.ingest import headers

PAGES = {"commands": "reference/commands.md", "headers": "reference/headers.md"}
_WORDS = {
    "vi": {
        "commands": "Các lệnh",
        "commands_intro": "Sinh tự động từ bộ phân tích tham số của `dvctt` (`python -m dvctt.cli.reference`); "
        "phần mô tả là lời của `dvctt LỆNH --help`.",
        "usage": "Cú pháp",
        "option": "tham số",
        "help": "ý nghĩa",
        "default": "mặc định",
        "headers": "Tiêu đề cột được chấp nhận",
        "headers_intro": "Sinh tự động từ `src/dvctt/ingest/headers.py`. Tiêu đề được so sánh sau khi bỏ dấu, "
        "chữ hoa và dấu câu (cột bên phải viết ở dạng đó).",
        "id_fields": "Cột nhận diện (phải khớp đúng một cụm)",
        "kpi_words": "Cột chỉ tiêu: từ gọi tên chỉ tiêu (ở bất kỳ đâu trong tiêu đề)",
        "measure_words": "Cột chỉ tiêu: từ gọi tên đại lượng (xét theo thứ tự này)",
        "field": "trường",
        "accepted": "tiêu đề chấp nhận",
    },
    "en": {
        "commands": "Commands",
        "commands_intro": "Generated from `dvctt`'s argument parser (`python -m dvctt.cli.reference`); the "
        "descriptions are those of `dvctt COMMAND --help`.",
        "usage": "Usage",
        "option": "option",
        "help": "meaning",
        "default": "default",
        "headers": "Accepted headers",
        "headers_intro": "Generated from `src/dvctt/ingest/headers.py`. Headers are compared without diacritics, "
        "case and punctuation (the right column is written that way).",
        "id_fields": "Identifying columns (must match one phrase exactly)",
        "kpi_words": "Indicator columns: words that name the KPI (anywhere in the header)",
        "measure_words": "Indicator columns: words that name the measure (checked in this order)",
        "field": "field",
        "accepted": "accepted headers",
    },
}


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _option_rows(parser: argparse.ArgumentParser, words: dict[str, str]) -> list[str]:
    rows = [f"| {words['option']} | {words['help']} | {words['default']} |", "|---|---|---|"]
    for action in parser._actions:  # noqa: SLF001 - argparse keeps its actions nowhere public
        if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:  # noqa: SLF001
            continue
        name = ", ".join(f"`{o}`" for o in action.option_strings) or f"`{action.metavar or action.dest}`"
        default = action.default
        shown = "" if default in (None, False, argparse.SUPPRESS) or default == [] else f"`{default}`"
        rows.append(f"| {name} | {_cell(action.help or '')} | {shown} |")
    return rows


def commands_page(parser: argparse.ArgumentParser, lang: str) -> str:
    """Every subcommand with its usage and options, as a Markdown page."""
    words = _WORDS[lang]
    lines = [f"# {words['commands']}", "", words["commands_intro"], ""]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    helps = {choice.dest: choice.help for choice in sub._choices_actions}  # noqa: SLF001
    for name, command in sub.choices.items():
        usage = " ".join(command.format_usage().removeprefix("usage: ").split())
        lines += [f"## `dvctt {name}`", "", _cell(helps.get(name, "")), "", f"{words['usage']}: `{usage}`", ""]
        lines += [*_option_rows(command, words), ""]
    return "\n".join(lines)


def _alias_table(aliases: dict[str, tuple[str, ...]], words: dict[str, str]) -> list[str]:
    rows = [f"| {words['field']} | {words['accepted']} |", "|---|---|"]
    rows += [f"| `{field}` | {', '.join(phrases)} |" for field, phrases in aliases.items()]
    return [*rows, ""]


def headers_page(lang: str) -> str:
    """The accepted headers of statistics files, as a Markdown page."""
    words = _WORDS[lang]
    lines = [f"# {words['headers']}", "", words["headers_intro"], ""]
    for title, aliases in (
        ("id_fields", headers.ID_ALIASES),
        ("kpi_words", {kpi: headers.KPI_ALIASES[kpi] for kpi in headers.KPI_ORDER}),
        ("measure_words", headers.MEASURE_ALIASES),
    ):
        lines += [f"## {words[title]}", "", *_alias_table(aliases, words)]
    return "\n".join(lines)


def pages(parser: argparse.ArgumentParser) -> dict[Path, str]:
    """Every generated page: its path under the project's docs/ and its text."""
    docs = paths.PROJECT_ROOT / "docs"
    out: dict[Path, str] = {}
    for lang in _WORDS:
        out[docs / lang / PAGES["commands"]] = commands_page(parser, lang)
        out[docs / lang / PAGES["headers"]] = headers_page(lang)
    return out


def main() -> None:
    from dvctt.cli.main import build_parser

    for path, text in pages(build_parser()).items():
        paths.write_text_atomic(path, text)
        print(path.relative_to(paths.PROJECT_ROOT))


if __name__ == "__main__":
    main()
