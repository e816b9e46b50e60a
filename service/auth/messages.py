"""ja/en messages of the accounts domain, by stable code (newer code reads them from here)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "auth.bad_credentials": ("メールアドレスまたはパスワードが違います。", "Wrong email or password."),
    "auth.too_many_attempts": (
        "ログイン試行が多すぎます。Retry-After の秒数だけ待ってから再度お試しください。",
        "Too many failed logins. Wait the seconds given in Retry-After, then try again.",
    ),
    "auth.too_many_signups": (
        "この接続元からの登録が多すぎます。しばらくしてから再度お試しください。",
        "Too many sign-ups from this address. Try again later.",
    ),
    "auth.account_disabled": ("このアカウントは無効です。", "This account is disabled."),
    "auth.verification_invalid": (
        "確認用トークンが無効か、期限が切れているか、すでに使われています。",
        "The verification token is invalid, expired or already used.",
    ),
    "auth.email_taken": (
        "このメールアドレスはすでに登録されています。",
        "An account with this email already exists.",
    ),
    "email.invalid": ("メールアドレスの形式が正しくありません。", "This is not a valid email address."),
    "email.invisible_characters": (
        "メールアドレスに見えない文字（ゼロ幅文字・書字方向制御文字など）が含まれています。",
        "The email address contains invisible characters (zero-width or bidi controls).",
    ),
    "email.mixed_scripts": (
        "メールアドレスに複数の文字体系（例: ラテン文字とキリル文字）が混在しています。",
        "The email address mixes scripts (for example Latin and Cyrillic letters).",
    ),
    "oidc.no_pending_link": (
        "確認待ちの外部アカウント連携はありません。",
        "There is no external sign-in waiting to be linked.",
    ),
    "oidc.link_admin_refused": (
        "管理者アカウントには外部ログインを連携できません。パスワードでログインしてください。",
        "External sign-ins cannot be linked to an admin account; admins sign in with their password.",
    ),
    "oidc.identity_taken": (
        "この外部アカウントはすでに別のアカウントに連携されています。",
        "This external sign-in is already linked to another account.",
    ),
}


def message(code: str) -> tuple[str, str]:
    """The (ja, en) pair of ``code``."""
    return MESSAGES[code]
