from django.urls import path

from luoshi.orgs import views_account

app_name = "account"

urlpatterns = [
    path("", views_account.account_settings, name="settings"),
]
