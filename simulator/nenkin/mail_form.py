"""The e-mail / ペーパーレス化 form: field values in, a draft or every error out (pure)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from simulator.nenkin.rules import choice_error, email_errors

# Radio values and how the screens print them.
NOTIFY_LABELS = {"1": "希望する", "0": "希望しない"}
PAPERLESS_LABELS = {"0": "ペーパーレス化しない", "1": "ペーパーレス化する"}
PAPERLESS_CHOICE = "「ねんきん定期便」のペーパーレス化の希望"
FIELDS = ("email", "email_again", "notify_mail", "paperless")


@dataclass(frozen=True)
class MailDraft:
    email: str
    notify_mail: bool
    paperless: bool


def check_mail_form(
    form: Mapping[str, str], *, taken: Callable[[str], bool]
) -> tuple[MailDraft | None, dict[str, str]]:
    """A draft when every field is right, else None and one message per wrong field."""
    email = form.get("email", "")
    errors = email_errors(email, form.get("email_again", ""), taken=taken)
    notify = form.get("notify_mail")
    paperless = form.get("paperless")
    if message := choice_error(notify, NOTIFY_LABELS, "お知らせメールの配信希望"):
        errors["notify_mail"] = message
    if message := choice_error(paperless, PAPERLESS_LABELS, PAPERLESS_CHOICE):
        errors["paperless"] = message
    if errors:
        return None, errors
    return MailDraft(email=email, notify_mail=notify == "1", paperless=paperless == "1"), {}


def state_label(value: int | None, labels: Mapping[str, str]) -> str:
    """A stored 1/0/NULL choice as printed under 現在の…状態."""
    return "未登録" if value is None else labels[str(value)]
