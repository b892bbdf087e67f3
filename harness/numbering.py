"""The guide's step numbers: ①…⑳, ㉑…㉟, ㊱…㊿, then (51), (52)…"""

from __future__ import annotations

_CIRCLED = (
    [chr(0x2460 + i) for i in range(20)]
    + [chr(0x3251 + i) for i in range(15)]
    + [chr(0x32B1 + i) for i in range(15)]
)


def circled(number: int) -> str:
    return _CIRCLED[number - 1] if 1 <= number <= len(_CIRCLED) else f"({number})"
