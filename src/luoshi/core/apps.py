from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "luoshi.core"
    label = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from luoshi.core import signals  # noqa: F401
