"""法人番号 (corporate number): 13 digits, the first a check digit over the other twelve.

Rule (国税庁, 法人番号の指定等に関する省令 第2条): with P(n) the n-th digit counted from the
right of the 12-digit base and Q(n) = 1 for odd n, 2 for even n,
check = 9 − (Σ P(n)·Q(n) mod 9).

>>> is_valid_corporate_number("7000012050002")  # 国税庁 (National Tax Agency) itself
True
"""

from __future__ import annotations


def corporate_number_check_digit(base12: str) -> int:
    if len(base12) != 12 or not base12.isdigit():
        raise ValueError("base must be 12 digits")
    total = 0
    for n, ch in enumerate(reversed(base12), start=1):
        total += int(ch) * (1 if n % 2 else 2)
    return 9 - (total % 9)


def is_valid_corporate_number(number: str) -> bool:
    if len(number) != 13 or not number.isdigit():
        return False
    return int(number[0]) == corporate_number_check_digit(number[1:])
