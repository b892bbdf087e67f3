"""Page scripts kept as .js files beside the code, so they stay readable and lintable."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def read_script(name: str) -> str:
    return resources.files("harness").joinpath("js", name).read_text(encoding="utf-8")
