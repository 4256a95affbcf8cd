"""Bulk writes and long ``__in`` lookups (the report sheet import, the reminder job).

A statement may carry at most so many parameters — 999 on SQLite as Django counts them,
65,535 in PostgreSQL's wire protocol — so ``__in`` lists go in ``chunks``; inserts and
updates go row by row in one ``executemany`` (``insert_rows``, ``insert_many``,
``update_many``), which has no such limit and keeps the query count of a batch independent
of its size."""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import connection, models

from luoshi.core.rawsql import marks

T = TypeVar("T")
_POSTGRES_LIMIT = 65535


def max_params() -> int:
    return connection.features.max_query_params or _POSTGRES_LIMIT


def chunks(items: Sequence[T], size: int | None = None) -> Iterator[Sequence[T]]:
    """``items`` in slices small enough for one ``__in`` lookup."""
    size = size or (max_params() - 100)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _prepare(fields: list[models.Field]) -> Callable[[models.Model], list[Any]]:
    """A function giving one object's column values, as ``bulk_create`` would send them.

    Text, whole numbers, booleans and NULL go as they are (their fields' conversions leave
    them unchanged); anything else, and every value of a JSON field, goes through the
    field's ``get_db_prep_save``; a value repeated across rows (the one timestamp of a
    batch) is converted once."""
    plain = frozenset({str, int, bool, type(None)})
    specs = [(f.attname, isinstance(f, models.JSONField), f) for f in fields]
    memo: dict[tuple[str, Any], Any] = {}

    def convert(field: models.Field, value: Any) -> Any:
        try:
            key = (field.attname, value)
            if key in memo:
                return memo[key]
        except TypeError:  # unhashable
            return field.get_db_prep_save(value, connection)
        memo[key] = done = field.get_db_prep_save(value, connection)
        return done

    values_of = operator.attrgetter(*[attname for attname, _j, _f in specs])
    single = len(specs) == 1

    def row(obj: models.Model) -> list[Any]:
        values = values_of(obj)
        if single:
            values = (values,)
        out = []
        for value, (_attname, is_json, field) in zip(values, specs, strict=True):
            if is_json:
                out.append(field.get_db_prep_save(value, connection))
            elif type(value) in plain:
                out.append(value)
            elif isinstance(value, datetime.datetime):
                out.append(convert(field, value))
            else:
                out.append(field.get_db_prep_save(value, connection))
        return out

    return row


def insert_rows(
    model: type[models.Model], columns: list[str], rows: Sequence[Sequence[Any]], *, ignore=False
) -> None:
    """INSERT ``rows`` (values of the ``columns`` fields, already in the database's form)
    with one ``executemany``. With ``ignore``, a row that would break a unique constraint
    is skipped (ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike): how the reminder
    job stays idempotent."""
    if not rows:
        return
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(model._meta.get_field(c).column) for c in columns),
        marks(len(columns)),
    )
    if ignore:
        sql += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def insert_many(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """INSERT ``objs`` with one ``executemany`` (one round of statements however many
    rows, no parameter limit per statement), for the bulk writes of the report import
    where ``bulk_create`` spends most of its time compiling values. The ids are not read
    back; the caller reads them if it needs them. Defaults must be set on the objects."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    row = _prepare(fields)
    insert_rows(model, [f.name for f in fields], [row(obj) for obj in objs])


def update_many(model: type[models.Model], objs: Sequence[models.Model], names: list[str]) -> None:
    """UPDATE the ``names`` columns of each of ``objs`` (stored ones) with one
    ``executemany``: the counterpart of ``insert_many``."""
    if not objs:
        return
    fields = [model._meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        qn(model._meta.db_table),
        ", ".join(f"{qn(f.column)} = %s" for f in fields),
        qn(model._meta.pk.column),
    )
    row = _prepare(fields)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*row(obj), obj.pk] for obj in objs])
