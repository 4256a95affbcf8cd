"""Background jobs of supervision items (django-tasks): the daily reminders and escalation.

``luoshi send-item-reminders`` enqueues ``send_item_reminders`` once a day (cron, like
``luoshi send-reminders``); the worker (``luoshi db_worker``) runs it. Running it twice the
same day, or enqueuing it twice, sends nothing twice (``services_jobs``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task

from luoshi.core.exports import exports_prune
from luoshi.supervision.services_jobs import reminders_run
from luoshi.supervision.summaries import prune


@task()
def send_item_reminders(today: str) -> dict[str, Any]:
    """Reminders and escalations due on ``today`` (ISO date); returns what was sent."""
    day = dt.date.fromisoformat(today)
    result = reminders_run(today=day).as_dict()
    prune(day)  # list counts of earlier days are never read again
    exports_prune(today=day)  # the platform's daily job: exports past their keeping
    return result
