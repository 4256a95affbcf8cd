"""The one NinjaAPI of luoshi, at /api/v1/. Each app adds its Router from ``<app>/api.py``."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="luoshi API", version="1", urls_namespace="api")
