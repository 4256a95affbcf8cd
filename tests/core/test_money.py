from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luoshi.core.money import MoneyParseError, format_money, parse_money


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (1234.5, Decimal("1234.50")),
        ("1,234.5", Decimal("1234.50")),
        ("１２３４．５", Decimal("1234.50")),
        (" 3 200 ", Decimal("3200.00")),
        ("3200万元", Decimal("3200.00")),
        (0.1 + 0.2, Decimal("0.30")),
        ("—", None),
        ("", None),
        (None, None),
        (7, Decimal("7.00")),
    ],
)
def test_cells_are_read_as_ten_thousand_yuan_with_two_decimals(raw, value):
    assert parse_money(raw) == value


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "NaN", "inf", True])
def test_anything_else_is_refused(raw):
    with pytest.raises(MoneyParseError):
        parse_money(raw)


@given(
    st.decimals(
        min_value=-(10**11), max_value=10**11, places=2, allow_nan=False, allow_infinity=False
    )
)
def test_formatting_and_parsing_round_trip(value):
    assert parse_money(format_money(value)) == value


def test_missing_money_prints_as_a_dash():
    assert format_money(None) == "—"
    assert format_money(Decimal("3200")) == "3,200.00"
