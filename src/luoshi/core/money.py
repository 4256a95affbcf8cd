"""Money in 万元 (10,000 yuan) with two decimals, as in every official table. Never floats."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_DIGITS = 14
BLANKS = {"", "-", "—", "－", "——", "/", "无", "N/A", "n/a"}


class MoneyParseError(ValueError):
    pass


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(raw: object) -> Decimal | None:
    """A cell as 万元: numbers, text with thousands separators or full-width digits,
    blanks and dashes (None). Raises ``MoneyParseError`` for anything else."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise MoneyParseError(str(raw))
    if isinstance(raw, int):
        return quantize(Decimal(raw))
    if isinstance(raw, float):
        # Excel stores numbers as binary floats; repr gives the shortest exact decimal.
        return quantize(Decimal(repr(raw)))
    if isinstance(raw, Decimal):
        return quantize(raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if text in BLANKS:
        return None
    text = re.sub(r"[,\s]", "", text)
    text = text.removesuffix("万元")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise MoneyParseError(str(raw)) from exc
    if not value.is_finite():
        raise MoneyParseError(str(raw))
    return quantize(value)


def format_money(value: Decimal | None) -> str:
    """``3,200.00`` — the way the office's tables print 万元."""
    if value is None:
        return "—"
    return f"{quantize(value):,.2f}"
