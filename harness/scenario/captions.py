"""Captions suggested in the guide's style: 「新規登録」を押す, or Tap "Save" in English."""

from __future__ import annotations

from typing import Literal

from harness.scenario.draft import DraftStep

Language = Literal["ja", "en"]


def language_of(setting: str) -> Language:
    """guide.yaml's `language:` (an HTML lang such as ja, ja-JP, en-GB) to a caption style."""
    return "ja" if setting.lower().split("-")[0] == "ja" else "en"


def _words(step: DraftStep) -> str:
    target = step.target
    if target is None:
        return ""
    if target.css is not None:  # only CSS finds it: the words the recorder saw before it
        words = step.words
    else:
        words = (target.name if target.role is not None else target.value) or ""
    return words.rstrip(":：").strip()  # a label as read aloud: "Username:" → Username


def _shown(step: DraftStep) -> str:
    return next(iter(step.expect.values()), "")


def caption(step: DraftStep, language: Language) -> str:
    words = _words(step)
    if language == "ja":
        return _japanese(step, words)
    return _english(step, words)


def _japanese(step: DraftStep, words: str) -> str:
    quoted = f"「{words}」" if words else "ここ"
    match step.action:
        case "tap":
            return f"{quoted}を押す"
        case "fill":
            return f"{quoted}に入力する"
        case "select":
            return f"「{step.value}」を選ぶ"
        case "check":
            return f"{quoted}を選ぶ"
        case "scroll":
            return "上にスクロールする" if step.direction == "up" else "下にスクロールする"
        case "press":
            if step.key == "Enter":
                return "キーボードの「開く」を押す"
            return f"「{step.key}」キーを押す"
        case "goto":
            return f"{step.url} を開く"
        case _:
            return f"「{_shown(step)}」が表示される"


def _english(step: DraftStep, words: str) -> str:
    quoted = f'"{words}"' if words else "here"
    match step.action:
        case "tap":
            return f"Tap {quoted}"
        case "fill":
            if step.sensitive or not step.value:
                what = f"your {words.lower()}" if words else "your details"
                return f"Enter {what} in {quoted}" if words else f"Enter {what}"
            return f'Enter "{step.value}" in {quoted}' if words else f'Enter "{step.value}"'
        case "select":
            return f'Choose "{step.value}"'
        case "check":
            return f"Tick {quoted}"
        case "scroll":
            return "Scroll up" if step.direction == "up" else "Scroll down"
        case "press":
            return f"Press {step.key} on the keyboard"
        case "goto":
            return f"Open {step.url}"
        case _:
            return f'"{_shown(step)}" is shown'
