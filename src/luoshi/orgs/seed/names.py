"""Deterministic Chinese personal names and the pinyin usernames made from them."""

from __future__ import annotations

import random
from typing import NamedTuple

from luoshi.orgs.seed.data import GIVEN_CHARS, SURNAME_WEIGHTS, SURNAMES


class PersonName(NamedTuple):
    full_name: str  # 张伟
    pinyin: str  # zhangwei


class NameMaker:
    """Draws names like 张伟, 李晓红 from ``rng``; with ``unique`` no name comes twice,
    which keeps a county's hundred people apart (a province may repeat names, as life does)."""

    def __init__(self, rng: random.Random, *, unique: bool = False) -> None:
        self.rng = rng
        self.unique = unique
        self.used: set[str] = set()

    def _draw(self) -> PersonName:
        surname, surname_py = self.rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
        # Two-character given names are the common case today; one in four has one.
        count = 1 if self.rng.random() < 0.25 else 2
        given = self.rng.sample(GIVEN_CHARS, count)
        return PersonName(
            surname + "".join(c for c, _ in given), surname_py + "".join(p for _, p in given)
        )

    def person(self) -> PersonName:
        name = self._draw()
        if self.unique:
            while name.full_name in self.used:
                name = self._draw()
            self.used.add(name.full_name)
        return name


class UsernameBook:
    """Hands out unique usernames: ``zhangwei.fgj``, then ``zhangwei2.fgj`` for a namesake."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = {u.lower() for u in (taken or set())}

    def take(self, stem: str, suffix: str = "") -> str:
        tail = f".{suffix.lower()}" if suffix else ""
        candidate = f"{stem}{tail}"
        n = 2
        while candidate.lower() in self.taken:
            candidate = f"{stem}{n}{tail}"
            n += 1
        self.taken.add(candidate.lower())
        return candidate

    def reserve(self, username: str) -> str:
        if username.lower() in self.taken:
            raise ValueError(f"username {username!r} is already taken")
        self.taken.add(username.lower())
        return username
