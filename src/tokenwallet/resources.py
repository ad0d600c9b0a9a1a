"""Where the shipped resources are (tokenizer encodings, model tiers, icons).

In a checkout (and an editable install) they sit in ``resources/`` at the top of the repository;
a wheel or a PyInstaller bundle carries them inside the package as ``_resources``.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    here = Path(__file__).resolve().parent
    candidates = [here / "_resources", here.parents[1] / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller unpacks data files here
    if bundle:
        candidates.insert(0, Path(bundle) / "resources")
    for path in candidates:
        if (path / "tokenizers").is_dir():
            return path
    raise FileNotFoundError(f"Token Wallet resources not found (looked in {', '.join(map(str, candidates))})")


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
