"""The deal rooms domain's ja/en messages (see :mod:`service.messages`)."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "deal_rooms",
    {
        "deal_room.not_found": Text(ja="ディールルームが見つかりません。", en="Deal room not found."),
        "deal_room.already_open": Text(
            ja="このプロジェクトには既に開いているディールルームがあります。",
            en="This project already has an open deal room.",
        ),
        "deal_room.project_not_ready": Text(
            ja="ディールルームは審査済みまたは募集中のプロジェクトにのみ開けます（現在: {status}）。",
            en="A deal room opens only for a vetted or funding project (now: {status}).",
        ),
        "deal_room.not_project_lead": Text(
            ja="ディールルームを開けるのはプロジェクトの責任者のみです。",
            en="Only the project's lead may open its deal room.",
        ),
        "deal_room.nda_required": Text(
            ja="ルームの内容を見るには、まず最新の秘密保持契約（第{version}版）に同意してください。",
            en="Accept the room's current NDA (version {version}) before seeing anything in it.",
        ),
        "deal_room.nda_version_stale": Text(
            ja="同意しようとした秘密保持契約は最新ではありません（最新: 第{version}版）。",
            en="The NDA you are accepting is not the current one (current: version {version}).",
        ),
        "deal_room.action_not_allowed": Text(
            ja="ルームの役割「{role}」では、段階「{stage}」でこの操作（{action}）はできません。",
            en="Your room role '{role}' may not do this ({action}) in stage '{stage}'.",
        ),
        "deal_room.move_not_allowed": Text(
            ja="段階「{stage}」から「{to_stage}」へは移せません（ルームの役割: {role}）。",
            en="The room cannot move from '{stage}' to '{to_stage}' (your room role: {role}).",
        ),
        "deal_room.already_participant": Text(
            ja="このユーザーは既にルームの参加者です。", en="This user already takes part in the room."
        ),
        "deal_room.not_a_member": Text(
            ja="このユーザーは指定された組織のメンバーではありません。",
            en="This user is not a member of the named organisation.",
        ),
        "deal_room.user_not_found": Text(ja="ユーザーが見つかりません。", en="User not found."),
        "deal_room.participant_not_found": Text(ja="参加者が見つかりません。", en="Participant not found."),
        "deal_room.last_lead": Text(
            ja="ルームの最後のリードチームのメンバーは外せません。",
            en="The room's last lead-team member cannot be removed.",
        ),
        "deal_room.request_pending": Text(
            ja="このルームへのアクセス申請は既に審査待ちです。",
            en="You already have a pending access request for this room.",
        ),
        "deal_room.no_investing_organisation": Text(
            ja="アクセス申請には投資家または銀行として所属する組織が必要です。",
            en="Requesting access needs an organisation you act for as investor or bank.",
        ),
        "deal_room.request_not_found": Text(ja="アクセス申請が見つかりません。", en="Access request not found."),
        "deal_room.observer_admin_only": Text(
            ja="役割「observer」（オブザーバー）は管理者・監査担当にのみ付与できます。",
            en="The role 'observer' may be given only to admins and auditors.",
        ),
        "deal_room.match_not_found": Text(
            ja="指定した投資家プロフィールのマッチにこのプロジェクトがありません。",
            en="This project is not among the matches of the named investor profile.",
        ),
        "deal_room.match_profile_required": Text(
            ja="マッチからの申請には、マッチを表示した投資家プロフィール（investor_id）が必要です。",
            en="A request from a match needs the investor profile (investor_id) the match was shown for.",
        ),
        "deal_room.request_decided": Text(
            ja="このアクセス申請は既に判断済みです（{status}）。",
            en="This access request has already been decided ({status}).",
        ),
    },
)
