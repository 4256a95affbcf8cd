"""Reads of supervision items: the lamp of today for lists and pages, scoped by
``scope.visible_items``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from luoshi.core.calendar import WorkingCalendar
from luoshi.projects.report_content import local_today
from luoshi.supervision.models import Item, SupervisionSettings
from luoshi.supervision.rules import (
    Cutoffs,
    ItemFacts,
    Thresholds,
    calendar_span,
    cutoffs,
    item_lamp,
    lamp_reason,
)


@dataclass(frozen=True)
class Today:
    """What every lamp of one request is computed against: one settings read and one
    calendar-override read, whatever the number of items."""

    cutoffs: Cutoffs
    thresholds: Thresholds
    settings: SupervisionSettings

    def lamp(self, item: Item) -> str:
        return item_lamp(ItemFacts.of(item), self.cutoffs)

    def reason(self, item: Item) -> str:
        return lamp_reason(ItemFacts.of(item), self.cutoffs)

    def lamp_and_reason(self, item: Item) -> tuple[str, str]:
        """Both, from one reading of the item's dates (a list does it for every row)."""
        facts = ItemFacts.of(item)
        return item_lamp(facts, self.cutoffs), lamp_reason(facts, self.cutoffs)


def today_rules(today: dt.date | None = None) -> Today:
    today = today or local_today()
    settings = SupervisionSettings.current()
    thresholds = Thresholds.of(settings)
    start, end = calendar_span(today, thresholds)
    return Today(cutoffs(today, thresholds, WorkingCalendar(start, end)), thresholds, settings)
