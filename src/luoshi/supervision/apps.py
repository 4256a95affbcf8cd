from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "luoshi.supervision"
    label = "supervision"
    verbose_name = _("Meetings and supervision")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from luoshi.core import exports
        from luoshi.supervision.excel_export import LEDGER_EXPORT, write_ledger_export

        exports.register(LEDGER_EXPORT, write_ledger_export)
