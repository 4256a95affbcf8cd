"""The authentication backend: Django's, loading the user's unit with the user, because
every page shows it in the header."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from luoshi.orgs.models import User


class UnitAwareBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
