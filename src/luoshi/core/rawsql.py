"""Plain SQL for the few small reads that every page makes (roles, the badge, settings, a
meeting's attendance, the project list's periods and rows): Django's ORM takes 0.2–1 ms of
Python to build such a query, ten to thirty times what the database takes to answer it.
Only standard SQL that SQLite and PostgreSQL read alike goes here (the test suite runs on
both). Values are converted as the ORM converts them (dates and decimals from SQLite's
text and numbers, JSON), through the fields' own converters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any], Any]


def fetch(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def marks(n: int) -> str:
    """``%s, %s, …`` for an ``IN (…)`` of ``n`` values."""
    return ", ".join(["%s"] * n)


def in_order(rows: list[Any], ids: list[int], key: Callable[[Any], int]) -> list[Any]:
    """``rows`` read by id (``IN`` keeps no order) put back in the order of ``ids``; an id
    with no row (deleted in between) is left out."""
    by_id = {key(row): row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


_CONVERTERS: dict[tuple[str, str, str], Converter | None] = {}


def _converter(field: models.Field, vendor: str) -> Converter | None:
    """What the ORM would apply to a non-null value of ``field`` read from this database
    (None: nothing), from the backend's and the field's converters."""
    key = (vendor, field.model._meta.label, field.name)
    if key not in _CONVERTERS:
        col = field.get_col(field.model._meta.db_table)
        steps = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        if not steps:
            _CONVERTERS[key] = None
        else:

            def convert(value: Any, steps=steps, col=col) -> Any:
                for step in steps:
                    value = step(value, col, connection)
                return value

            _CONVERTERS[key] = convert
    return _CONVERTERS[key]


def converters(model: type[models.Model], *names: str) -> list[Converter]:
    """One function per field ``names`` (field names or attnames) of ``model`` that turns
    a value as read from the database into what the ORM would give (None stays None).
    Look them up once per query: the lookup costs more than the conversion."""
    vendor = connection.vendor
    out = []
    for name in names:
        step = _converter(model._meta.get_field(name), vendor)
        out.append(_IDENTITY if step is None else _none_safe(step))
    return out


def _IDENTITY(value: Any) -> Any:  # noqa: N802 - a constant, named as one
    return value


def _none_safe(step: Converter) -> Converter:
    return lambda value: None if value is None else step(value)


def instance(model: type[M], values: dict[str, Any]) -> M:
    """A model instance as the ORM would load it with ``only(*values)`` (the other fields
    deferred), its values converted: ``from_db`` expects them in the model's field order."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    row = [c(values[n]) for c, n in zip(converters(model, *names), names, strict=True)]
    return model.from_db(connection.alias, names, row)
