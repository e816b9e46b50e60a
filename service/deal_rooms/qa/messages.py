"""The deal-room Q&A's ja/en messages (see :mod:`service.messages`)."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "deal_room_qa",
    {
        "deal_room_qa.question_not_found": Text(ja="質問が見つかりません。", en="Question not found."),
        "deal_room_qa.document_not_found": Text(
            ja="指定された資料（document_id）はこのルームにないか、あなたには閲覧できません。",
            en="The document (document_id) is not in this room or you may not view it.",
        ),
        "deal_room_qa.page_out_of_range": Text(
            ja="ページ（page）は資料の最新版のページ数 {pages} 以下で指定してください。",
            en="The page (page) must be at most {pages}, the page count of the document's current version.",
        ),
        "deal_room_qa.page_without_document": Text(
            ja="ページを指定するには資料（document_id）も指定してください。",
            en="A page needs the document it belongs to (document_id).",
        ),
        "deal_room_qa.assignee_not_lead_team": Text(
            ja="担当者はこのルームのリードチームの参加者から選んでください。",
            en="The assignee must be an active lead-team participant of this room.",
        ),
        "deal_room_qa.due_in_past": Text(
            ja="回答期限は現在より後の日時にしてください。", en="The due date must lie in the future."
        ),
        "deal_room_qa.already_answered": Text(
            ja="この質問には既に回答があります（状態: {status}）。担当の割り当ては未回答の質問にのみできます。",
            en="This question already has an answer (status: {status}); only unanswered questions are assigned.",
        ),
        "deal_room_qa.not_answered": Text(
            ja="回答のない質問は FAQ に公開できません。", en="A question without an answer cannot be published."
        ),
        "deal_room_qa.not_published": Text(
            ja="この質問は FAQ に公開されていません。", en="This question is not published in the FAQ."
        ),
        "deal_room_qa.overdue_lead_only": Text(
            ja="期限切れの質問の一覧はリードチームのみが見られます。",
            en="Only the lead team may list overdue questions.",
        ),
    },
)
