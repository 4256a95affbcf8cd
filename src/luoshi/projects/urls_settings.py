"""The office's settings pages (prefix /projects/settings/)."""

from django.urls import path

from luoshi.projects import views_settings as v

urlpatterns = [
    path("", v.year_list, name="settings_years"),
    path("years/new/", v.year_create, name="settings_year_create"),
    path("years/<int:year>/", v.year_edit, name="settings_year_edit"),
    path("years/<int:year>/periods/", v.period_list, name="settings_periods"),
    path("years/<int:year>/periods/open/", v.period_open, name="settings_period_open"),
    path("periods/<int:pk>/lock/", v.period_lock, name="settings_period_lock"),
    path("periods/<int:pk>/unlock/", v.period_unlock, name="settings_period_unlock"),
    path("periods/<int:pk>/refresh/", v.period_refresh, name="settings_period_refresh"),
]
