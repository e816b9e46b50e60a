"""The projects domain's messages, ja and en, by stable code."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "projects",
    {
        "project.not_found": Text(ja="プロジェクトが見つかりません。", en="Project not found."),
        "project.not_lead_of_organisation": Text(
            ja="この組織のプロジェクト責任者ではありません。", en="You are not a project lead of that organisation."
        ),
        "auth.role_required#create_project": Text(
            ja="プロジェクトの作成にはプロジェクト責任者の役割が必要です。",
            en="Creating a project needs the project_lead role.",
        ),
        "project.organisation_ambiguous": Text(
            ja="複数の組織に所属しています。organisation_id を指定してください。",
            en="You lead several organisations: give organisation_id.",
        ),
        "project.ticket_above_target": Text(
            ja="最低投資額は調達目標額以下にしてください。", en="The minimum ticket cannot exceed the funding target."
        ),
        "project.return_range_reversed": Text(
            ja="想定リターンの下限が上限を超えています。", en="The expected return's minimum is above its maximum."
        ),
        "project.deadline_past": Text(
            ja="募集締切は未来の日付にしてください。", en="The funding deadline must be in the future."
        ),
        "project.not_lead": Text(
            ja="このプロジェクトを編集する権限がありません。", en="Only the project's lead (or an admin) may edit it."
        ),
        "project.not_editable": Text(
            ja="状態「{status}」のプロジェクトは編集できません。",
            en="A project in status '{status}' cannot be edited; move it back to draft first.",
        ),
        "project.use_vetting": Text(
            ja="審査の結果は審査エンドポイントで記録します。",
            en="Vetting outcomes are recorded through /api/v1/vetting.",
        ),
        "project.invalid_transition": Text(
            ja="「{origin}」から「{target}」へは移行できません。", en="A project cannot move from {origin} to {target}."
        ),
        "project.transition_forbidden": Text(
            ja="この状態変更を行う権限がありません。", en="You may not make this status change."
        ),
        "project.status_changed": Text(
            ja="状態が他の操作で変更されました。", en="The status changed meanwhile; reload."
        ),
        "project.history_private": Text(
            ja="審査履歴はプロジェクトの組織と管理者のみが閲覧できます。",
            en="Only the project's organisation and admins see its history.",
        ),
        # --- the list's query and the incentive check (service/projects/controllers.py) -------
        "validation.enum#sort": Text(
            ja="並び順に使えるのは {sorts} です。", en="sort must be one of {sorts} (prefix - for descending)."
        ),
        "organisation.not_found#donor": Text(ja="寄附する組織が見つかりません。", en="No such donor organisation."),
    },
)

__all__ = ["MESSAGES"]
