from django.urls import path

from luoshi.supervision import views_settings

# The office's reminder and escalation settings.
urlpatterns = [
    path("settings/", views_settings.settings_edit, name="settings"),
]
