"""Katakana names in romaji, so a password can be checked for the user's name.

The screen asks users to avoid passwords made of お名前; people write their name in
romaji in several ways (ジロウ: jirou, jiro, jirow), so this yields the usual spellings.
No romanisation library is installed, and names need only this small table.
"""

from __future__ import annotations

_SYLLABLES = {
    "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o",
    "カ": "ka", "キ": "ki", "ク": "ku", "ケ": "ke", "コ": "ko",
    "サ": "sa", "シ": "shi", "ス": "su", "セ": "se", "ソ": "so",
    "タ": "ta", "チ": "chi", "ツ": "tsu", "テ": "te", "ト": "to",
    "ナ": "na", "ニ": "ni", "ヌ": "nu", "ネ": "ne", "ノ": "no",
    "ハ": "ha", "ヒ": "hi", "フ": "fu", "ヘ": "he", "ホ": "ho",
    "マ": "ma", "ミ": "mi", "ム": "mu", "メ": "me", "モ": "mo",
    "ヤ": "ya", "ユ": "yu", "ヨ": "yo",
    "ラ": "ra", "リ": "ri", "ル": "ru", "レ": "re", "ロ": "ro",
    "ワ": "wa", "ヰ": "i", "ヱ": "e", "ヲ": "o", "ン": "n",
    "ガ": "ga", "ギ": "gi", "グ": "gu", "ゲ": "ge", "ゴ": "go",
    "ザ": "za", "ジ": "ji", "ズ": "zu", "ゼ": "ze", "ゾ": "zo",
    "ダ": "da", "ヂ": "ji", "ヅ": "zu", "デ": "de", "ド": "do",
    "バ": "ba", "ビ": "bi", "ブ": "bu", "ベ": "be", "ボ": "bo",
    "パ": "pa", "ピ": "pi", "プ": "pu", "ペ": "pe", "ポ": "po",
    "ヴ": "vu", "ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o",
}  # fmt: skip
_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}


def hepburn(kana: str) -> str:
    """Modified Hepburn without macrons: ジロウ → jirou, ショウタ → shouta, ハット → hatto."""
    out: list[str] = []
    double_next = False
    for char in kana:
        if char == "ッ":
            double_next = True
            continue
        if char in _SMALL_Y and out:
            # キャ → kya, シャ → sha, ジャ → ja: drop the i, keep the consonant.
            stem = out.pop()
            consonant = stem[:-1] if stem.endswith("i") else stem
            glide = "" if stem.endswith(("shi", "chi", "ji")) else "y"
            syllable = consonant + glide + _SMALL_Y[char]
        elif char == "ー":
            syllable = out[-1][-1] if out else ""
        else:
            syllable = _SYLLABLES.get(char, "")
        if double_next and syllable:
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
            double_next = False
        out.append(syllable)
    return "".join(out)


def romaji_variants(kana: str) -> set[str]:
    """The spellings people use: with and without long vowels, ou written as oh or ow."""
    base = hepburn(kana)
    variants = {base}
    for long, short in (("ou", "o"), ("oo", "o"), ("uu", "u")):
        variants |= {v.replace(long, short) for v in variants}
    variants |= {v.replace("ou", "oh") for v in variants} | {
        v.replace("ou", "ow") for v in variants
    }
    return {v for v in variants if v}
