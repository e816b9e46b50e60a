"""One normal form for email addresses: look-alikes are the same address or refused."""

from __future__ import annotations

import pytest

from service.auth.emails import EmailRefused, normalise_email, valid_email
from service.errors import InvalidInput


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("hanako@example.jp", "hanako@example.jp"),
        ("  Hanako@Example.JP ", "hanako@example.jp"),
        ("ADMIN@demo.kyoso.jp", "admin@demo.kyoso.jp"),
        ("ＡＤＭＩＮ@ｄｅｍｏ.kyoso.jp", "admin@demo.kyoso.jp"),  # full-width (NFKC)
        ("ﬁnance@example.jp", "finance@example.jp"),  # ligature (NFKC)
        ("Straße@example.de", "strasse@example.de"),  # case-fold, not just lower()
        ("ＫＩＭ.lee+kyoso@example.co.jp", "kim.lee+kyoso@example.co.jp"),
        ("山田たろう@例え.jp", "山田たろう@xn--r8jz45g.jp"),  # Han + Hiragana is one writing system
        ("ｶﾀｶﾅ@example.jp", "カタカナ@example.jp"),  # half-width kana (NFKC)
        ("tarō@example.jp", "tarō@example.jp"),
        ("ΑΘΗΝΑ@example.gr", "αθηνα@example.gr"),
    ],
)
def test_equivalent_spellings_have_one_normal_form(raw, normal):
    assert normalise_email(raw) == normal


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("adm\u200bin@demo.kyoso.jp", "email.invisible_characters"),  # zero-width space
        ("admin\u200d@demo.kyoso.jp", "email.invisible_characters"),  # zero-width joiner
        ("\ufeffadmin@demo.kyoso.jp", "email.invisible_characters"),  # BOM
        ("\u202enimda@demo.kyoso.jp", "email.invisible_characters"),  # right-to-left override
        ("admin\u2066@demo.kyoso.jp", "email.invisible_characters"),  # left-to-right isolate
        ("аdmin@demo.kyoso.jp", "email.mixed_scripts"),  # Cyrillic а + Latin
        ("pаypal@example.jp", "email.mixed_scripts"),
        ("admin@dеmo.kyoso.jp", "email.mixed_scripts"),  # Cyrillic е in the domain
        ("αdmin@example.jp", "email.mixed_scripts"),  # Greek alpha + Latin
        ("ad min@example.jp", "email.invalid"),
        ("admin\x07@example.jp", "email.invalid"),
        ("admin", "email.invalid"),
        ("a@b@example.jp", "email.invalid"),
        (".admin@example.jp", "email.invalid"),
        ("ad..min@example.jp", "email.invalid"),
        ("admin@example", "email.invalid"),
        ("admin@-example.jp", "email.invalid"),
        ("admin@example.123", "email.invalid"),
        ("admin@x.invalid", "email.invalid"),
        ("a" * 65 + "@example.jp", "email.invalid"),
        ("ad(min)@example.jp", "email.invalid"),
    ],
)
def test_look_alikes_and_nonsense_are_refused(raw, code):
    with pytest.raises(EmailRefused) as refused:
        normalise_email(raw)
    assert refused.value.code == code


def test_a_refusal_is_a_422_naming_the_field_in_both_languages():
    with pytest.raises(InvalidInput) as refused:
        valid_email("аdmin@demo.kyoso.jp")
    assert refused.value.status_code == 422
    [error] = refused.value.errors
    assert error.field == "email"
    assert error.code == "email.mixed_scripts"
    assert "キリル" in error.message.ja
    assert "Cyrillic" in error.message.en
