"""The live room feed's ja/en messages: HTTP problems and WebSocket error frames (see
:mod:`service.messages`)."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "deal_room_live",
    {
        "deal_room.message_rate_limited": Text(
            ja="メッセージの送信が多すぎます。{seconds}秒間に{limit}件までです。しばらくしてから送ってください。",
            en="Too many messages: at most {limit} per {seconds} seconds. Wait a moment and send again.",
        ),
        "deal_room.message_blank": Text(
            ja="メッセージに表示できる文字がありません。", en="The message has no visible character."
        ),
        "deal_room.live_bad_frame": Text(
            ja="フレームを読めません（{reason}）。type が hello・send・ping の JSON オブジェクトを送ってください。",
            en="Unreadable frame ({reason}): send a JSON object whose type is hello, send or ping.",
        ),
        "deal_room.live_hello_first": Text(
            ja="最初に hello フレーム（last_seen_id）を送ってください。",
            en="Send a hello frame (with last_seen_id) first.",
        ),
        "deal_room.live_origin_refused": Text(
            ja="このオリジンからのクッキーによる接続は受け付けません。",
            en="Connections signed in by cookie are not accepted from this origin.",
        ),
        "deal_room.live_participation_ended": Text(
            ja="このルームの参加者ではなくなりました。", en="You no longer take part in this room."
        ),
        "deal_room.live_room_closed": Text(
            ja="ルームは終了または中止されました（段階: {stage}）。",
            en="The room has been closed or cancelled (stage: {stage}).",
        ),
        "deal_room.live_too_slow": Text(
            ja="受信が追いつかないため接続を閉じます。last_seen_id を付けて再接続してください。",
            en="Closing: the client does not keep up. Reconnect with your last_seen_id.",
        ),
        "deal_room.live_unavailable": Text(
            ja="データベースに一時的に接続できません。少し待ってから送り直してください。",
            en="The database is briefly unreachable. Wait a moment and send again.",
        ),
    },
)
