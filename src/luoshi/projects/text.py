"""Text keys for matching and searching project names: the normalised name that Excel rows
are matched by, and the pinyin initials the project list searches (``zdxm`` for 重点项目)."""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]")


def nfkc(text: object) -> str:
    """Full-width letters, digits and punctuation folded to half-width (ＡＢＣ１２ → ABC12)."""
    return unicodedata.normalize("NFKC", "" if text is None else str(text))


def name_key(text: object) -> str:
    """The key two spellings of one name share: NFKC, no white space of any kind, lower case.
    ``"城关镇 污水处理厂（二期）"`` and ``"城关镇污水处理厂(二期)"`` give the same key."""
    return _SPACES.sub("", nfkc(text)).lower()


def pinyin_initials(text: object) -> str:
    """First letters of the pinyin of each Chinese character, plus the name's own letters and
    digits, lower case: ``"城关镇2号路"`` → ``"cgz2hl"``."""
    parts = lazy_pinyin(nfkc(text), style=Style.FIRST_LETTER, errors="default")
    return _NOT_ALNUM.sub("", "".join(parts).lower())
