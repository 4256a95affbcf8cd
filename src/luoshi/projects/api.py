"""API of key projects (read): projects, plans, milestones, statuses."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["projects"])
