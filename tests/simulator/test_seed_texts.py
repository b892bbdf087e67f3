"""Every screen says what the guide's screenshots say (shared/seeds/…: the screen texts).

Each screen is reached the way a person reaches it (forms posted with their tokens, the
card tapped through the hooks), and its text is compared with the seed's wording after
NFKC and without spaces, since the seed was typed from pictures (（入力） vs (入力)).
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.simulator.conftest import IPHONE_UA, submit, text_of

PUBLIC_FOOTER = ["個人情報保護", "利用規約", "アクセシビリティの取組み", "動作環境"]
MEMBER_FOOTER = [
    *PUBLIC_FOOTER,
    "「ねんきんネット」利用マニュアル",
    "よくある質問",
    "日本年金機構 Japan Pension Service",
    "日本年金機構 法人番号4011305001653 〒168-8505 東京都杉並区高井戸西3-5-24",
]


class _Text(HTMLParser):
    """The words a person can read: text content, button values, placeholders."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        if tag == "input" and values.get("type") in ("submit", "button"):
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def readable(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return normalise("".join(parser.parts))


def assert_says(html: str, texts: list[str]) -> None:
    screen = readable(html)
    missing = [text for text in texts if normalise(text) not in screen]
    assert not missing, f"not on the screen: {missing}"


def hook(client: FlaskClient, path: str, body: dict[str, str] | None = None) -> None:
    assert client.post(f"/_sim/{path}", json=body or {}).status_code == 200


def card_login(client: FlaskClient, persona: str, pin: str) -> None:
    hook(client, "persona", {"persona": persona})
    assert submit(client, "/myna/login", {"pin": pin}).status_code == 302
    hook(client, "card/tap")
    hook(client, "card/remove")
    assert client.get("/myna/login/finish").headers["Location"] == "/myna/home"


def userid_login(client: FlaskClient) -> None:
    response = submit(
        client, "/nenkin/login", {"user_id": "NK5555666777", "password": "Renshu2026pw"}
    )
    assert response.headers["Location"] == "/nenkin/home"


@pytest.fixture
def quick(app: Flask) -> Flask:
    app.config["MYNA_LONGPOLL_SECONDS"] = 0.05
    return app


def test_top_register_and_login_pages(client: FlaskClient) -> None:
    assert_says(text_of(client.get("/nenkin/")), ["新規登録", "ログイン", *PUBLIC_FOOTER])
    assert_says(
        text_of(client.get("/nenkin/register")),
        [
            "マイナンバーカードあり",
            "年金記録・見込額を見る",
            "※マイナポータルから利用登録する場合、初回利用登録が可能な時間帯は、平日8時から"
            "23時までとなっており、時間帯によっては連携するまでに時間がかかる場合があります。",
            "ユーザIDの取得",
            "「ねんきんネット」のユーザIDを取得の上、「ねんきんネット」から利用登録をします。"
            "アクセスキーを持っている方と持っていない方で登録方法が異なります。",
            "ユーザIDの取得に必要な17桁の番号です",
            "アクセスキーがなくてもユーザIDは取得できます。",
        ],
    )
    assert_says(
        text_of(client.get("/nenkin/login")),
        ["マイナポータルからログイン", "ユーザID", "パスワード"],
    )


APPLY_COMMON = [
    "ユーザIDの発行を申し込む（入力）",
    "ユーザIDの発行には、以下項目の入力をお願いしております。",
    "基礎年金番号入力",
    "基礎年金番号がわからない方へ",
    "半角数字（上4桁、下6桁）で入力してください。",
    "（例：0045-135784）",
    "氏名入力",
    "全角文字（姓・名それぞれ23文字以内）で入力してください。",
    "氏名（フリガナ）",
    "全角カタカナ（姓・名それぞれ23文字以内）で入力してください。",
    "生年月日入力",
    "以下の元号を必ず選択の上、年月日は半角数字で入力してください。",
    "※元号をよくご確認ください。",
    "令和",
    "平成",
    "昭和",
    "大正",
    "明治",
    "性別選択",
    "男性",
    "女性",
    "6 お客様設定パスワード入力",
    "お客様設定パスワードはユーザIDと共に、サービスご利用時の本人確認のため",
    "他者から推測されにくいものを設定してください。",
    "半角英数字混在（8～20桁）で入力してください。記号は使用できません。",
    "お客様設定パスワード（再入力）",
    "7 秘密の質問と答えの設定",
    "秘密の質問と答えについての説明",
    "秘密の質問",
    "お選びください",
    "秘密の答え",
    "次の文字で入力してください。",
    "※ 全角（例：年金）",
    "※ 半角英数大文字（例：ABC123）",
    "8 メールアドレス入力",
    "重要なお知らせについて配信いたします。",
    "ドメイン指定受信を設定する場合は、「idpass-net.nenkin.go.jp」を指定してください。",
    "※ すでに「ねんきんネット」に登録されているメールアドレスは登録することができません。",
    "半角英数字または半角記号（255文字以内）で入力してください。",
    "メールアドレス（再入力）",
    "9 お知らせメール希望",
    "「希望する」を選択された場合、登録したメールアドレスに日本年金機構",
    "重要なお知らせについては配信いたしますので、ご了承ください。",
    "お知らせメール配信希望",
    "希望する",
    "希望しない",
    "10 電話番号入力",
    "電話番号",
    "（例：00-1111-2222）",
    "（例：090-1234-5678）",
    "次に進む（入力内容を確認する）",
    "ねんきんネット（申請用トップページ）へ戻る",
]


@pytest.mark.parametrize(
    ("key", "texts"),
    [
        (
            "yes",
            [
                "アクセスキー",
                "ユーザIDご確認用のURLをお知らせするメールをお送りいたしますが",
                "迷惑メールフォルダもご確認ください。",
            ],
        ),
        (
            "no",
            [
                "入力いただいた内容を確認し、「ユーザIDのお知らせ」のハガキを郵送させていただきます。",
                "（※郵送されるまで5営業日程度かかります。）",
                "5 郵便番号と住所入力",
                "郵便番号",
                "※ 日本国外にお住まいの方は、888-8888と入力してください。",
                "都道府県",
                "住所",
                "海外住所、国名および氏名をアルファベット大文字で入力してください。",
            ],
        ),
    ],
)
def test_user_id_application_form(client: FlaskClient, key: str, texts: list[str]) -> None:
    terms = f"/nenkin/userid/terms?key={key}"
    assert_says(text_of(client.get(terms)), ["同意する", "ご利用登録を続ける"])
    response = submit(client, terms, {"agree": "on"})
    assert response.status_code == 302
    assert_says(text_of(client.get(response.headers["Location"])), [*APPLY_COMMON, *texts])


def test_mail_settings_through_mynaportal(quick: Flask) -> None:
    client = quick.test_client()
    card_login(client, "hanako", "1234")
    assert submit(client, "/myna/links/nenkin/terms", {"agree": "1"}).status_code == 302
    entry = client.get("/myna/links/nenkin/open")
    assert client.get(entry.headers["Location"]).headers["Location"] == "/nenkin/mail"
    assert_says(
        text_of(client.get("/nenkin/mail")),
        [
            "メールアドレスを登録・変更する／ねんきん定期便のペーパーレス化（入力）",
            "ねんきん定期便のペーパーレス化の希望が登録されていません。"
            "あなたのペーパーレス化の希望を登録してください。",
            "メールアドレスの登録",
            "「ねんきんネット」を利用する際、メールアドレスの登録が必要となります。",
            "※ マイナポータルとの連携を解除した場合、「ねんきんネット」が利用できなくなります。",
            "メールアドレスについての説明",
            "登録メールアドレスを入力してください 必須",
            "(例: riyuu-toroku@xxxxxxxxx.go.jp)",
            "登録メールアドレスを再入力してください 必須",
            "日本年金機構からのお知らせメールの配信希望",
            "お知らせメール配信希望についての説明",
            "現在のお知らせメールの配信希望状態",
            "未登録",
            "ねんきん定期便（日本年金機構発行分のみ）のペーパーレス化",
            "「電子版」ねんきん定期便をご利用ください",
            "郵送よりも早い！",
            "紙よりも1〜2か月程度早く内容を確認できます",
            "管理が簡単！",
            "電子ファイルだから保存や管理が簡単です",
            "ECO！",
            "紙資源の節約など環境にやさしくなります",
            "ねんきん定期便のペーパーレス化についての説明",
            "ペーパーレス化しない",
            "ペーパーレス化する",
            "登録／変更内容を確認する",
            "マイナポータルとの連携を解除する",
        ],
    )
    form = {
        "email": "hanako.yamada@example.jp",
        "email_again": "hanako.yamada@example.jp",
        "notify_mail": "1",
        "paperless": "1",
    }
    confirm = submit(client, "/nenkin/mail", form)
    assert confirm.status_code == 302, readable(text_of(confirm))[:300]
    assert_says(
        text_of(client.get(confirm.headers["Location"])),
        [
            "メールアドレスを登録・変更する／ねんきん定期便のペーパーレス化（確認）",
            "登録するメールアドレス",
            "hanako.yamada@example.jp",
            "日本年金機構からのお知らせメールの配信希望",
            "「ねんきん定期便」（日本年金機構発行分のみ）",
            "入力内容を登録する",
            "入力内容を修正する",
        ],
    )
    done = submit(client, "/nenkin/mail/confirm", {"action": "register"})
    assert_says(
        text_of(client.get(done.headers["Location"])),
        [
            "メールアドレスを登録・変更する／ねんきん定期便のペーパーレス化（変更）",
            "メールアドレスおよびねんきん定期便のペーパーレス化について変更しました。",
            "ねんきんネット（トップページ）へ戻る",
            *MEMBER_FOOTER,
        ],
    )
    assert_says(
        text_of(client.get("/nenkin/home")),
        [
            "日本年金機構からのお知らせ",
            "マイナンバーカードでマイナポータルにログインすれば、「ねんきんネット」のユーザーID、"
            "パスワードを入力することなく「ねんきんネット」にログインできます。",
            "社会保険料（国民年金保険料）控除証明書",
            "公的年金等の源泉徴収票",
            "平成31年4月から国民年金保険料の産前産後期間の免除制度が始まりました。",
            "閉じる",
        ],
    )


def test_member_top_records_and_notices(client: FlaskClient) -> None:
    userid_login(client)
    assert_says(
        text_of(client.get("/nenkin/home")),
        [
            "最新のログイン日時",
            "電子版「ねんきん定期便」が作成されました。詳しくは「通知書を確認する」をご覧ください。",
            "ユーザーID・パスワードの管理について",
            "利用者情報",
            "氏名",
            "様",
            "基礎年金番号",
            "郵便番号・住所・性別・生年月日",
            "マイナンバー（個人番号）収録状況",
            "収録済",
            "「ねんきん定期便・ねんきんネット専用番号」またはお近くの「年金事務所」にご連絡ください。",
            "マイナンバーについては、「年金Q&A」をご覧ください。",
            "年金記録を確認する",
            "通知書を確認する",
            "届書を電子申請する",
        ],
    )
    assert_says(text_of(client.get("/nenkin/records")), ["一覧で年金記録を確認する"])
    assert_says(
        text_of(client.get("/nenkin/records/list")),
        [
            "月別の年金記録を確認する",
            "年度（年齢）",
            "お勤め先の名称等",
            "加入月数",
            "1年間の保険料納付額",
            "年金見込額（年額）",
            "国年 第3号被保険者",
            "12月",
        ],
    )
    assert_says(
        text_of(client.get("/nenkin/notices")),
        [
            "電子版「ねんきん定期便」",
            "日本年金機構が発行する「ねんきん定期便」の対象者は、以下のとおりです。",
            "国民年金に加入している方",
            "厚生年金保険（第1号厚生年金被保険者）に加入している方",
            "電子版「ねんきん定期便」は",
            "に更新されました。",
            "電子版「ねんきん定期便」の最終確認日",
            "ダウンロード",
            "PDF",
        ],
    )
    assert_says(
        text_of(client.get("/nenkin/e-apply")),
        [
            "※届出の電子申請には、マイナポータルからのログインが必要です。",
            "ユーザIDを用いてねんきんネットからログインしている方は利用することが出来ません。",
        ],
    )


def test_e_application_through_mynaportal(quick: Flask) -> None:
    client = quick.test_client()
    card_login(client, "ichiro", "5678")
    assert client.get("/myna/links/nenkin/open").status_code == 302
    assert client.get("/nenkin/myna-entry").headers["Location"] == "/nenkin/home"
    assert_says(
        text_of(client.get("/nenkin/e-apply")),
        [
            "ご利用対象者",
            "マイナポータルから「ねんきんネット」を利用している方",
            "電子申請が可能な届書",
            "公的年金等の受給者の扶養親族等申告書",
            "作成する届書を選択する",
        ],
    )
    assert_says(
        text_of(client.get("/nenkin/e-apply/forms")),
        ["公的年金等の受給者の扶養親族等申告書", "作成する"],
    )


def test_mynaportal_screens(quick: Flask) -> None:
    client = quick.test_client()
    assert_says(text_of(client.get("/myna/")), ["ログイン"])
    hook(client, "persona", {"persona": "hanako"})
    read = submit(client, "/myna/login", {"pin": "1234"})
    assert_says(text_of(client.get(read.headers["Location"])), ["マイナンバーカードを後ろにかざす"])
    hook(client, "card/tap")
    assert_says(text_of(client.get("/myna/login/read/complete")), ["読み取りが完了しました"])
    hook(client, "card/remove")
    client.get("/myna/login/finish")
    assert_says(text_of(client.get("/myna/home")), ["≡"])
    links = text_of(client.get("/myna/links"))
    assert_says(links, ["外部サイトとの連携", "ねんきんネット", "つながる"])
    assert_says(text_of(client.get("/myna/links/nenkin/terms")), ["利用規約", "同意する", "次へ"])
    done = submit(client, "/myna/links/nenkin/terms", {"agree": "1"})
    assert_says(text_of(client.get(done.headers["Location"])), ["閉じる"])
    assert_says(text_of(client.get("/myna/links")), ["つながっているウェブサイト"])


@pytest.mark.parametrize(("agent", "enter_key"), [(None, "→"), (IPHONE_UA, "開く")])
def test_phone_search_and_keyboard(client: FlaskClient, agent: str | None, enter_key: str) -> None:
    headers = {"User-Agent": agent} if agent else {}
    start = client.get("/phone/", headers=headers)
    browser = "Safari" if agent else "Chrome"
    assert f'aria-label="{browser}"' in text_of(start)
    page = "/phone/safari" if agent else "/phone/chrome"
    assert_says(text_of(client.get(page, headers=headers)), [enter_key])
    results = client.get("/phone/search", query_string={"q": "ねんきんネット"}, headers=headers)
    assert_says(text_of(results), ["ねんきんネット"])
