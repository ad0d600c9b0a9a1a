"""A package's names loaded when first used (PEP 562 ``__getattr__``), from a table.

The app's start-up imports packages whose heavy parts it does not need yet (httpx, the price
catalog): such a package lists those names with the submodule that defines each, and imports the
submodule only when someone asks for the name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: ``names[name]`` is the submodule that defines it."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
