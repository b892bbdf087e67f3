"""ユーザIDの発行を申し込む: 利用規約, (入力), (確認), (完了) and the ユーザID確認用URL.

`?key=yes` is the application with an アクセスキー (the ID comes by e-mail at once),
`?key=no` the one without (the ID comes by post). The pending application waits in the
session between (入力) and (確認); its password only as a hash.
"""

from __future__ import annotations

from typing import Any, Literal

from flask import abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from simulator import sandbox
from simulator.nenkin import accounts, application, bp, credentials, identity, issue, rules

Kind = Literal["yes", "no"]
TERMS_REFUSED = (
    "ご利用登録を続けるには、利用規約をご確認の上、「同意する」にチェックを入れてください。"
)
# The fields that identify the applicant; the identity check waits until they are valid.
IDENTITY_FIELDS = frozenset(
    {"access_key", "kiso_upper", "family_name", "given_name", "family_kana", "given_kana", "era"}
)


def _kind() -> Kind:
    kind = request.args.get("key")
    if kind == "yes":
        return "yes"
    if kind == "no":
        return "no"
    abort(404)


def _page_args(kind: Kind) -> dict[str, Any]:
    return {
        "kind": kind,
        "with_key": kind == "yes",
        "rules": rules,
        "fields": application.fields_for(kind == "yes"),
    }


@bp.route("/userid/terms", methods=["GET", "POST"])
def userid_terms() -> str | Response:
    kind = _kind()
    error = None
    if request.method == "POST":
        if request.form.get("agree") == "on":
            session["nenkin_terms"] = kind
            return redirect(url_for("nenkin.userid_apply", key=kind))
        error = TERMS_REFUSED
    return render_template("nenkin/userid/terms.html", kind=kind, error=error)


@bp.route("/userid/apply", methods=["GET", "POST"])
def userid_apply() -> str | Response:
    kind = _kind()
    if session.get("nenkin_terms") != kind:
        return redirect(url_for("nenkin.userid_terms", key=kind))
    with_key = kind == "yes"
    if request.method == "GET":
        pending: dict[str, Any] = session.get("nenkin_pending") or {}
        editing = request.args.get("edit") == "1" and pending.get("kind") == kind
        values = dict(pending["values"]) if editing else {}
        # The 注意事項 dialog greets a fresh form only, not a return from (確認).
        return render_template(
            "nenkin/userid/apply.html",
            values=values,
            errors={},
            notice=not editing,
            **_page_args(kind),
        )
    values = application.read_form(request.form, with_key)
    errors = application.validate(
        values, with_key=with_key, today=sandbox.now().date(), taken=credentials.email_taken
    )
    persona_key = _identify(values, with_key, errors)
    if errors or persona_key is None:
        kept = {k: v for k, v in values.items() if k not in application.SECRET}
        return render_template(
            "nenkin/userid/apply.html", values=kept, errors=errors, notice=False, **_page_args(kind)
        )
    session["nenkin_pending"] = {
        "kind": kind,
        "persona": persona_key,
        "values": {k: v for k, v in values.items() if k not in application.SECRET},
        "password_hash": accounts.hash_password(values["password"]),
    }
    return redirect(url_for("nenkin.userid_review"))


def _identify(values: dict[str, str], with_key: bool, errors: dict[str, str]) -> str | None:
    """The applicant, once the fields that identify them are valid; else adds the reason."""
    if any(name in errors for name in IDENTITY_FIELDS):
        return None
    if with_key:
        problem = identity.access_key_problem(values["access_key"], sandbox.now().date())
        if problem:
            errors["access_key"] = problem
            return None
    persona_key, problem = identity.find_applicant(
        values, with_key=with_key, has_user_id=credentials.has_user_id
    )
    if problem:
        errors["identity"] = problem
    return persona_key


@bp.route("/userid/review", methods=["GET", "POST"])
def userid_review() -> str | Response:
    pending = session.get("nenkin_pending")
    if not pending:
        return redirect(url_for("nenkin.register"))
    kind: Kind = pending["kind"]
    if request.method == "POST":
        session.pop("nenkin_pending")
        user_id = issue.issue(
            pending["persona"],
            pending["values"],
            pending["password_hash"],
            with_key=kind == "yes",
        )
        session["nenkin_issued"] = {"kind": kind, "user_id": user_id}
        return redirect(url_for("nenkin.userid_complete"))
    return render_template(
        "nenkin/userid/review.html", values=pending["values"], **_page_args(kind)
    )


@bp.get("/userid/complete")
def userid_complete() -> str | Response:
    issued = session.get("nenkin_issued")
    if not issued:
        return redirect(url_for("nenkin.register"))
    return render_template("nenkin/userid/complete.html", kind=issued["kind"])


@bp.get("/userid/check/<token>")
def userid_check(token: str) -> str:
    """ユーザID確認用URL, from the e-mail sent to applicants with an アクセスキー."""
    user_id = issue.user_id_for_token(token)
    if user_id is None:
        abort(404)
    return render_template("nenkin/userid/check.html", user_id=user_id)
