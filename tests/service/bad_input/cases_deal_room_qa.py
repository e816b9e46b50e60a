"""Bad input to the deal-room Q&A endpoints. No room exists in the shared world: body errors are
found before the room is looked up, and a well-formed request names an unknown room (404). The
rules that need a room (a page without its document, an assignee outside the lead team, a due
date in the past) are tested, with nothing written, in tests/service/deal_rooms/test_qa_rules.py."""

from __future__ import annotations

from tests.service.bad_input.common import MALFORMED, UNKNOWN, Bad

QUESTION = f"/deal-rooms/{UNKNOWN}/questions/{UNKNOWN}"
DOC = "6f1c2a4e-8b1d-4c55-9a1e-3d2b7c9e0f11"
ASSIGN = {"assignee_id": "{lead_owner_user}", "due_at": "2030-04-01T09:00:00+09:00"}
FAQ = {"question_ja": "公開用の質問", "question_en": "The question as published"}

QA_CASES: list[Bad] = [
    Bad("qa_ask", "malformed_json", MALFORMED, 400, "body"),
    Bad("qa_ask", "missing_text", {"document_id": DOC}, 400, "text"),
    Bad("qa_ask", "empty_text", {"text": ""}, 400, "text"),
    Bad("qa_ask", "text_too_long", {"text": "あ" * 5001}, 400, "text"),
    Bad("qa_ask", "text_with_nul", {"text": "質問\u0000"}, 400, "text"),
    Bad("qa_ask", "document_not_uuid", {"text": "質問", "document_id": "report.pdf"}, 400, "document_id"),
    Bad("qa_ask", "page_zero", {"text": "質問", "document_id": DOC, "page": 0}, 400, "page"),
    Bad("qa_ask", "page_too_large", {"text": "質問", "document_id": DOC, "page": 100_001}, 400, "page"),
    Bad("qa_ask", "page_negative", {"text": "質問", "document_id": DOC, "page": -2}, 400, "page"),
    Bad("qa_ask", "unknown_field", {"text": "質問", "asker_id": "{lead_owner_user}"}, 400, "asker_id"),
    Bad("qa_ask", "unknown_room", {"text": "質問"}, 404, None, "deal_room.not_found"),
    Bad("qa_assign", "malformed_json", MALFORMED, 400, "body"),
    Bad("qa_assign", "missing_due_at", {"assignee_id": "{lead_owner_user}"}, 400, "due_at"),
    Bad("qa_assign", "due_without_offset", {**ASSIGN, "due_at": "2030-04-01T09:00:00"}, 400, "due_at"),
    Bad("qa_assign", "due_not_a_time", {**ASSIGN, "due_at": "next week"}, 400, "due_at"),
    Bad(
        "qa_assign",
        "due_before_2000",
        {**ASSIGN, "due_at": "1999-12-31T09:00:00+09:00"},
        422,
        "due_at",
        "validation.date_out_of_range",
    ),
    Bad("qa_assign", "assignee_not_uuid", {**ASSIGN, "assignee_id": "lead"}, 400, "assignee_id"),
    Bad("qa_assign", "unknown_field", {**ASSIGN, "status": "answered"}, 400, "status"),
    Bad("qa_assign", "unknown_room", ASSIGN, 404, None, "deal_room.not_found"),
    Bad("qa_answer", "malformed_json", MALFORMED, 400, "body"),
    Bad("qa_answer", "missing_text", {}, 400, "text"),
    Bad("qa_answer", "empty_text", {"text": ""}, 400, "text"),
    Bad("qa_answer", "text_too_long", {"text": "あ" * 20_001}, 400, "text"),
    Bad("qa_answer", "text_with_nul", {"text": "回答\u0000"}, 400, "text"),
    Bad("qa_answer", "unknown_field", {"text": "回答", "revision": 7}, 400, "revision"),
    Bad("qa_answer", "unknown_room", {"text": "回答"}, 404, None, "deal_room.not_found"),
    Bad("qa_publish", "malformed_json", MALFORMED, 400, "body"),
    Bad("qa_publish", "missing_question_en", {"question_ja": "質問"}, 400, "question_en"),
    Bad("qa_publish", "empty_question_ja", {**FAQ, "question_ja": ""}, 400, "question_ja"),
    Bad("qa_publish", "null_question_ja", {**FAQ, "question_ja": None}, 400, "question_ja"),
    Bad("qa_publish", "answer_too_long", {**FAQ, "answer_en": "a" * 20_001}, 400, "answer_en"),
    Bad("qa_publish", "unknown_field", {**FAQ, "asker_id": "{lead_owner_user}"}, 400, "asker_id"),
    Bad("qa_publish", "unknown_room", FAQ, 404, None, "deal_room.not_found"),
    Bad("qa_unpublish", "unknown_room", None, 404, None, "deal_room.not_found"),
    Bad(
        "qa_unpublish",
        "question_not_uuid",
        None,
        404,
        None,
        None,
        path=f"/deal-rooms/{UNKNOWN}/questions/q1/publication",
    ),
]
