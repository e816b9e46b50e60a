"""The impact-claims domain's messages (claims, their review and their evidence), ja and en."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "claims",
    {
        "impact_claim.not_found": Text(ja="インパクト報告が見つかりません。", en="Impact claim not found."),
        "impact_claim.not_lead": Text(
            ja="このプロジェクトの責任者だけが報告できます。", en="Only the project's own lead may do this."
        ),
        "impact_claim.period_reversed": Text(
            ja="期間の終わりが始まりより前です。", en="The period ends before it starts."
        ),
        "impact_claim.period_future": Text(ja="未来の期間は報告できません。", en="The period has not ended yet."),
        "impact_claim.already_contested": Text(
            ja="却下への異議申し立ては一度だけです。", en="A rejection may be contested only once."
        ),
        "impact_claim.own_organisation": Text(
            ja="自組織の報告は審査できません。", en="Admins may not audit their own organisation's claims."
        ),
        "impact_claim.same_reviewer": Text(
            ja="却下した管理者は異議申し立てを判断できません。別の管理者が判断します。",
            en="The admin who rejected the claim cannot decide its contest; another admin must.",
        ),
        "impact_claim.invalid_transition": Text(
            ja="状態「{status}」の報告には「{action}」を行えません。",
            en="A claim in status '{status}' does not allow '{action}'.",
        ),
        "impact_claim.submitted_note": Text(ja="報告を提出", en="submitted"),
        "validation.range#finite": Text(ja="有限の数値にしてください。", en="Must be finite."),
        # --- evidence files -------------------------------------------------------------------
        "evidence.not_found": Text(ja="証拠ファイルが見つかりません。", en="Evidence not found."),
        "evidence.integrity_failed": Text(
            ja="保存された証拠ファイルが記録と一致しません。",
            en="The stored evidence file does not match its recorded sha256.",
        ),
        "evidence.too_large": Text(
            ja="証拠ファイルは 10 MB 以下にしてください。", en="Evidence files must be 10 MB or smaller."
        ),
        "evidence.too_large#field": Text(ja="10 MB を超えています。", en="Over 10 MB."),
        "evidence.empty": Text(ja="ファイルが空です。", en="The file is empty."),
        "evidence.bad_filename": Text(
            ja="ファイル名に制御文字があります。", en="The file name has control characters."
        ),
        "evidence.unsupported_type": Text(
            ja="対応していない形式です（内容: {content}、申告: {declared}）。{allowed} のみ。",
            en="Unsupported file (content is {content}, declared {declared}); only {allowed}.",
        ),
        "evidence.unsupported_type#unknown": Text(ja="不明", en="unknown"),
        "evidence.unsupported_type#nothing": Text(ja="なし", en="nothing"),
        "evidence.unsupported_type#field": Text(ja="{allowed} のみ受け付けます。", en="Only {allowed} are accepted."),
        "evidence.missing_file": Text(
            ja="ファイルを multipart の「file」パートで送ってください。",
            en="Send the file as the multipart part named 'file'.",
        ),
        "request.unsupported_media_type#multipart": Text(
            ja="multipart/form-data で「file」パートとして送ってください。",
            en="Send the file as multipart/form-data, in the part named 'file'.",
        ),
        "request.unsupported_media_type#multipart_only": Text(
            ja="multipart/form-data のみ受け付けます。", en="Only multipart/form-data is accepted."
        ),
    },
)

__all__ = ["MESSAGES"]
