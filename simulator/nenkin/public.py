"""ねんきんネット public pages: the top page, 新規登録, ログイン and ログアウト.

The user-ID application lives in `userid`, imported at the bottom so its routes register
on the same blueprint.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from simulator.nenkin import accounts, bp, credentials

LOGIN_FAILED = "ユーザIDまたはパスワードが正しくありません。"
LOCKED = (
    f"このユーザIDは、パスワードを{credentials.MAX_FAILED_LOGINS}回続けて間違えたため"
    "ロックされています。ログインするには、ユーザIDの発行を再度お申し込みいただくか、"
    "「ねんきん定期便・ねんきんネット専用番号」（0570-058-555）にお問い合わせください。"
)


@bp.get("/")
def top() -> str | Response:
    if accounts.current_user() is not None:
        return redirect(url_for("nenkin.home"))
    return render_template("nenkin/top.html")


@bp.get("/register")
def register() -> str:
    """新規登録: the blue band opens the choice of how to register."""
    return render_template("nenkin/register.html")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if request.method == "GET":
        return render_template("nenkin/login.html", band_open=False, errors={}, user_id="")
    user_id = request.form.get("user_id", "").strip()
    password = request.form.get("password", "")
    errors: dict[str, str] = {}
    if not user_id:
        errors["user_id"] = "ユーザIDを入力してください。"
    if not password:
        errors["password"] = "パスワードを入力してください。"
    if not errors:
        problem = _check_credentials(user_id, password)
        if problem is None:
            return redirect(url_for("nenkin.home"))
        errors["login"] = problem
    return render_template("nenkin/login.html", band_open=True, errors=errors, user_id=user_id)


def _check_credentials(user_id: str, password: str) -> str | None:
    """Log the account in, or say why not; wrong passwords count towards the lock."""
    row = credentials.account_by_user_id(user_id)
    if row is None:
        return LOGIN_FAILED
    if row["locked"]:
        return LOCKED
    if not accounts.password_matches(row["password_hash"], password):
        return LOCKED if credentials.record_failed_login(row) else LOGIN_FAILED
    accounts.login_user(row["persona"], "userid")
    return None


@bp.post("/logout")
def logout() -> Response:
    accounts.logout_user()
    return redirect(url_for("nenkin.top"))


from simulator.nenkin import userid  # noqa: E402, F401
