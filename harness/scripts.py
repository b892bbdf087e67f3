"""Page scripts kept as .js files beside the code, so they stay readable and lintable."""

from __future__ import annotations

from functools import cache
from importlib import resources

# The one place page scripts turn layout boxes into screenshot boxes (js/screen_space.js).
_SHARED = "screen_space.js"
_SHARED_NAME = "screenSpace"


def _read(name: str) -> str:
    return resources.files("harness").joinpath("js", name).read_text(encoding="utf-8")


@cache
def read_script(name: str) -> str:
    """The script `name`, a function expression; one that uses `screenSpace` is wrapped in a
    function that defines it first and hands on its arguments, so it stays one expression
    for page.evaluate and Locator.evaluate_all, computed afresh on every call."""
    body = _read(name)
    if name == _SHARED or _SHARED_NAME not in body:
        return body
    return f"(...args) => {{\n{_read(_SHARED)}\nreturn ({body.strip()}\n)(...args);\n}}"
