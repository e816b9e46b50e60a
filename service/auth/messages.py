"""The accounts domain's messages, ja and en, by stable code: its errors, the OIDC relying
party's refusals (service/auth/oidc.py, which stays free of the web framework: this module
imports msgspec only) and the mails it sends (subject and body, ``mail.*``)."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "auth",
    {
        "auth.bad_credentials": Text(ja="メールアドレスまたはパスワードが違います。", en="Wrong email or password."),
        "auth.too_many_attempts": Text(
            ja="ログイン試行が多すぎます。Retry-After の秒数だけ待ってから再度お試しください。",
            en="Too many failed logins. Wait the seconds given in Retry-After, then try again.",
        ),
        "auth.too_many_signups": Text(
            ja="この接続元からの登録が多すぎます。しばらくしてから再度お試しください。",
            en="Too many sign-ups from this address. Try again later.",
        ),
        "auth.account_disabled": Text(ja="このアカウントは無効です。", en="This account is disabled."),
        "auth.verification_invalid": Text(
            ja="確認用トークンが無効か、期限切れか、使用済みか、またはパスワードが登録時のものと異なります。",
            en="The verification token is invalid, expired or already used, or the password is not the one "
            "chosen at sign-up.",
        ),
        "auth.email_taken": Text(
            ja="このメールアドレスはすでに登録されています。", en="An account with this email already exists."
        ),
        "auth.role_not_self_service": Text(
            ja="銀行・管理者の役割は管理者が付与します。", en="Bank and admin roles are granted by an admin."
        ),
        "auth.signup_accepted": Text(
            ja="確認メールを送信しました。メール内のリンクから登録を完了してください。",
            en="We sent you an email. Follow its link to finish signing up.",
        ),
        "email.invalid": Text(ja="メールアドレスの形式が正しくありません。", en="This is not a valid email address."),
        "email.invisible_characters": Text(
            ja="メールアドレスに見えない文字（ゼロ幅文字・書字方向制御文字など）が含まれています。",
            en="The email address contains invisible characters (zero-width or bidi controls).",
        ),
        "email.mixed_scripts": Text(
            ja="メールアドレスに複数の文字体系（例: ラテン文字とキリル文字）が混在しています。",
            en="The email address mixes scripts (for example Latin and Cyrillic letters).",
        ),
        # --- signing in with an external provider ---------------------------------------------
        "oidc_provider.not_found": Text(ja="OIDC プロバイダが見つかりません。", en="Oidc provider not found."),
        "oidc.no_pending_link": Text(
            ja="確認待ちの外部アカウント連携はありません。", en="There is no external sign-in waiting to be linked."
        ),
        "oidc.link_admin_refused": Text(
            ja="管理者アカウントには外部ログインを連携できません。パスワードでログインしてください。",
            en="External sign-ins cannot be linked to an admin account; admins sign in with their password.",
        ),
        "oidc.identity_taken": Text(
            ja="この外部アカウントはすでに別のアカウントに連携されています。",
            en="This external sign-in is already linked to another account.",
        ),
        "oidc.state_mismatch#no_cookie": Text(
            ja="ログイン要求が見つかりません。最初からやり直してください。",
            en="No login in progress in this browser; start again.",
        ),
        "oidc.state_mismatch#expired": Text(ja="ログイン要求の期限が切れています。", en="The login request expired."),
        # the relying party's refusals (OIDCError)
        "oidc.discovery_failed": Text(
            ja="認証基盤の設定を取得できません。", en="Cannot load the provider configuration."
        ),
        "oidc.provider_error": Text(ja="認証基盤がログインを拒否しました。", en="The provider refused the login."),
        "oidc.missing_code": Text(ja="認可コードがありません。", en="The callback has no authorization code."),
        "oidc.state_mismatch": Text(ja="ログイン要求が一致しません。", en="The login request does not match."),
        "oidc.token_exchange_failed": Text(
            ja="トークンを取得できません。", en="Could not exchange the code for tokens."
        ),
        "oidc.invalid_id_token": Text(ja="IDトークンが無効です。", en="The ID token is invalid."),
        "oidc.nonce_mismatch": Text(ja="IDトークンが要求と一致しません。", en="The ID token is not for this login."),
        # --- mails (service/auth/mails.py), in the recipient's preferred language ------------
        "mail.verify_email.subject": Text(ja="【Kyoso】メールアドレスの確認", en="[Kyoso] Confirm your email address"),
        "mail.verify_email.body": Text(
            ja="Kyoso（共創）へのご登録ありがとうございます。\n\n"
            "次のリンクを開き、登録時に設定したパスワードを入力して、メールアドレスを確認してください"
            "（{hours}時間有効、1回のみ使用可）:\n"
            "{link}\n\n"
            "API から確認する場合: POST /api/v1/auth/verify-email に "
            '{{"token": "{token}", "password": "登録時のパスワード"}} を送信してください。\n\n'
            "このメールに心当たりがない場合、またはパスワードに覚えがない場合は、何もせずに破棄してください。"
            "アカウントは作成されません。\n",
            en="Thank you for signing up to Kyoso.\n\n"
            "Open this link and confirm with the password you chose when signing up "
            "(valid for {hours} hours, once):\n"
            "{link}\n\n"
            "Through the API: POST /api/v1/auth/verify-email with "
            '{{"token": "{token}", "password": "the password you chose"}}.\n\n'
            "If you did not sign up, or do not know the password, ignore this mail; no account is created.\n",
        ),
        "mail.already_registered.subject": Text(
            ja="【Kyoso】ご登録済みのメールアドレスで登録が試みられました",
            en="[Kyoso] Someone tried to sign up with your address",
        ),
        "mail.already_registered.body": Text(
            ja="このメールアドレスで Kyoso（共創）への新規登録が試みられましたが、"
            "このアドレスのアカウントはすでにあります。\n\n"
            "ご自身の操作であれば、新規登録ではなくログインしてください: {login}\n"
            "心当たりがない場合は、このメールを破棄してください。アカウントは変更されていません。\n",
            en="Someone tried to create a Kyoso account with this address, which already has one.\n\n"
            "If it was you, sign in instead: {login}\n"
            "If it was not, ignore this mail; your account has not been changed.\n",
        ),
    },
)

__all__ = ["MESSAGES"]
