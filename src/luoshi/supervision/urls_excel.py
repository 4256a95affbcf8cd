from django.urls import path

from luoshi.supervision import views_excel

# Excel round trip: the office's item list import and the ledger export.
urlpatterns = [
    path("items/import/", views_excel.item_import, name="item_import"),
    path("ledger.xlsx", views_excel.ledger_export, name="ledger_export"),
]
