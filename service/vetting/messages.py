"""The vetting domain's ja/en messages (see :mod:`service.messages`)."""

from __future__ import annotations

from service.messages import Catalogue, Text

MESSAGES = Catalogue(
    "vetting",
    {
        "vetting.checklist_incomplete": Text(
            ja="承認にはすべての確認項目が必要です（未確認: {unchecked}）。",
            en="Approval needs every checklist item (unchecked: {unchecked}).",
        ),
        "vetting.own_organisation": Text(
            ja="自組織のプロジェクトは審査できません。",
            en="Admins may not vet their own organisation's projects.",
        ),
    },
)
