"""Issuing (交办) one task to several lead units at once: one item per lead unit, all or
nothing. Each item goes through ``services.item_issue`` (checks, audit, history,
notification); a refusal for any unit leaves none of them issued."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.core.errors import DomainError
from luoshi.core.permissions import Perm, require
from luoshi.orgs.models import Unit
from luoshi.supervision.models import Item
from luoshi.supervision.services import item_issue

MAX_LEAD_UNITS = 50


def items_issue(*, actor: Any, data: dict[str, Any], lead_units: list[Any]) -> list[Item]:
    """Issue the task in ``data`` to each of ``lead_units`` (ids or units); returns the
    items in the order of the units."""
    require(actor, Perm.MANAGE_ITEMS)
    ids: list[int] = []
    for unit in lead_units or []:
        pk = getattr(unit, "pk", unit)
        if pk not in ids:
            ids.append(pk)
    if not ids:
        raise DomainError(_("Choose the lead unit."), field="lead_units")
    if len(ids) > MAX_LEAD_UNITS:
        raise DomainError(
            _("Issue to at most %(n)s lead units at a time.") % {"n": MAX_LEAD_UNITS},
            field="lead_units",
        )
    names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    items: list[Item] = []
    with transaction.atomic():
        for pk in ids:
            try:
                items.append(item_issue(actor=actor, data={**data, "lead_unit": pk}))
            except DomainError as exc:
                field = "lead_units" if exc.field == "lead_unit" else exc.field
                message = exc.message
                if len(ids) > 1 and exc.field in ("lead_unit", "cooperating_units"):
                    # Name the unit: the same message for one of twelve units says nothing.
                    message = _("%(unit)s: %(error)s") % {
                        "unit": names.get(pk, pk),
                        "error": exc.message,
                    }
                raise DomainError(message, field=field, code=exc.code) from exc
    return items
