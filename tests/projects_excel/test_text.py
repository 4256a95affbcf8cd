"""Properties of the text helpers the import matches by."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from luoshi.core.money import parse_money
from luoshi.projects.excel.layout import (
    chinese_numeral,
    header_field,
    parse_section,
    parse_total,
    section_title,
    split_names,
)
from luoshi.projects.text import name_key, pinyin_initials

names = st.text(
    alphabet=st.sampled_from("城关镇污水处理厂新材料产业园一二期ABCxyz0123456789（）() -"),
    max_size=30,
)


def to_full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(names)
def test_a_name_and_its_full_width_spaced_spelling_share_a_key(name):
    spaced = " ".join(to_full_width(name)).replace(" ", "\u3000 ")
    assert name_key(spaced) == name_key(name)


@given(names)
def test_the_key_is_stable_and_has_no_spaces(name):
    key = name_key(name)
    assert name_key(key) == key
    assert not any(c.isspace() for c in key)
    assert key == unicodedata.normalize("NFKC", key)


@given(names)
def test_pinyin_initials_are_lower_case_letters_and_digits(name):
    initials = pinyin_initials(name)
    assert initials == "".join(c for c in initials if c.isascii() and c.isalnum()).lower()


@given(
    st.integers(min_value=1, max_value=99),
    st.sampled_from(["工业项目", "基础设施", "民生工程"]),
    st.integers(min_value=0, max_value=500),
)
def test_a_written_section_title_reads_back(n, name, count):
    section = parse_section(section_title(n, name, count))
    assert (section.level, section.title, section.count) == (1, name, count)


def test_chinese_numerals():
    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 20, 23, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
        "九十九",
    ]


def test_second_level_and_numeral_column_sections():
    assert parse_section("（二）续建项目（8个）").level == 2
    assert parse_section("工业项目", numeral="三").title == "工业项目"
    assert parse_section("城关镇污水处理厂") is None


@given(st.sampled_from(["合计", "合 计", "小计", "总计", "全县合计", "合计（150个）"]))
def test_total_rows_are_recognised(text):
    assert parse_total(text) in {"合计", "小计", "总计"}


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_money_written_with_separators_or_full_width_reads_back(value):
    text = f"{value:,.2f}"
    assert parse_money(text) == value
    assert parse_money(to_full_width(text)) == value


def test_header_synonyms_with_units_years_and_noise():
    assert header_field("总投资\n（万元）") == "total_investment"
    assert header_field("2026年计划投资") == "annual_plan"
    assert header_field("＊项目名称") == "name"
    assert header_field("牵头单位") == "unit"
    assert header_field("包联领导") == "leaders"
    assert header_field("3月") == "month:3"
    assert header_field("1-10月完成投资") is None


def test_leader_names_split_on_chinese_separators_and_lose_titles():
    assert split_names("张三（副县长）、李四，王 五") == ["张三", "李四", "王 五"]
