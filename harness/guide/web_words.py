"""The words only screens need (skip link, previous and next, the video's fallback), in the
guide's language: Japanese for `ja`, English otherwise, like harness.guide.words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WebWords:
    skip: str  # the skip link to the page's main text
    previous: str
    next: str
    pages: str  # the label of the previous / next navigation
    contents_link: str  # back to the index page
    video: str  # above a flow's video
    video_fallback: str  # shown by a browser that cannot play it
    video_download: str


JAPANESE_WEB = WebWords(
    skip="本文へ移動",
    previous="前へ",
    next="次へ",
    pages="ページの移動",
    contents_link="目次へ戻る",
    video="動画で見る",
    video_fallback="お使いのブラウザーではこの動画を再生できません。",
    video_download="動画をダウンロードする",
)
ENGLISH_WEB = WebWords(
    skip="Skip to the main text",
    previous="Previous",
    next="Next",
    pages="Pages",
    contents_link="Back to the contents",
    video="Watch it as a video",
    video_fallback="Your browser cannot play this video.",
    video_download="Download the video",
)


def web_words(language: str) -> WebWords:
    return JAPANESE_WEB if language.split("-")[0] == "ja" else ENGLISH_WEB
