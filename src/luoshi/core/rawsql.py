"""Plain SQL for the few small reads that every page makes (the settings, a meeting's
attendance, the badge): Django's ORM takes 0.2–0.5 ms of Python to build such a query,
ten to thirty times what the database takes to answer it. Only standard SQL that SQLite
and PostgreSQL read alike goes here, and only columns that need no conversion (numbers
and text; dates are converted by the caller)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


def fetch(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def instance(model: type[M], values: dict[str, Any]) -> M:
    """A model instance as the ORM would load it with ``only(*values)`` (the other fields
    deferred): ``from_db`` expects the values in the model's field order."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[n] for n in names])
