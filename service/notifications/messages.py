"""The notifications' ja/en texts: per kind a title (``notification.<kind>``, the in-app line and
the mail's subject) and a mail text (``notification.<kind>#mail``), plus the mail's frame and the
API's errors. ``{room}`` is the room's name; ``{role}``/``{from_stage}``/``{to_stage}`` are codes."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "notifications",
    {
        "notification.not_found": Text(ja="通知が見つかりません。", en="Notification not found."),
        # ── the mail's frame (ja and en in one mail) ──
        "notification.mail.subject": Text(ja="【Kyoso】{title}", en="[Kyoso] {title}"),
        "notification.mail.body": Text(
            ja="{text}\n\nKyoso にサインインすると、通知とルームを確認できます: {link}\n"
            "（このメールは Kyoso のディールルームの参加者に自動で送られています。）",
            en="{text}\n\nSign in to Kyoso to see your notifications and the room: {link}\n"
            "(Kyoso sends this mail automatically to the participants of its deal rooms.)",
        ),
        # ── kinds: deal rooms ──
        "notification.room_invitation": Text(
            ja="ディールルーム「{room}」に招待されました（役割: {role}）",
            en="You were invited to the deal room '{room}' (role: {role})",
        ),
        "notification.room_invitation#mail": Text(
            ja="{inviter} さんが、あなたをディールルーム「{room}」に役割「{role}」で招待しました。"
            "ルームの内容は、秘密保持契約に同意すると見られます。",
            en="{inviter} invited you to the deal room '{room}' with the role '{role}'. "
            "Accept the room's NDA to see what is inside.",
        ),
        "notification.access_requested": Text(
            ja="ディールルーム「{room}」にアクセス申請が届きました",
            en="New access request for the deal room '{room}'",
        ),
        "notification.access_requested#mail": Text(
            ja="{requester} さんが、ディールルーム「{room}」への参加を申請しました。承認または見送りを決めてください。",
            en="{requester} asks to join the deal room '{room}'. Please accept or decline the request.",
        ),
        "notification.access_accepted": Text(
            ja="ディールルーム「{room}」への参加が承認されました（役割: {role}）",
            en="Your request to join the deal room '{room}' was accepted (role: {role})",
        ),
        "notification.access_accepted#mail": Text(
            ja="ディールルーム「{room}」への参加申請が承認されました（役割: {role}）。"
            "秘密保持契約に同意すると、ルームの内容が見られます。",
            en="Your request to join the deal room '{room}' was accepted (role: {role}). "
            "Accept the room's NDA to see what is inside.",
        ),
        "notification.access_declined": Text(
            ja="ディールルーム「{room}」への参加申請は見送られました",
            en="Your request to join the deal room '{room}' was declined",
        ),
        "notification.access_declined#mail": Text(
            ja="ディールルーム「{room}」への参加申請は見送られました。理由: {reason}",
            en="Your request to join the deal room '{room}' was declined. Reason: {reason}",
        ),
        "notification.stage_changed": Text(
            ja="ディールルーム「{room}」の段階が「{to_stage}」になりました",
            en="The deal room '{room}' moved to the stage '{to_stage}'",
        ),
        "notification.stage_changed#mail": Text(
            ja="ディールルーム「{room}」の段階が「{from_stage}」から「{to_stage}」に移りました。",
            en="The deal room '{room}' moved from the stage '{from_stage}' to '{to_stage}'.",
        ),
        # ── kinds for the room's Q&A and data room (wired by those parts) ──
        "notification.question_asked": Text(
            ja="ディールルーム「{room}」に新しい質問があります",
            en="A new question in the deal room '{room}'",
        ),
        "notification.question_asked#mail": Text(
            ja="ディールルーム「{room}」で新しい質問が投稿されました。",
            en="Someone asked a new question in the deal room '{room}'.",
        ),
        "notification.question_assigned": Text(
            ja="ディールルーム「{room}」の質問があなたに割り当てられました（期限: {due}）",
            en="A question in the deal room '{room}' was assigned to you (due: {due})",
        ),
        "notification.question_assigned#mail": Text(
            ja="ディールルーム「{room}」の質問への回答があなたに割り当てられました。期限: {due}",
            en="You were asked to answer a question in the deal room '{room}'. Due: {due}",
        ),
        "notification.question_answered": Text(
            ja="ディールルーム「{room}」のあなたの質問に回答がありました",
            en="Your question in the deal room '{room}' was answered",
        ),
        "notification.question_answered#mail": Text(
            ja="ディールルーム「{room}」であなたの質問に回答がありました。",
            en="Your question in the deal room '{room}' has an answer.",
        ),
        "notification.document_version": Text(
            ja="ディールルーム「{room}」の文書「{document}」に新しい版があります",
            en="A new version of '{document}' in the deal room '{room}'",
        ),
        "notification.document_version#mail": Text(
            ja="ディールルーム「{room}」の文書「{document}」に新しい版が追加されました。",
            en="A new version of the document '{document}' was added in the deal room '{room}'.",
        ),
    },
)
