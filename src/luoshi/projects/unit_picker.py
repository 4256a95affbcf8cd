"""The unit picker of the project form: a county's few hundred units stay a plain select
(works without JavaScript); above ``SELECT_MAX`` the select lists only the chosen units and
a search box beside it asks ``projects:unit_pick`` (htmx) for the matching ones, so the
page no longer carries every unit of a province (970 KB for 6,000 units)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from luoshi.orgs.models import Unit

SELECT_MAX = 300  # as the project list's unit filter
RESULTS = 20  # matches per search


def unit_label(unit: Any) -> str:
    return f"{unit.name}（{unit.code}）"


def is_large(units: QuerySet[Unit]) -> bool:
    return len(units.order_by().values_list("id", flat=True)[: SELECT_MAX + 1]) > SELECT_MAX


def _ids(value: Any) -> list[int]:
    values = value if isinstance(value, list | tuple) else [value]
    return [int(v) for v in values if v is not None and str(v).isdigit()][:200]


class UnitPicker(forms.SelectMultiple):
    """A select of the chosen units (plus ``extra`` matches), with its search box. Renders
    only what it lists; the field's queryset still validates any unit of the scope."""

    template_name = "projects/widgets/unit_picker.html"
    select_template = "django/forms/widgets/select.html"

    def __init__(
        self, *, url: str, multiple: bool, attrs: dict | None = None, extra: list | None = None
    ) -> None:
        super().__init__(attrs)
        self.url = url
        self.allow_multiple_selected = multiple
        self.extra = extra or []

    def format_value(self, value: Any) -> list[str]:
        return [str(v) for v in _ids(value)]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.allow_multiple_selected:
            return super().value_from_datadict(data, files, name)
        return data.get(name)

    def optgroups(self, name: str, value: list[str], attrs: dict | None = None) -> list:
        chosen = _ids(value)
        found = {u.pk: u for u in Unit.objects.filter(pk__in=chosen).only("id", "code", "name")}
        units = [found[pk] for pk in chosen if pk in found]
        units += [u for u in self.extra if u.pk not in found]
        options = []
        if not self.allow_multiple_selected and not chosen:
            options.append(self.create_option(name, "", "—", False, 0, attrs=attrs))
        for i, unit in enumerate(units, start=len(options)):
            options.append(
                self.create_option(
                    name, str(unit.pk), unit_label(unit), unit.pk in found, i, attrs=attrs
                )
            )
        return [(None, options, 0)]

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        context["widget"]["url"] = self.url
        context["widget"]["multiple"] = self.allow_multiple_selected
        return context

    def render_select(self, name: str, value: Any, attrs: dict | None = None) -> str:
        """The select alone: what the search answers, swapped in for the old one."""
        context = self.get_context(name, value, attrs)
        return self._render(self.select_template, context)
