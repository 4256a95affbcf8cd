"""Issuing an item through the service, and small valid files, for the item page tests."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image

from luoshi.supervision import services
from luoshi.supervision.choices import ItemSource
from tests.supervision.factories import DecisionFactory


def pdf(name: str = "验收报告.pdf") -> tuple[str, bytes]:
    return (name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def png(name: str = "现场照片.png") -> tuple[str, bytes]:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    return (name, buf.getvalue())


def issue(people, **extra):
    data = {
        "source": ItemSource.MEETING,
        "decision": DecisionFactory(),
        "title": "城区污水管网改造",
        "content": "6月底前完成主体工程。",
        "lead_unit": people["unit_a"],
        "cooperating_units": [people["unit_b"]],
        "responsible_leader": people["leader_record"],
        "issued_on": dt.date(2026, 3, 2),
        "deadline": dt.date(2026, 3, 31),
        **extra,
    }
    return services.item_issue(actor=people["office"], data=data)
