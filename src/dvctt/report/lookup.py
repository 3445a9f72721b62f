"""Answers about one table, worked out once while the table lives.

A report asks the same small questions hundreds of times (the printed figure behind a level rate, whether a
target is set): each asked of a frame by filtering it costs a millisecond of pandas, and the campaign report
spent a third of its notebook time on them. The answers are kept per frame object, so a frame built for other
data is never answered from another's; dvctt never modifies a frame in place (see :mod:`dvctt.report.data`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, TypeVar

import pandas as pd

Answer = TypeVar("Answer")


def per_frame(question: Callable[..., Answer]) -> Callable[..., Answer]:
    """``question(frame, *keys)``, asked once per frame object and keys; forgotten when the frame is."""
    answers: dict[int, dict[tuple[Hashable, ...], Any]] = {}

    @wraps(question)
    def ask(frame: pd.DataFrame, *keys: Hashable) -> Answer:
        held = answers.get(id(frame))
        if held is None:
            held = answers[id(frame)] = {}
            weakref.finalize(frame, answers.pop, id(frame), None)
        if keys not in held:
            held[keys] = question(frame, *keys)
        return held[keys]

    return ask
