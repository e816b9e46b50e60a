"""The accounts domain's mails, in Japanese and English (the recipient's preferred language)."""

from __future__ import annotations

from typing import Any

from service.outbox import mail_payload

_VERIFY = {
    "ja": (
        "【Kyoso】メールアドレスの確認",
        "Kyoso（共創）へのご登録ありがとうございます。\n\n"
        "次のリンクを開いて、メールアドレスを確認してください（{hours}時間有効、1回のみ使用可）:\n"
        "{link}\n\n"
        'API から確認する場合: POST /api/v1/auth/verify-email に {{"token": "{token}"}} を送信してください。\n\n'
        "このメールに心当たりがない場合は、何もせずに破棄してください。アカウントは作成されません。\n",
    ),
    "en": (
        "[Kyoso] Confirm your email address",
        "Thank you for signing up to Kyoso.\n\n"
        "Open this link to confirm your address (valid for {hours} hours, once):\n"
        "{link}\n\n"
        'Through the API: POST /api/v1/auth/verify-email with {{"token": "{token}"}}.\n\n'
        "If you did not sign up, ignore this mail; no account is created.\n",
    ),
}

_ALREADY = {
    "ja": (
        "【Kyoso】ご登録済みのメールアドレスで登録が試みられました",
        "このメールアドレスで Kyoso（共創）への新規登録が試みられましたが、"
        "このアドレスのアカウントはすでにあります。\n\n"
        "ご自身の操作であれば、新規登録ではなくログインしてください: {login}\n"
        "心当たりがない場合は、このメールを破棄してください。アカウントは変更されていません。\n",
    ),
    "en": (
        "[Kyoso] Someone tried to sign up with your address",
        "Someone tried to create a Kyoso account with this address, which already has one.\n\n"
        "If it was you, sign in instead: {login}\n"
        "If it was not, ignore this mail; your account has not been changed.\n",
    ),
}


def _lang(lang: str) -> str:
    return lang if lang in ("ja", "en") else "ja"


def verification_mail(*, to: str, lang: str, token: str, public_url: str, hours: int) -> dict[str, Any]:
    subject, body = _VERIFY[_lang(lang)]
    link = f"{public_url}/verify-email?token={token}"
    return mail_payload(to=to, subject=subject, text=body.format(link=link, token=token, hours=hours), secret=True)


def already_registered_mail(*, to: str, lang: str, public_url: str) -> dict[str, Any]:
    subject, body = _ALREADY[_lang(lang)]
    return mail_payload(to=to, subject=subject, text=body.format(login=f"{public_url}/login"))
