"""The one clock. Tests fix "now" with ``luoshi.core.clock.frozen``."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

_fixed: datetime | None = None


def now() -> datetime:
    """The current aware datetime (UTC), or the fixed one inside ``frozen``."""
    return _fixed if _fixed is not None else timezone.now()


@contextlib.contextmanager
def frozen(at: datetime) -> Iterator[None]:
    global _fixed
    previous, _fixed = _fixed, at
    try:
        yield
    finally:
        _fixed = previous


def advance(**delta: float) -> None:
    """Move a frozen clock forward (``advance(minutes=16)``)."""
    global _fixed
    from datetime import timedelta

    if _fixed is None:
        raise RuntimeError("advance() needs a frozen clock")
    _fixed = _fixed + timedelta(**delta)
