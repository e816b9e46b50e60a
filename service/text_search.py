"""Japanese-aware text search: one normalisation for stored text and queries, and the domain's
synonyms.

PostgreSQL's trigram index finds substrings in any script, but only the same characters:
``エネルギー`` never matches ``エナジー``, ``ｴﾈﾙｷﾞｰ`` or ``えねるぎー``. So both sides are
normalised by :func:`normalise` (NFKC, case-folding, katakana → hiragana, long-vowel marks
dropped), and a query is expanded by :data:`SYNONYMS` into OR-ed terms (:func:`search_terms`).

    >>> normalise("ローカルエナジー：電力")
    'ろかるえなじ:電力'
    >>> search_terms("エネルギー")
    ['えなじ', 'えねるぎ', '電力', '電気']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: Katakana ァ (U+30A1) … ヶ (U+30F6) and the iteration marks ヽヾ sit 0x60 above their hiragana.
_KATA_TO_HIRA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)} | {0x30FD: 0x309D, 0x30FE: 0x309E}
#: The long-vowel mark (and its look-alikes after NFKC): written or not, the word is the same.
_LONG_VOWEL = str.maketrans(dict.fromkeys("ー〜～", None))
_SPACES = re.compile(r"\s+")

#: Words of the domain that mean the same thing to someone searching for projects. Each group is
#: written naturally; it is normalised once, here.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("エネルギー", "エナジー", "電力", "電気"),
    ("再エネ", "再生可能エネルギー", "太陽光", "風力", "小水力", "バイオマス"),
    ("交通", "モビリティ", "バス", "デマンド交通", "乗合", "移動"),
    ("医療", "クリニック", "診療所", "病院", "診療"),
    ("介護", "福祉", "ケア"),
    ("除雪", "雪", "雪かき", "排雪"),
    ("買い物", "商店", "スーパー", "店舗", "買物"),
    ("子育て", "保育", "育児"),
    ("観光", "インバウンド", "宿泊"),
    ("農業", "農産物", "農家"),
    ("空き家", "空家", "古民家"),
)
#: At most this many OR-ed terms per query (the synonyms of one word, and the query itself).
MAX_TERMS = 16


def normalise(text: str) -> str:
    """Text as the search compares it: NFKC (half-width ｶﾅ and full-width ＡＢＣ become ordinary),
    case-folded, katakana as hiragana, long-vowel marks removed, runs of space as one space."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_KATA_TO_HIRA).translate(_LONG_VOWEL)
    return _SPACES.sub(" ", folded).strip()


def search_document(parts: Iterable[str | None]) -> str:
    """The normalised text stored for a row, from its searchable fields."""
    return normalise(" ".join(p for p in parts if p))


_GROUPS: tuple[tuple[str, ...], ...] = tuple(tuple(dict.fromkeys(normalise(w) for w in g)) for g in SYNONYMS)


def search_terms(query: str) -> list[str]:
    """The normalised query and its variants with each domain word swapped for its synonyms."""
    base = normalise(query)
    terms = {base}
    for group in _GROUPS:
        # Longer words first: 再生可能えねるぎ is one word, not 再生可能 + えねるぎ.
        for word in sorted(group, key=len, reverse=True):
            if word and word in base:
                terms.update(base.replace(word, other) for other in group)
                break
    others = sorted(terms - {base})[: MAX_TERMS - 1]
    return sorted([base, *others])
