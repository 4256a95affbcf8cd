from django.urls import include, path

app_name = "supervision"

# Each part keeps its own routes; names share the "supervision" namespace.
urlpatterns = [
    path("items/", include("luoshi.supervision.urls_items")),
    path("", include("luoshi.supervision.urls_meet")),
    path("", include("luoshi.supervision.urls_excel")),
    path("", include("luoshi.supervision.urls_settings")),
]
