"""harness.drift.textdiff: screen text changes as a reader would name them."""

from __future__ import annotations

from harness.drift.textdiff import LineChange, diff_lines, summary

BASE = "ねんきんネット\nログイン\n\nユーザIDをお持ちの方\n新規登録\n"


def test_same_text_has_no_changes():
    assert diff_lines(BASE, BASE) == []
    assert summary([]) == "no text changes"


def test_blank_lines_and_trailing_spaces_are_noise():
    noisy = "ねんきんネット  \n\n\nログイン\nユーザIDをお持ちの方\t\n新規登録"
    assert diff_lines(BASE, noisy) == []


def test_renamed_button_is_one_change_with_line_numbers():
    new = BASE.replace("新規登録", "新規登録はこちら")
    assert diff_lines(BASE, new) == [
        LineChange("changed", "新規登録", "新規登録はこちら", 5, 5),
    ]


def test_single_line_replaced_by_unrelated_text_is_still_a_change():
    changes = diff_lines("ログイン", "次へ")
    assert [c.kind for c in changes] == ["changed"]


def test_added_and_removed_lines():
    new = "ねんきんネット\nお知らせ\nログイン\nユーザIDをお持ちの方\n"
    changes = diff_lines(BASE, new)
    assert changes == [
        LineChange("added", None, "お知らせ", None, 2),
        LineChange("removed", "新規登録", None, 5, None),
    ]
    assert summary(changes) == "1 line added, 1 removed"


def test_replaced_block_pairs_similar_lines_and_keeps_the_rest_apart():
    old = "ねんきんネット\n年金見込額を確認する\n受給状況\nログアウト"
    new = "ねんきんネット\nお知らせ一覧\n年金見込額を試算する\nログアウト"
    changes = diff_lines(old, new)
    assert changes == [
        LineChange("added", None, "お知らせ一覧", None, 2),
        LineChange("changed", "年金見込額を確認する", "年金見込額を試算する", 2, 3),
        LineChange("removed", "受給状況", None, 3, None),
    ]
    assert summary(changes) == "1 line changed, 1 added, 1 removed"


def test_summary_counts_plural_lines():
    changes = diff_lines(
        "年金記録を確認\nログインする\n終了", "年金記録の確認\nログインします\n終了"
    )
    assert summary(changes) == "2 lines changed"


def test_describe_reads_as_one_line():
    added, removed, changed = (
        LineChange("added", None, "お知らせ", None, 2),
        LineChange("removed", "新規登録", None, 5, None),
        LineChange("changed", "ログイン", "サインイン", 2, 2),
    )
    assert added.describe() == "added line 2: 'お知らせ'"
    assert removed.describe() == "removed line 5: '新規登録'"
    assert changed.describe() == "changed line 2: 'ログイン' → 'サインイン'"
