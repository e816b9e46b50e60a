"""An ILLUSTRATIVE list of depopulating municipalities (過疎地域), for the 公共貢献 score.

Not the official list: a small subset of municipalities widely reported as designated under the
過疎地域の持続的発展の支援に関する特別措置法 (2021), chosen so the demo has examples. The
authoritative list is 総務省「過疎地域市町村等一覧」(updated each April); load it here before
the score is used for any real incentive. JIS X 0402 codes (5 digits).
"""

from __future__ import annotations

DEPOPULATING_MUNICIPALITIES_ILLUSTRATIVE: frozenset[str] = frozenset(
    {
        "01209",  # 夕張市 (北海道)
        "01227",  # 歌志内市 (北海道)
        "01581",  # 厚真町 (北海道)
        "10383",  # 南牧村 (群馬県)
        "31328",  # 智頭町 (鳥取県)
        "31401",  # 日南町 (鳥取県)
        "32528",  # 隠岐の島町 (島根県)
        "33643",  # 西粟倉村 (岡山県)
        "36302",  # 上勝町 (徳島県)
    }
)
SOURCE = "ILLUSTRATIVE subset; authoritative list: 総務省「過疎地域市町村等一覧」"
