"""The layouts of the county key-project tables: which header texts name which field,
how section rows ("一、工业项目（15个）") and 合计/小计 rows look. Pure functions over text, so
the reader and the writer agree and hypothesis can exercise them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi.projects.text import nfkc

# Field → header texts that name it, as they read after ``header_key`` (no spaces, no
# bracketed unit such as "（万元）", no leading "2026年").
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号序号"),
    "name": ("项目名称", "项目", "名称", "项目名"),
    "code": ("项目编号", "项目编码", "项目代码", "编号", "编码", "代码"),
    "content": (
        "建设内容及规模",
        "建设内容和规模",
        "建设规模及内容",
        "建设规模和内容",
        "主要建设内容",
        "建设内容",
        "建设规模",
    ),
    "location": ("建设地点", "地点", "项目地点", "建设地址", "项目位置"),
    "total_investment": ("总投资", "计划总投资", "项目总投资", "概算总投资"),
    "annual_plan": (
        "年度计划投资",
        "计划投资",
        "年度计划",
        "年度投资计划",
        "本年计划投资",
        "年计划投资",
        "年度计划完成投资",
        "计划完成投资",
    ),
    "start_year": ("开工年份", "开工年度", "开始年份", "起始年份"),
    "end_year": ("竣工年份", "完工年份", "竣工年度", "完工年度"),
    "years": ("建设起止年限", "起止年限", "建设年限", "建设期限", "起止年度", "建设起止年度"),
    "category": ("项目类别", "类别", "项目类型", "项目分类", "行业类别"),
    "stage": ("项目阶段", "建设性质", "阶段", "项目性质", "建设阶段"),
    "unit": ("责任单位", "牵头单位", "牵头责任单位", "主体责任单位", "责任主体"),
    "cooperating": ("配合单位", "协同单位", "协办单位", "配合责任单位"),
    "leaders": ("责任领导", "包联领导", "包抓领导", "分管领导", "县级包联领导", "联系领导"),
    "start_date": ("开工时间", "计划开工时间", "开工日期", "计划开工日期"),
    "completion_date": ("竣工时间", "计划竣工时间", "竣工日期", "计划竣工日期"),
}

# What the user is told to put in the header when none is found.
EXPECTED_HEADERS = ("项目名称", "总投资", "年度计划投资", "责任单位")

_FIELD_BY_KEY: dict[str, str] = {
    key: field for field, keys in HEADER_SYNONYMS.items() for key in keys
}

_BRACKETED = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_LEADING_YEAR = re.compile(r"^\d{4}年度?")
_NOISE = re.compile(r"[\s*＊★:：]")
_MONTH = re.compile(r"^(\d{1,2})月份?(?:计划)?(?:投资)?(?:计划)?$")


def header_key(text: object) -> str:
    """A header cell as it is looked up: NFKC, no spaces or stars, no bracketed unit
    ("总投资（万元）" → "总投资"), no leading year ("2026年计划投资" → "计划投资")."""
    key = _NOISE.sub("", nfkc(text))
    key = _BRACKETED.sub("", key)
    return _LEADING_YEAR.sub("", key)


def header_field(text: object) -> str | None:
    """The field a header text names, ``month:N`` for a monthly plan column, or None."""
    key = header_key(text)
    if not key:
        return None
    month = _MONTH.match(key)
    if month and 1 <= int(month.group(1)) <= 12:
        return f"month:{int(month.group(1))}"
    return _FIELD_BY_KEY.get(key)


def is_actuals_parent(text: object) -> bool:
    """A parent header over month columns that holds actual figures (完成/实际), not plans."""
    key = header_key(text)
    return "完成" in key or "实际" in key


# ---------------------------------------------------------------------------------------
# Section and total rows

CN_DIGITS = "零一二三四五六七八九"
_CN_NUMERAL = "[一二三四五六七八九十百零]+"
_LEVEL1 = re.compile(rf"^({_CN_NUMERAL})[、.．,，]\s*(.+)$")
_LEVEL2 = re.compile(rf"^[（(]({_CN_NUMERAL})[）)][、.．]?\s*(.+)$")
_BARE_NUMERAL = re.compile(rf"^(?:{_CN_NUMERAL}|[（(]{_CN_NUMERAL}[）)])[、.．]?$")
_COUNT = re.compile(r"[（(]\s*共?\s*(\d+)\s*个(?:项目)?\s*[）)]$")
_TOTAL = re.compile(r"^(?:全县|全市|全区|总)?(合计|小计|总计)$")


@dataclass(frozen=True)
class Section:
    """A section row: its level (1 for "一、", 2 for "（一）"), title without the count,
    and the count it announces, if any."""

    level: int
    title: str
    count: int | None


def split_count(title: str) -> tuple[str, int | None]:
    match = _COUNT.search(title)
    if not match:
        return title.strip(), None
    return title[: match.start()].strip(), int(match.group(1))


def parse_section(text: object, numeral: object = None) -> Section | None:
    """``"一、工业项目（15个）"`` → Section(1, "工业项目", 15); ``"（一）新开工项目"`` → level 2.
    ``numeral`` is the 序号 cell when the title sits in the name column ("一" | "工业项目")."""
    title = nfkc(text).strip()
    if not title:
        return None
    if numeral is not None:
        num = re.sub(r"\s", "", nfkc(numeral))
        if _BARE_NUMERAL.match(num):
            level = 2 if num[0] in "(（" else 1
            body, count = split_count(title)
            return Section(level, body, count) if body else None
    for level, pattern in ((1, _LEVEL1), (2, _LEVEL2)):
        match = pattern.match(title)
        if match:
            body, count = split_count(match.group(2))
            return Section(level, body, count) if body else None
    return None


def parse_total(text: object) -> str | None:
    """``"合 计"`` → "合计"; ``"小计"`` → "小计"; anything else → None."""
    key = _BRACKETED.sub("", re.sub(r"\s", "", nfkc(text)))
    match = _TOTAL.match(key)
    return match.group(1) if match else None


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 23 → 二十三 (section numbering up to 99)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return f"{head}十{CN_DIGITS[ones] if ones else ''}"


def section_title(n: int, name: str, count: int) -> str:
    """The section row the office writes: ``"一、工业项目（15个）"``."""
    return f"{chinese_numeral(n)}、{name}（{count}个）"


# ---------------------------------------------------------------------------------------
# Values inside cells

STAGE_WORDS: dict[str, str] = {
    "谋划": "planning",
    "储备": "planning",
    "前期": "preparation",
    "预备": "preparation",
    "新开工": "new",
    "新建": "new",
    "新开": "new",
    "续建": "continuing",
    "在建": "continuing",
    "竣工": "completed",
    "建成": "completed",
    "完工": "completed",
}

LIST_SEPARATORS = re.compile(r"[、,，;；/／\n]+")
_TITLE_SUFFIX = re.compile(r"[（(][^）)]*[）)]$")


# What the exported tables write for each stage, and for each lamp colour.
STAGE_TEXT = {
    "planning": "谋划",
    "preparation": "前期",
    "new": "新开工",
    "continuing": "续建",
    "completed": "竣工",
}
LAMP_TEXT = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "grey": "—"}


def stage_of(text: object) -> str | None:
    """ "新开工" / "新开工项目" / "续建" (or the stage's code) → the Stage value, else None."""
    key = re.sub(r"\s", "", nfkc(text)).removesuffix("项目").removesuffix("类")
    if key.lower() in STAGE_TEXT:
        return key.lower()
    return STAGE_WORDS.get(key)


LIST_SEPARATORS = re.compile(r"[、,，;；/／\n]+")
_TITLE_SUFFIX = re.compile(r"[（(][^）)]*[）)]$")


def split_names(text: object) -> list[str]:
    """ "张三、李四，王五" → three names; a title in brackets ("张三（副县长）") is dropped."""
    names = []
    for part in LIST_SEPARATORS.split(nfkc(text)):
        part = _TITLE_SUFFIX.sub("", part).strip()
        if part and part not in names:
            names.append(part)
    return names


_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def parse_years(text: object) -> list[int]:
    """The four-digit years in a cell: "2024-2026" → [2024, 2026]; "2025年" → [2025];
    a number cell 2025 → [2025]."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return [int(y) for y in _YEAR.findall(nfkc(text))]
