from django.urls import path

from luoshi.supervision.views_stub import pending

# Excel round trip: the office's item list import and the ledger export.
urlpatterns = [
    path("items/import/", pending, name="item_import"),
    path("ledger.xlsx", pending, name="ledger_export"),
]
