"""The organisations domain's ja/en messages (see :mod:`service.messages`)."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "organisations",
    {
        "organisation.not_found": Text(ja="組織が見つかりません。", en="Organisation not found."),
        "organisation.corporate_number_check_digit": Text(
            ja="法人番号のチェックデジットが一致しません。",
            en="The corporate number's check digit does not match.",
        ),
        "organisation.individual_has_no_corporate_number": Text(
            ja="個人には法人番号はありません。", en="An individual has no corporate number."
        ),
        "organisation.members_admin_only": Text(ja="役割の付与は管理者のみが行えます。", en="Only admins grant roles."),
        "organisation.member_exists": Text(ja="その役割はすでに付与されています。", en="That role is already granted."),
        # Raised when granting a role to an account id that does not exist.
        "user.not_found": Text(ja="ユーザーが見つかりません。", en="No such user."),
    },
)
