"""Types shared by the CLI tests (a module of its own: several test directories have a conftest)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]
