"""The common message catalogue: texts that belong to no single domain.

The problem handlers' generic texts and titles (service/errors.py), the request-shape checks
(service/request_checks.py, service/types.py, service/pagination.py), the translations of
msgspec's validation messages (service/validation_messages.py) and the sign-in and role checks
every domain's guards share (service/auth/principal.py).
"""

from __future__ import annotations

from service.messages import Catalogue, Text

COMMON = Catalogue(
    "common",
    {
        # --- request shape --------------------------------------------------------------------
        "validation.cursor": Text(ja="カーソルが不正です。", en="The cursor is invalid."),
        "validation.timezone": Text(ja="タイムゾーン付きで指定してください。", en="Give a timezone (e.g. Z)."),
        "validation.nul": Text(ja="NUL 文字は使えません。", en="NUL characters are not allowed."),
        "validation.invisible_name": Text(
            ja="見える文字を含め、制御文字・双方向制御文字を使わないでください（空白やゼロ幅文字だけの名前は使えません）。",
            en="Use at least one visible character and no control or bidi characters "
            "(a name of only spaces or zero-width characters is not a name).",
        ),
        "validation.date_out_of_range": Text(
            ja="{lo} から {hi} までの日付にしてください。", en="The date must be between {lo} and {hi}."
        ),
        "validation.too_deep": Text(
            ja="入れ子が深すぎます（最大 {depth} 階層）。", en="Nested too deeply (at most {depth} levels)."
        ),
        "validation.control_character": Text(
            ja="制御文字（NUL など）は使えません。", en="Control characters (such as NUL) are not allowed."
        ),
        "request.no_such_path": Text(ja="このパスはありません。", en="No such path."),
        "request.unsupported_media_type": Text(
            ja="JSON（application/json）で送ってください（受け取った形式: {content_type}）。",
            en="Send JSON (application/json); got {content_type}.",
        ),
        "request.unsupported_media_type#no_content_type": Text(ja="なし", en="no Content-Type"),
        "request.unsupported_media_type#json_only": Text(
            ja="application/json のみ受け付けます。", en="Only application/json is accepted."
        ),
        "request.invalid_utf8": Text(ja="本文が UTF-8 ではありません。", en="The body is not valid UTF-8."),
        # --- msgspec's and Litestar's validation messages, translated -------------------------
        "validation.failed": Text(ja="入力内容に誤りがあります。", en="The request is invalid."),
        "validation.required": Text(ja="必須項目です。", en="This field is required."),
        "validation.unknown_field": Text(ja="不明な項目です。", en="Unknown field."),
        "validation.range": Text(ja="{n} {op}の値を指定してください。", en="Must be {op} {n}."),
        "validation.length": Text(ja="長さは {n} {op}にしてください。", en="Length must be {op} {n}."),
        "validation.op_ge": Text(ja="以上", en=">="),
        "validation.op_le": Text(ja="以下", en="<="),
        "validation.op_gt": Text(ja="より大きい", en=">"),
        "validation.op_lt": Text(ja="未満", en="<"),
        "validation.pattern": Text(ja="形式が正しくありません。", en="Wrong format."),
        "validation.enum": Text(ja="使用できない値です: {v}", en="Not an allowed value: {v}"),
        "validation.format": Text(ja="{what} の形式が正しくありません。", en="Invalid {what}."),
        "validation.type": Text(
            ja="型が正しくありません（{t} が必要、{g} が渡されました）。", en="Expected {t}, got {g}."
        ),
        "validation.invalid": Text(ja="入力値が正しくありません: {message}", en="Invalid value: {message}"),
        # --- the problem handlers (service/errors.py) -----------------------------------------
        "request.malformed": Text(ja="リクエストを解釈できません: {detail}", en="Malformed request: {detail}"),
        "request.malformed#json": Text(ja="JSON として解釈できません。", en="Not valid JSON."),
        "request.malformed#body": Text(ja="リクエスト本文を解釈できません。", en="The request body cannot be parsed."),
        "conflict.duplicate": Text(ja="同じ値がすでに登録されています。", en="That value is already taken."),
        "conflict.duplicate#field": Text(ja="すでに使われています。", en="Already in use."),
        "validation.constraint": Text(ja="入力値が制約に違反しています。", en="The input violates a constraint."),
        "validation.constraint#field": Text(ja="制約 {name} に違反しています。", en="Violates {name}."),
        "validation.constraint#database": Text(ja="制約に違反しています。", en="The input violates a constraint."),
        "db.retry": Text(
            ja="同時に行われた別の更新と競合しました。少し待ってからもう一度お試しください。",
            en="This conflicted with a concurrent change; retry the request.",
        ),
        "db.unavailable": Text(
            ja="データベースに接続できません。しばらくしてからもう一度お試しください。",
            en="The database is unavailable; retry later.",
        ),
        "validation.rejected_by_database": Text(ja="保存できない値です。", en="A value cannot be stored."),
        "server.error": Text(ja="サーバーで問題が発生しました。", en="Something went wrong on our side."),
        # the problem's title, by status
        "problem.title_400": Text(ja="リクエストが正しくありません", en="Bad request"),
        "problem.title_401": Text(ja="認証が必要です", en="Unauthenticated"),
        "problem.title_403": Text(ja="権限がありません", en="Forbidden"),
        "problem.title_404": Text(ja="見つかりません", en="Not found"),
        "problem.title_405": Text(ja="許可されていないメソッドです", en="Method not allowed"),
        "problem.title_409": Text(ja="状態が競合しています", en="Conflict"),
        "problem.title_413": Text(ja="リクエストが大きすぎます", en="Payload too large"),
        "problem.title_415": Text(ja="サポートされていない形式です", en="Unsupported media type"),
        "problem.title_422": Text(ja="入力内容に誤りがあります", en="Invalid input"),
        "problem.title_429": Text(ja="リクエストが多すぎます", en="Too many requests"),
        "problem.title_500": Text(ja="サーバーエラー", en="Internal server error"),
        "problem.title_other": Text(ja="エラー", en="Error"),
        "problem.request_failed": Text(ja="エラーが発生しました", en="Request failed"),
        # --- the service itself (service/app.py) ---------------------------------------------
        "health.database_unreachable": Text(ja="データベースに接続できません。", en="The database is unreachable."),
        # --- who is calling (service/auth/principal.py, shared by every domain's guards) ------
        "auth.unauthenticated": Text(ja="ログインが必要です。", en="You need to sign in."),
        "auth.forbidden": Text(ja="この操作の権限がありません。", en="You are not allowed to do this."),
        "auth.role_required": Text(
            ja="この操作には次の役割が必要です: {names}", en="This needs one of these roles: {names}"
        ),
        "auth.csrf_failed": Text(
            ja="CSRF トークンがありません、または一致しません。",
            en="Missing or wrong CSRF token (send the kyoso_csrf cookie's value as X-CSRF-Token).",
        ),
        "auth.invalid_token": Text(ja="トークンが無効です。", en="The token is invalid or expired."),
        "auth.session_ended": Text(ja="セッションは終了しています。", en="This session has ended."),
    },
)

__all__ = ["COMMON"]
