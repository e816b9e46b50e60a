"""Hiragana → Hepburn romaji, enough for municipality readings (よなごし → Yonago-shi)."""

from __future__ import annotations

_BASE = {
    "あ": "a",
    "い": "i",
    "う": "u",
    "え": "e",
    "お": "o",
    "か": "ka",
    "き": "ki",
    "く": "ku",
    "け": "ke",
    "こ": "ko",
    "さ": "sa",
    "し": "shi",
    "す": "su",
    "せ": "se",
    "そ": "so",
    "た": "ta",
    "ち": "chi",
    "つ": "tsu",
    "て": "te",
    "と": "to",
    "な": "na",
    "に": "ni",
    "ぬ": "nu",
    "ね": "ne",
    "の": "no",
    "は": "ha",
    "ひ": "hi",
    "ふ": "fu",
    "へ": "he",
    "ほ": "ho",
    "ま": "ma",
    "み": "mi",
    "む": "mu",
    "め": "me",
    "も": "mo",
    "や": "ya",
    "ゆ": "yu",
    "よ": "yo",
    "ら": "ra",
    "り": "ri",
    "る": "ru",
    "れ": "re",
    "ろ": "ro",
    "わ": "wa",
    "ゐ": "i",
    "ゑ": "e",
    "を": "o",
    "ん": "n",
    "が": "ga",
    "ぎ": "gi",
    "ぐ": "gu",
    "げ": "ge",
    "ご": "go",
    "ざ": "za",
    "じ": "ji",
    "ず": "zu",
    "ぜ": "ze",
    "ぞ": "zo",
    "だ": "da",
    "ぢ": "ji",
    "づ": "zu",
    "で": "de",
    "ど": "do",
    "ば": "ba",
    "び": "bi",
    "ぶ": "bu",
    "べ": "be",
    "ぼ": "bo",
    "ぱ": "pa",
    "ぴ": "pi",
    "ぷ": "pu",
    "ぺ": "pe",
    "ぽ": "po",
    "ぁ": "a",
    "ぃ": "i",
    "ぅ": "u",
    "ぇ": "e",
    "ぉ": "o",
    "ゔ": "vu",
}
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_SUFFIXES = (("し", "-shi"), ("まち", "-machi"), ("ちょう", "-cho"), ("むら", "-mura"), ("そん", "-son"), ("く", "-ku"))


def _word(kana: str) -> str:
    out: list[str] = []
    i = 0
    double_next = False
    while i < len(kana):
        ch = kana[i]
        if ch == "っ":
            double_next = True
            i += 1
            continue
        if ch == "ー":
            i += 1
            continue
        syllable = _BASE.get(ch, "")
        if i + 1 < len(kana) and kana[i + 1] in _SMALL_Y and syllable:
            stem = syllable[:-1]
            glide = "" if stem in ("sh", "ch", "j") else "y"
            syllable = stem + glide + _SMALL_Y[kana[i + 1]]
            i += 1
        if double_next and syllable:
            syllable = ("t" + syllable) if syllable.startswith("ch") else syllable[0] + syllable
            double_next = False
        out.append(syllable)
        i += 1
    text = "".join(out)
    # Long vowels are written plainly (Tokyo, not Toukyou) as in common English usage.
    for long, short in (("ou", "o"), ("oo", "o"), ("uu", "u")):
        text = text.replace(long, short)
    return text


def municipality_romaji(kana: str) -> str:
    """Romanise a reading such as ``"さっぽろし ちゅうおうく"`` → ``"Sapporo-shi Chuo-ku"``."""
    parts = []
    for piece in kana.split():
        suffix = ""
        for tail, label in _SUFFIXES:
            if piece.endswith(tail) and len(piece) > len(tail):
                piece, suffix = piece[: -len(tail)], label
                break
        parts.append(_word(piece).capitalize() + suffix)
    return " ".join(parts)
