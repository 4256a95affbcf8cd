"""API of monthly reports and their workflow."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["reports"])
