"""通知書を確認する: the notice blocks, real PDF downloads and 最終確認日."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from simulator.config import TOKYO
from simulator.db import connect
from simulator.nenkin.notice_pdf import render_notice_pdf
from simulator.personas import load_personas
from tests.simulator.test_nenkin_member import assert_shows, login_userid, page_text, post_form


def test_notices_page_shows_each_notice_with_the_guides_texts(client: FlaskClient) -> None:
    login_userid(client, "kazuko")
    response = client.get("/nenkin/notices")
    assert response.status_code == 200
    assert_shows(
        response,
        "通知書を確認する",
        "電子版「ねんきん定期便」",
        "日本年金機構が発行する「ねんきん定期便」の対象者は、以下のとおりです。",
        "・国民年金に加入している方",
        "・厚生年金保険（第1号厚生年金被保険者）に加入している方",
        "電子版「ねんきん定期便」は 令和8年6月1日 に更新されました。",
        "電子版「ねんきん定期便」の最終確認日",
        "令和8年6月3日",
        "電子版「被保険者記録照会回答票」は 令和8年4月10日 に更新されました。",
        "社会保険料（国民年金保険料）控除証明書は 令和7年11月1日 に更新されました。",
        "ダウンロード PDF",
    )
    html = response.get_data(as_text=True)
    for notice in load_personas()["kazuko"].notices:
        assert f'action="/nenkin/notices/{notice.id}/download"' in html
    assert html.count(">未確認<") == 2  # never downloaded: hihokensha and kojo


def test_download_returns_a_real_pdf_and_records_the_day(app: Flask, client: FlaskClient) -> None:
    login_userid(client, "kazuko")
    response = post_form(client, "/nenkin/notices", "/nenkin/notices/hihokensha/download", {})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="nenkin-hihokensha.pdf"'
    )
    body = response.get_data()
    assert body.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(body))
    assert len(reader.pages) == 1
    assert reader.metadata is not None
    assert reader.metadata.title == "電子版「被保険者記録照会回答票」"
    assert list(reader.pages[0].images)  # the drawn page

    # 最終確認日 is now the simulator's today, for this notice only.
    with client.session_transaction() as session:
        sandbox_id = session["sandbox"]
    conn = connect(app.config["DATABASE"])
    try:
        rows = conn.execute(
            "SELECT notice, checked FROM nenkin_notice_check WHERE sandbox = ? AND persona = ?",
            (sandbox_id, "kazuko"),
        ).fetchall()
    finally:
        conn.close()
    assert [tuple(row) for row in rows] == [("hihokensha", "2026-11-24")]
    html = client.get("/nenkin/notices").get_data(as_text=True)
    assert html.count(">令和8年11月24日<") == 1
    assert html.count(">未確認<") == 1


def test_download_gives_the_same_bytes_every_time(client: FlaskClient) -> None:
    login_userid(client, "kazuko")
    first = post_form(client, "/nenkin/notices", "/nenkin/notices/teikibin/download", {})
    second = post_form(client, "/nenkin/notices", "/nenkin/notices/teikibin/download", {})
    assert first.get_data() == second.get_data()


def test_unknown_notice_is_not_found_and_records_nothing(client: FlaskClient) -> None:
    login_userid(client, "kazuko")
    response = post_form(client, "/nenkin/notices", "/nenkin/notices/nothing/download", {})
    assert response.status_code == 404
    assert "令和8年11月24日" not in page_text(client.get("/nenkin/notices"))


def test_download_needs_the_form_token(client: FlaskClient) -> None:
    login_userid(client, "kazuko")
    assert client.post("/nenkin/notices/teikibin/download").status_code == 400


@pytest.mark.parametrize("notice_index", [0, 1, 2])
def test_pdf_depends_only_on_its_inputs(notice_index: int) -> None:
    persona = load_personas()["hanako"]
    notice = persona.notices[notice_index]
    moment = datetime(2026, 11, 24, 10, 31, tzinfo=TOKYO)
    first = render_notice_pdf(persona, notice, created=moment)
    assert first == render_notice_pdf(persona, notice, created=moment)
    assert b"D:20261124013100Z" in first  # the given moment in UTC, not the wall clock
    other = render_notice_pdf(load_personas()["ichiro"], notice, created=moment)
    assert other != first  # a different person's notice is a different page
