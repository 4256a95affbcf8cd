from django.urls import path

from luoshi.supervision.views_stub import pending

# The office's reminder and escalation settings.
urlpatterns = [
    path("settings/", pending, name="settings"),
]
