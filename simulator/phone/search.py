"""Search results: a fixed, plausible list per query, nothing fetched from anywhere.

Only results the simulator can show are links; the rest are inert, as in a screenshot.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    title: str
    site: str  # the small "site › path" line above the title
    snippet: str
    href: str | None = None  # None: shown but goes nowhere


def _nenkin(nenkin_href: str) -> list[Result]:
    return [
        Result(
            "ねんきんネット",
            "www.nenkin.go.jp › n_net",
            "「ねんきんネット」は、インターネットを通じてご自身の年金の情報を手軽に確認できる"
            "サービスです。24時間いつでもどこでも、パソコンやスマートフォンから確認できます。",
            nenkin_href,
        ),
        Result(
            "日本年金機構",
            "www.nenkin.go.jp",
            "日本年金機構の公式ホームページです。年金の制度や手続き、各種届書の様式などを"
            "ご案内しています。",
        ),
        Result(
            "「ねんきんネット」のユーザIDの取得方法｜日本年金機構",
            "www.nenkin.go.jp › n_net › account",
            "アクセスキーをお持ちの方は、即時にユーザIDを取得できます。アクセスキーがなくても"
            "ユーザIDは取得できます。",
        ),
        Result(
            "マイナポータルから「ねんきんネット」を利用する",
            "www.nenkin.go.jp › n_net › myna",
            "マイナポータルと連携させることで、ユーザIDを取得せずに「ねんきんネット」を"
            "利用できます。",
        ),
        Result(
            "よくあるご質問（ねんきんネット）",
            "www.nenkin.go.jp › faq",
            "「ねんきんネット」サービスはどのような人が対象者となりますか。",
        ),
    ]


def _myna(myna_href: str) -> list[Result]:
    return [
        Result(
            "マイナポータル",
            "myna.go.jp",
            "行政手続の検索やオンライン申請、行政機関からのお知らせの確認などができる、"
            "政府が運営するオンラインサービスです。",
            myna_href,
        ),
        Result(
            "マイナポータルの使い方｜よくあるご質問",
            "faq.myna.go.jp",
            "マイナンバーカードを使ったログインの方法などをご案内しています。",
        ),
    ]


def _generic(query: str) -> list[Result]:
    return [
        Result(f"{query} - 百科事典", "ja.example.org › wiki", f"{query}についての解説です。"),
        Result(
            f"{query}とは？意味や使い方をわかりやすく解説",
            "kotoba.example.jp",
            f"{query}の意味、使い方、関連する言葉をまとめました。",
        ),
        Result(f"{query}に関するニュース", "news.example.jp", f"{query}に関する最新のニュース。"),
    ]


def results_for(query: str, nenkin_href: str, myna_href: str) -> list[Result]:
    """Results for `query`; the simulated sites come first when the query names them."""
    compact = "".join(query.split())
    found: list[Result] = []
    if "ねんきんネット" in compact or "ねんきんねっと" in compact:
        found += _nenkin(nenkin_href)
    if "マイナポータル" in compact:
        found += _myna(myna_href)
    return found or _generic(query.strip())
