"""Every message of the accounts domain is there in Japanese and in English."""

from __future__ import annotations

import pytest

from service.auth.messages import MESSAGES


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_has_japanese_and_english(code):
    ja, en = MESSAGES[code]
    assert ja.strip()
    assert en.strip()
    assert ja != en
